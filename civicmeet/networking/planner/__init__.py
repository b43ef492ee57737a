"""The networking planner: table plans for a lunch and rotating rounds, as plain Python. No Django here.

People (organisation, organisation type, languages), tables (seats each) and rounds in; a plan and its
quality report out. See docs/networking/planner.md for the method and what it guarantees.
"""

from .errors import CODES, PlannerError
from .model import FixedSeat, Pair, Person, PersonId, Plan, Problem
from .quality import QualityReport, TableWithoutLanguage, check, distinct_pairs_bound, no_repeat_rounds_max, report
from .search import WEIGHTS
from .solve import Result, plan, replan

__all__ = [
    "CODES",
    "WEIGHTS",
    "FixedSeat",
    "Pair",
    "Person",
    "PersonId",
    "Plan",
    "PlannerError",
    "Problem",
    "QualityReport",
    "Result",
    "TableWithoutLanguage",
    "check",
    "distinct_pairs_bound",
    "no_repeat_rounds_max",
    "plan",
    "replan",
    "report",
]
