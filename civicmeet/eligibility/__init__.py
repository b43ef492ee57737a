"""Admission rules as plain Python: frozen dataclasses in, a Verdict out. No Django here.

See docs/admission-rules.md for the semantics.
"""

from .audience import AudiencePolicy
from .dates import add_months
from .errors import DeclarationError, EligibilityError, PolicyError
from .registry import POLICIES, audience_policy_from_data, policy_from_data, safety_policy_from_data
from .safety import BOUNDS, TEST_KINDS, Basis, SafetyDeclaration, SafetyPolicy
from .verdict import REASONS, Outcome, Verdict

__all__ = [
    "BOUNDS",
    "POLICIES",
    "REASONS",
    "TEST_KINDS",
    "AudiencePolicy",
    "Basis",
    "DeclarationError",
    "EligibilityError",
    "Outcome",
    "PolicyError",
    "SafetyDeclaration",
    "SafetyPolicy",
    "Verdict",
    "add_months",
    "audience_policy_from_data",
    "policy_from_data",
    "safety_policy_from_data",
]
