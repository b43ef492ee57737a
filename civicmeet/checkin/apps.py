from django.apps import AppConfig


class CheckinConfig(AppConfig):
    """The day itself: tickets, the check-in desk and the documents of the meeting (badges, the
    attendance list, certificates, the caterer's sheet, the report for the grant programme)."""

    name = "civicmeet.checkin"
    label = "checkin"

    def ready(self) -> None:
        from civicmeet.registrations.extensions import register_email_extra, register_ticket_provider

        from .tickets import ticket_email_extra, ticket_page_context

        # The personal page's ticket area, and the ticket in the acceptance and reminder emails.
        register_ticket_provider(ticket_page_context)
        register_email_extra(ticket_email_extra)

        # The personal page's documents: the ticket as a PDF, the certificate after the event.
        from civicmeet.registrations.extensions import register_personal_links

        from .documents.links import personal_document_links

        register_personal_links(personal_document_links)

        # "My events": the desk's link for desk members (always) and organisers (on the day).
        from civicmeet.registrations.extensions import register_event_links

        from .links import desk_event_links

        register_event_links(desk_event_links)
