"""The command line prints the plan and its report; the same seed gives the same output."""

from __future__ import annotations

import json

from civicmeet.networking.planner.__main__ import main

from .helpers import assert_valid, plain


def run(capsys, *arguments: str) -> tuple[int, str, str]:
    code = main(list(arguments))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_json_output_is_the_plan_and_its_report(capsys):
    code, out, _ = run(capsys, "--people", "15", "--group-size", "3", "--rounds", "7", "--json")
    assert code == 0
    data = json.loads(out)
    rounds = data["rounds"]
    assert len(rounds) == 7 and all(len(round_) == 5 for round_ in rounds)
    from civicmeet.networking.planner import Plan

    assert_valid(plain(15, 3, 7), Plan.from_data(data))
    assert data["report"]["repeats"] == 0
    assert data["report"]["distinct_pairs"] == data["report"]["distinct_pairs_bound"] == 105


def test_the_same_seed_gives_the_same_plan(capsys):
    arguments = ("--people", "14", "--group-size", "4", "--rounds", "3", "--seed", "7", "--json", "--iterations", "300")
    first = json.loads(run(capsys, *arguments)[1])
    second = json.loads(run(capsys, *arguments)[1])
    assert first["rounds"] == second["rounds"]
    assert sorted(person for table in first["rounds"][0] for person in table) == list(range(14))


def test_text_output(capsys):
    code, out, _ = run(capsys, "--people", "9", "--group-size", "3", "--rounds", "4")
    assert code == 0
    assert out.startswith("round 0: ")
    assert "repeat pairs: 0" in out and "distinct pairs met: 36 of at most 36 (100.0%)" in out


def test_impossible_input_is_an_error_with_its_code(capsys):
    code, _, err = run(capsys, "--people", "9", "--group-size", "3", "--rounds", "0")
    assert code == 2
    assert err.startswith("error: invalid: at least one round")
