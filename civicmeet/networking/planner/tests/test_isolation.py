"""The planner is plain Python: importing and running it loads no Django and nothing else of civicmeet."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[4]


def test_planning_loads_no_django():
    program = """
import json, sys
from civicmeet.networking.planner import Person, Problem, plan
result = plan(Problem(people=tuple(Person(i) for i in range(9)), tables=(3, 3, 3), rounds=4))
print(json.dumps({"repeats": result.report.repeats, "modules": sorted(sys.modules)}))
"""
    env = {key: value for key, value in os.environ.items() if key != "DJANGO_SETTINGS_MODULE"}
    env["PYTHONPATH"] = str(ROOT)
    result = subprocess.run(  # noqa: S603 - our own interpreter and program
        [sys.executable, "-c", program], cwd=ROOT, env=env, capture_output=True, text=True, check=True, timeout=60
    )
    answer = json.loads(result.stdout)
    assert answer["repeats"] == 0
    modules = answer["modules"]
    assert not [name for name in modules if name == "django" or name.startswith("django.")]
    ours = [name for name in modules if name.startswith("civicmeet")]
    assert all(
        name in ("civicmeet", "civicmeet.networking") or name.startswith("civicmeet.networking.planner")
        for name in ours
    ), ours
