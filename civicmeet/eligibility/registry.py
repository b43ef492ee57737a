"""Every kind of policy by its name, so that storing and loading policies never names a class."""

from __future__ import annotations

from collections.abc import Mapping

from .audience import AudiencePolicy
from .errors import PolicyError
from .safety import SafetyPolicy

POLICIES: Mapping[str, type] = {policy.kind: policy for policy in (SafetyPolicy, AudiencePolicy)}


def policy_from_data(kind: str, data: Mapping | None):
    """The policy of `kind` built from its stored parameters; None when there is no rule."""
    if data is None:
        return None
    try:
        policy = POLICIES[kind]
    except KeyError:
        raise PolicyError("kind", "unknown", str(kind)) from None
    return policy.from_data(data)


def safety_policy_from_data(data: Mapping | None) -> SafetyPolicy | None:
    return policy_from_data(SafetyPolicy.kind, data)


def audience_policy_from_data(data: Mapping | None) -> AudiencePolicy | None:
    return policy_from_data(AudiencePolicy.kind, data)
