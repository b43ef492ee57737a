"""Networking: table plans for the working lunch and rotating rounds (issue 12).

Only the planner's algorithm package (`civicmeet.networking.planner`, pure Python, no Django) exists
so far; the Django app around it (models, the organiser's screen, the printable plan, the
participant's tables) comes later and is not yet in INSTALLED_APPS.
"""
