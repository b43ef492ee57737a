"""Helpers of the data tests (merge, import, export, duplicates): a moderator, and a row of any model.

`build(model, **values)` makes a row of any model with its required fields filled, so the merge
test can give both organisations a row of every relation that exists — also of relations added
later by other apps — without a list that would go stale.
"""

from __future__ import annotations

import datetime
import itertools
from decimal import Decimal
from typing import Any

from django.contrib.auth.models import Permission
from django.db import models
from django.utils import timezone

from civicmeet.events.tests.factories import EventFactory, UserFactory

_counter = itertools.count(1)


def moderator(email: str = "moderator@civicmeet.example.org"):
    user = UserFactory(email=email)
    user.user_permissions.add(Permission.objects.get(codename="moderate_network"))
    return type(user).objects.get(pk=user.pk)  # permissions are cached on the instance


# Models the plain filling cannot make valid (check constraints, related rows): made as the app does.
SPECIAL: dict[str, Any] = {
    "events.event": lambda **values: EventFactory(**values),
}


def _value(field: models.Field, number: int) -> Any:
    if field.choices:
        return field.choices[0][0]
    if isinstance(field, models.EmailField):
        return f"row{number}@example.org"
    if isinstance(field, models.URLField):
        return f"https://example.org/{number}"
    if isinstance(field, models.SlugField):
        return f"row-{number}"
    if isinstance(field, (models.CharField, models.TextField)):
        length = getattr(field, "max_length", None) or 40
        return f"r{number}"[:length]
    if isinstance(field, models.BooleanField):
        return False
    if isinstance(field, (models.IntegerField, models.DecimalField, models.FloatField)):
        return Decimal(1) if isinstance(field, models.DecimalField) else 1
    if isinstance(field, models.DateTimeField):
        return timezone.now()
    if isinstance(field, models.DateField):
        return datetime.date.today()
    if isinstance(field, models.TimeField):
        return datetime.time(10, 0)
    if isinstance(field, models.DurationField):
        return datetime.timedelta(hours=1)
    if isinstance(field, models.JSONField):
        return {}
    if isinstance(field, models.BinaryField):
        return b""
    if isinstance(field, models.UUIDField):
        import uuid

        return uuid.uuid4()
    raise NotImplementedError(f"no test value for {field!r}")


def build(model: type[models.Model], **values: Any) -> models.Model:
    """A saved row of `model`: `values` as given, every other required field filled."""
    label = model._meta.label_lower
    if label in SPECIAL:
        return SPECIAL[label](**values)
    number = next(_counter)
    for field in model._meta.concrete_fields:
        if field.primary_key or field.name in values or field.attname in values:
            continue
        if (
            field.has_default()
            or field.null
            or getattr(field, "auto_now", False)
            or getattr(field, "auto_now_add", False)
        ):
            continue
        if field.blank and not field.is_relation and not field.choices:
            continue
        if field.is_relation:
            related = field.related_model
            values[field.name] = build(related)  # type: ignore[arg-type]
        else:
            values[field.name] = _value(field, number)
    return model._base_manager.create(**values)
