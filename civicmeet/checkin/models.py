"""Tickets and check-ins (issue 11)."""
