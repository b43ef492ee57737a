"""Every kind of policy by its name, so that storing and loading policies never names a class."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from .audience import AudiencePolicy
from .errors import PolicyError
from .safety import SafetyPolicy

POLICIES: Mapping[str, type[SafetyPolicy] | type[AudiencePolicy]] = {
    policy.kind: policy for policy in (SafetyPolicy, AudiencePolicy)
}


def policy_from_data(kind: str, data: Mapping[str, Any] | None) -> SafetyPolicy | AudiencePolicy | None:
    """The policy of `kind` built from its stored parameters; None when there is no rule."""
    if data is None:
        return None
    try:
        policy = POLICIES[kind]
    except KeyError:
        raise PolicyError("kind", "unknown", str(kind)) from None
    return policy.from_data(data)


def safety_policy_from_data(data: Mapping[str, Any] | None) -> SafetyPolicy | None:
    return None if data is None else SafetyPolicy.from_data(data)


def audience_policy_from_data(data: Mapping[str, Any] | None) -> AudiencePolicy | None:
    return None if data is None else AudiencePolicy.from_data(data)
