"""`make test`'s dependency audit: pip-audit over the pinned requirements.

Fails when any pinned package has a known vulnerability. pip-audit asks its vulnerability
service (PyPI's, the client's default) about every package; where that service cannot be reached
or answers for none of them — a mirror without the vulnerability data, a closed network — nothing
was audited, and this says so plainly instead of passing or failing silently. An audit that covers
only part of the packages fails like a vulnerability (`--strict` semantics).

    python scripts/audit.py requirements.txt requirements-dev.txt
"""

from __future__ import annotations

import json
import subprocess
import sys


def main(requirements: list[str]) -> int:
    command = [sys.executable, "-m", "pip_audit", "--progress-spinner", "off", "--format", "json", "--timeout", "10"]
    for path in requirements:
        command += ["-r", path]
    result = subprocess.run(command, capture_output=True, text=True)  # noqa: S603 - our own arguments
    try:
        report = json.loads(result.stdout)
    except json.JSONDecodeError:
        print(result.stdout + result.stderr, file=sys.stderr)
        print("Dependency audit: pip-audit failed to run (above).", file=sys.stderr)
        return 1
    code, lines = verdict(report)
    print("\n".join(lines), file=sys.stderr if code else sys.stdout)
    return code


def verdict(report: dict) -> tuple[int, list[str]]:
    """The exit status and what to say, from pip-audit's JSON report."""
    packages = report["dependencies"]
    vulnerable = [package for package in packages if package.get("vulns")]
    skipped = [package for package in packages if package.get("skip_reason")]
    lines = []
    for package in vulnerable:
        for vulnerability in package["vulns"]:
            fixed = ", ".join(vulnerability.get("fix_versions") or []) or "no fixed release yet"
            lines.append(
                f"VULNERABLE {package['name']} {package['version']}: {vulnerability['id']} (fixed in: {fixed})"
            )
    if vulnerable:
        return 1, [*lines, f"Dependency audit: {len(vulnerable)} vulnerable package(s). Upgrade the pins above."]
    if skipped and len(skipped) == len(packages):
        return 0, [
            f"Dependency audit NOT DONE: the vulnerability service answered for none of the {len(packages)} "
            f"packages (first reason: {skipped[0]['skip_reason']}). Run `make test-audit` where it can be reached."
        ]
    if skipped:
        lines += [f"NOT AUDITED {package['name']}: {package['skip_reason']}" for package in skipped]
        return 1, [*lines, f"Dependency audit: {len(skipped)} package(s) could not be audited."]
    return 0, [f"Dependency audit: {len(packages)} packages, no known vulnerabilities."]


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:] or ["requirements.txt", "requirements-dev.txt"]))
