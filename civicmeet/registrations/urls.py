from django.urls import path

from . import views_before, views_manage, views_participant, views_privacy, views_representative

app_name = "registrations"

urlpatterns = [
    # Participants (anonymous; the token in the URL is the key).
    path("e/<slug:slug>/register/", views_participant.RegisterView.as_view(), name="register"),
    path("e/<slug:slug>/safety-check/", views_participant.SafetyCheckView.as_view(), name="safety_check"),
    path("e/<slug:slug>/privacy/", views_privacy.PrivacyNoticeView.as_view(), name="privacy_notice"),
    path("r/<str:token>/", views_participant.PersonalView.as_view(), name="personal"),
    path("r/<str:token>/data.json", views_privacy.ParticipantDataView.as_view(), name="personal_data"),
    path("r/<str:token>/erase/", views_privacy.ParticipantEraseView.as_view(), name="erase"),
    path("r/<str:token>/received/", views_participant.ReceivedView.as_view(), name="received"),
    path("r/<str:token>/edit/", views_participant.EditView.as_view(), name="edit"),
    path("r/<str:token>/cancel/", views_participant.CancelView.as_view(), name="cancel"),
    path("r/<str:token>/calendar.ics", views_participant.CalendarView.as_view(), name="calendar"),
    path("r/<str:token>/represent/", views_representative.RepresentView.as_view(), name="represent"),
    # Before the day: "Are you still coming?" and a seat offered from the waiting list (own tokens).
    path("still-coming/<str:token>/", views_before.ReconfirmView.as_view(), name="reconfirm"),
    path("seat-offer/<str:token>/", views_before.OfferView.as_view(), name="offer"),
    # Organisers.
    path("manage/", views_manage.EventListView.as_view(), name="event_list"),
    path("manage/events/<slug:slug>/", views_manage.DashboardView.as_view(), name="dashboard"),
    path(
        "manage/events/<slug:slug>/registrations/<int:pk>/",
        views_manage.RegistrationDetailView.as_view(),
        name="detail",
    ),
    path(
        "manage/events/<slug:slug>/registrations/<int:pk>/decide/",
        views_manage.RegistrationDecideView.as_view(),
        name="decide",
    ),
    path(
        "manage/events/<slug:slug>/registrations/<int:pk>/cancel/",
        views_manage.RegistrationCancelView.as_view(),
        name="organiser_cancel",
    ),
    path(
        "manage/events/<slug:slug>/registrations/<int:pk>/undo/",
        views_manage.RegistrationUndoView.as_view(),
        name="undo",
    ),
    path("manage/events/<slug:slug>/decide/", views_manage.BulkDecideView.as_view(), name="bulk_decide"),
    path("manage/events/<slug:slug>/decide/confirm/", views_manage.BulkConfirmView.as_view(), name="bulk_confirm"),
    path("manage/events/<slug:slug>/guests/new/", views_manage.GuestAddView.as_view(), name="guest_add"),
    path("manage/events/<slug:slug>/catering/", views_manage.CateringView.as_view(), name="catering"),
    path("manage/events/<slug:slug>/before-the-day/", views_before.BeforeTheDayView.as_view(), name="before_the_day"),
    path(
        "manage/events/<slug:slug>/before-the-day/waiting-list/<int:pk>/move/",
        views_before.WaitlistMoveView.as_view(),
        name="waitlist_move",
    ),
    path(
        "manage/events/<slug:slug>/before-the-day/waiting-list/<int:pk>/offer/",
        views_before.OfferMakeView.as_view(),
        name="offer_make",
    ),
    path(
        "manage/events/<slug:slug>/before-the-day/offer-free-seats/",
        views_before.OffersFillView.as_view(),
        name="offers_fill",
    ),
    path("manage/events/<slug:slug>/export.csv", views_manage.ExportCsvView.as_view(), name="export_csv"),
    path("manage/events/<slug:slug>/export.xlsx", views_manage.ExportXlsxView.as_view(), name="export_xlsx"),
    path(
        "manage/events/<slug:slug>/exports/<str:export_id>/",
        views_manage.ExportStatusView.as_view(),
        name="export_status",
    ),
    path(
        "manage/events/<slug:slug>/exports/<str:export_id>/download/",
        views_manage.ExportDownloadView.as_view(),
        name="export_download",
    ),
    path("manage/events/<slug:slug>/emails/", views_manage.OutboxView.as_view(), name="outbox"),
    path(
        "manage/events/<slug:slug>/registrations/<int:pk>/data.json",
        views_privacy.OrganiserDataView.as_view(),
        name="organiser_data",
    ),
    path(
        "manage/events/<slug:slug>/registrations/<int:pk>/erase/",
        views_privacy.OrganiserEraseView.as_view(),
        name="organiser_erase",
    ),
    path(
        "manage/events/<slug:slug>/data-protection/", views_privacy.DataProtectionView.as_view(), name="data_protection"
    ),
]
