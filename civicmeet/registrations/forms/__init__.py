"""The registrations' forms: the participant's (register, edit, check a declaration) and the
organisers' (filters, decisions, guests, the outbox)."""

from .check import SafetyCheckForm
from .registration import RegistrationForm

__all__ = ["RegistrationForm", "SafetyCheckForm"]
