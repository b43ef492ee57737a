from django.apps import AppConfig


class CheckinConfig(AppConfig):
    """The day itself: tickets, the check-in desk and the documents of the meeting (badges, the
    attendance list, certificates, the caterer's sheet, the report for the grant programme)."""

    name = "civicmeet.checkin"
    label = "checkin"
