"""Organiser accounts. The management commands and the demo loader go through here."""

from __future__ import annotations

from django.contrib.auth import get_user_model, password_validation
from django.contrib.auth.base_user import BaseUserManager
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.db.models import Q


def organiser_account_save(*, email: str, password: str | None = None, validate: bool = True):
    """Create the organiser account for `email`, or set its password if it exists.

    Returns (user, created). Raises ValidationError for a malformed email or a password that the
    configured validators refuse (unless validate=False, used for the published demo login).
    Without a password a new account gets an unusable one: it can use an API token but not log in.
    """
    email = BaseUserManager.normalize_email((email or "").strip())
    validate_email(email)
    User = get_user_model()  # noqa: N806
    max_length = User._meta.get_field(User.USERNAME_FIELD).max_length
    if max_length and len(email) > max_length:
        raise ValidationError(f"The email address is too long for a username (at most {max_length} characters).")
    with transaction.atomic():
        user = User.objects.filter(Q(username__iexact=email) | Q(email__iexact=email)).order_by("pk").first()
        created = user is None
        if created:
            user = User(username=email, email=email)
        if password is not None:
            if validate:
                password_validation.validate_password(password, user)
            user.set_password(password)
        elif created:
            user.set_unusable_password()
        if created or password is not None:
            user.save()
    return user, created
