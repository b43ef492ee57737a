"""The verdict of `make test`'s dependency audit (scripts/audit.py) on pip-audit's JSON report."""

from __future__ import annotations

import importlib.util
from pathlib import Path

_spec = importlib.util.spec_from_file_location("audit", Path(__file__).parents[2] / "scripts" / "audit.py")
audit = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(audit)

CLEAN = {"name": "django", "version": "5.2.19", "vulns": []}
UNREACHABLE = "Dependency not found on PyPI and could not be audited: django (5.2.19)"


def test_a_known_vulnerability_fails_and_names_the_fix():
    report = {
        "dependencies": [
            CLEAN,
            {"name": "pillow", "version": "9.0.0", "vulns": [{"id": "PYSEC-2022-1", "fix_versions": ["9.0.1"]}]},
        ]
    }
    code, lines = audit.verdict(report)
    assert code == 1
    assert "VULNERABLE pillow 9.0.0: PYSEC-2022-1 (fixed in: 9.0.1)" in lines


def test_no_vulnerability_passes():
    assert audit.verdict({"dependencies": [CLEAN, {**CLEAN, "name": "granian"}]}) == (
        0,
        ["Dependency audit: 2 packages, no known vulnerabilities."],
    )


def test_a_partial_audit_fails():
    code, lines = audit.verdict({"dependencies": [CLEAN, {"name": "granian", "skip_reason": UNREACHABLE}]})
    assert code == 1
    assert lines[-1] == "Dependency audit: 1 package(s) could not be audited."


def test_an_unreachable_service_is_reported_as_not_done_not_as_passed():
    code, (line,) = audit.verdict({"dependencies": [{"name": "django", "skip_reason": UNREACHABLE}]})
    assert code == 0
    assert line.startswith("Dependency audit NOT DONE")
    assert "no known vulnerabilities" not in line
