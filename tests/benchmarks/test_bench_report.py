"""bench/run.py's report rewrites the figures of docs/performance.md and keeps what follows them:
the notes written by hand and the other benchmarks' own marked sections (check-in, planner)."""

from __future__ import annotations

import json

from bench.run import HAND_WRITTEN, report

SCENARIO = {"rps": 100.0, "p50_ms": 10.0, "p99_ms": 20.0, "errors": 0}


def _run(database: str, rps: float) -> dict:
    scenarios = {
        key: SCENARIO for key in ("event_pl", "event_uk", "register_api", "register_form", "list_10000", "list_10000_2")
    }
    return {
        "database": database,
        "scenarios": {**scenarios, "ceiling": {**SCENARIO, "rps": rps}},
        "xlsx_export": {"rows": 10000, "request_seconds": 0.01, "seconds": 2.5, "status": 200, "bytes": 2048},
        "web_worker_rss_mb": [90, 91],
        "worker_busy_before": {"register_form": 1.0, "list_10000": 2.0},
    }


def test_the_report_replaces_the_figures_and_keeps_what_follows_them(tmp_path):
    runs = []
    for database, rps in (("sqlite", 7000.0), ("postgresql", 6000.0)):
        path = tmp_path / f"{database}.json"
        path.write_text(json.dumps(_run(database, rps)))
        runs.append(str(path))
    output = tmp_path / "performance.md"
    kept = "\n## Reading these figures\n\nBy hand.\n\n<!-- bench:checkin -->\n## Check-in\n<!-- /bench:checkin -->\n"
    output.write_text("# Performance\n\n| old figures | 1 |\n\n" + HAND_WRITTEN + kept)

    report(runs, output, duration=10, connections=8)

    text = output.read_text()
    assert "old figures" not in text
    assert "| ceiling: bare Django view | 7,000 | 100.0 %" in text
    assert "| ceiling: bare Django view | 6,000 | 100.0 %" in text
    assert text.endswith(HAND_WRITTEN + kept)
    assert text.count(HAND_WRITTEN) == 1
