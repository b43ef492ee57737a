"""The rules engine is plain Python: no Django, no other civicmeet package, only the standard library."""

from __future__ import annotations

import ast
import json
import os
import subprocess
import sys
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1]
ROOT = PACKAGE.parents[1]


def imported_modules(path: Path) -> list[tuple[str, int]]:
    """(absolute module name, or the relative one with its level) of every import in a file."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), filename=str(path))):
        if isinstance(node, ast.Import):
            found += [(alias.name, 0) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            found.append((node.module or "", node.level))
    return found


def test_sources_import_no_django_and_no_other_civicmeet_package():
    files = sorted(PACKAGE.rglob("*.py"))
    assert len(files) > 5
    for path in files:
        depth = len(path.relative_to(PACKAGE).parts)  # 1 for a module of the package, 2 in tests/
        for module, level in imported_modules(path):
            where = f"{path.relative_to(ROOT)} imports {'.' * level}{module}"
            if level:
                assert level <= depth, f"{where}: reaches outside civicmeet.eligibility"
                continue
            top = module.split(".")[0]
            assert top != "django", where
            if top == "civicmeet":
                assert module == "civicmeet.eligibility" or module.startswith("civicmeet.eligibility."), where
            if "tests" not in path.relative_to(PACKAGE).parts:
                assert top == "__future__" or top in sys.stdlib_module_names, f"{where}: not the standard library"


def test_importing_and_using_the_engine_loads_no_django():
    program = """
import datetime as dt, json, sys
from zoneinfo import ZoneInfo
import civicmeet.eligibility as e
tz = ZoneInfo("Europe/Warsaw")
verdict = e.SafetyPolicy().evaluate(
    e.SafetyDeclaration.from_data({"basis": "vaccinated", "date": "2021-09-18"}),
    at=dt.datetime(2021, 10, 2, 10, tzinfo=tz), tz=tz)
e.AudiencePolicy(("migrant",)).evaluate("migrant")
print(json.dumps({"verdict": verdict.to_data()["verdict"], "modules": sorted(sys.modules)}))
"""
    env = {key: value for key, value in os.environ.items() if key != "DJANGO_SETTINGS_MODULE"}
    env["PYTHONPATH"] = str(ROOT)
    result = subprocess.run(  # noqa: S603 - our own interpreter and program
        [sys.executable, "-c", program], cwd=ROOT, env=env, capture_output=True, text=True, check=True, timeout=60
    )
    answer = json.loads(result.stdout)
    assert answer["verdict"] == "meets"
    modules = answer["modules"]
    assert not [name for name in modules if name == "django" or name.startswith("django.")]
    civicmeet = [name for name in modules if name == "civicmeet" or name.startswith("civicmeet.")]
    assert civicmeet and all(
        name in ("civicmeet", "civicmeet.eligibility") or name.startswith("civicmeet.eligibility.")
        for name in civicmeet
    )
