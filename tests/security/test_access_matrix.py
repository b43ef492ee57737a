"""Who may see and change what: every route of the site and every API operation, per persona.

Routes come from the URL resolver and operations from the OpenAPI schema, so a new view or
endpoint fails `test_every_route_is_in_the_matrix` / `test_every_api_operation_is_in_the_matrix`
until its row is written here.

Outcomes: an HTTP status, LOGIN (a redirect to a login page) or REDIRECT (any other redirect:
the action ran, or the page sent the user on). Each persona's request runs in a savepoint that
is rolled back, so every persona meets the same world. Whenever the outcome denies access
(LOGIN, 401, 403, 404, 405) the database must be exactly as it was before.
"""

from __future__ import annotations

import json
import re
import secrets
import string

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from civicmeet.accounts.models import ApiToken, hash_token
from civicmeet.events.services import event_unpublish
from civicmeet.registrations.models import Registration, State, new_token

from . import bodies
from .conftest import ANON, DESK, ORGANISER, OTHER_PARTICIPANT, OUTSIDER, PARTICIPANT, PERSONAS, STAFF, fingerprint
from .matrix_tools import LOGIN, REDIRECT, api_operations, fill, outcome, site_routes

pytestmark = pytest.mark.django_db

DENIED = {LOGIN, 401, 403, 404, 405}
NOT_LOGGED_IN = (ANON, PARTICIPANT, OTHER_PARTICIPANT)


def everyone(result) -> dict[str, object]:
    return dict.fromkeys(PERSONAS, result)


def organisers_of_the_event(result) -> dict[str, object]:
    """Organiser pages of one event: login first, then 404 unless on its team as an organiser
    (the desk has no organiser pages); staff see every event."""
    return {**dict.fromkeys(NOT_LOGGED_IN, LOGIN), DESK: 404, OUTSIDER: 404, ORGANISER: result, STAFF: result}


def desk_of_the_event(result) -> dict[str, object]:
    """The check-in desk of one event: login first, then 404 unless on its team as an organiser or
    at the desk; staff see every event."""
    return {**dict.fromkeys(NOT_LOGGED_IN, LOGIN), DESK: result, OUTSIDER: 404, ORGANISER: result, STAFF: result}


def logged_in(result) -> dict[str, object]:
    return {**dict.fromkeys(PERSONAS, result), **dict.fromkeys(NOT_LOGGED_IN, LOGIN)}


def token_holders(result) -> dict[str, object]:
    """Pages behind a personal link: each participant reaches their own registration (the other
    participant theirs, never ours: see test_a_token_shows_only_its_own_registration); everyone
    else can only guess a token, and a guess is 404."""
    return {**dict.fromkeys(PERSONAS, 404), PARTICIPANT: result, OTHER_PARTICIPANT: result}


def moderators_only(result) -> dict[str, object]:
    """The network's moderation pages: login first, then 404 unless a moderator (staff here)."""
    return {**dict.fromkeys(NOT_LOGGED_IN, LOGIN), DESK: 404, ORGANISER: 404, OUTSIDER: 404, STAFF: result}


def channel_writers(result) -> dict[str, object]:
    """Writing channels and good practice: login first, then a page saying why for anyone who is
    not a representative nor a moderator (403); staff are moderators."""
    return {**dict.fromkeys(NOT_LOGGED_IN, LOGIN), DESK: 403, ORGANISER: 403, OUTSIDER: 403, STAFF: result}


GET_ONLY = {"POST": everyone(405)}
ORGANISER_GET_ONLY = {"POST": organisers_of_the_event(405)}
ORGANISER_POST_ONLY = {"GET": organisers_of_the_event(405)}

# Site routes (as in the URLconf, without the language prefix) -> {method: {persona: outcome}}.
PAGES: dict[str, dict[str, dict[str, object]]] = {
    # Machinery.
    "healthz": {"GET": everyone(200), "POST": everyone(200)},
    "readyz": {"GET": everyone(200), "POST": everyone(200)},
    # Pictures, public by their unguessable address (the SHA-256 of their bytes); the matrix cannot
    # name one, so 404 here; serving a real one: civicmeet/organisations/tests/test_images.py.
    "images/<str:digest>.webp": {"GET": everyone(404), "POST": everyone(405)},
    "i18n/setlang/": {"GET": everyone(REDIRECT), "POST": everyone(REDIRECT)},
    # The design system's style guide exists only with DEBUG (the tests run without it).
    "styleguide/": {"GET": everyone(404), "POST": everyone(404)},
    # The API's schema and Swagger UI (the operations themselves: API below). Ninja serves them
    # for any method; they only read.
    "api/v1/openapi.json": {"GET": everyone(200), "POST": everyone(200)},
    "api/v1/docs": {"GET": everyone(200), "POST": everyone(200)},
    # Accounts.
    "accounts/login/": {
        "GET": {**everyone(REDIRECT), **dict.fromkeys(NOT_LOGGED_IN, 200)},
        "POST": {**everyone(REDIRECT), **dict.fromkeys(NOT_LOGGED_IN, 200)},
    },
    "accounts/logout/": {"GET": everyone(405), "POST": everyone(REDIRECT)},
    # A team invitation's one-time link: the matrix cannot name a real one (only its hash is
    # stored), so any token it tries is unknown; the real flow per case (new account, signed in,
    # expired, used, withdrawn): civicmeet/events/tests/test_team_invitations.py.
    "accounts/invitation/<str:token>/": {"GET": everyone(404), "POST": everyone(404)},
    # Public pages.
    "": {"GET": everyone(200), **GET_ONLY},
    "e/<slug:slug>/": {"GET": everyone(200), **GET_ONLY},
    "e/<slug:slug>/register/": {"GET": everyone(200), "POST": everyone(200)},
    "e/<slug:slug>/safety-check/": {"GET": everyone(405), "POST": everyone(200)},
    "e/<slug:slug>/privacy/": {"GET": everyone(200), **GET_ONLY},
    # The participant's personal pages.
    "r/<str:token>/": {"GET": token_holders(200), "POST": everyone(405)},
    "r/<str:token>/data.json": {"GET": token_holders(200), "POST": everyone(405)},
    "r/<str:token>/received/": {"GET": token_holders(200), "POST": everyone(405)},
    # The calendar file is for accepted registrations only; the world's registrations are
    # submitted, so even their holders get 404 (the accepted case: test_views_personal.py).
    "r/<str:token>/calendar.ics": {"GET": everyone(404), "POST": everyone(405)},
    "r/<str:token>/edit/": {"GET": token_holders(200), "POST": token_holders(200)},
    "r/<str:token>/cancel/": {"GET": token_holders(200), "POST": token_holders(REDIRECT)},
    "r/<str:token>/erase/": {"GET": token_holders(200), "POST": token_holders(200)},
    # Organisers: any logged-in account may list its events and create one.
    "manage/": {"GET": logged_in(200), "POST": logged_in(405)},
    "manage/events/new/": {"GET": logged_in(200), "POST": logged_in(200)},
    # Organisers of this event.
    "manage/events/<slug:slug>/edit/": {"GET": organisers_of_the_event(200), "POST": organisers_of_the_event(200)},
    # These check the method before the event: 405 for any slug, so it tells nobody anything.
    "manage/events/<slug:slug>/publish/": {"GET": logged_in(405), "POST": organisers_of_the_event(REDIRECT)},
    "manage/events/<slug:slug>/unpublish/": {"GET": logged_in(405), "POST": organisers_of_the_event(REDIRECT)},
    "manage/events/<slug:slug>/questions/": {
        "GET": organisers_of_the_event(200),
        "POST": organisers_of_the_event(200),
    },
    "manage/events/<slug:slug>/team/": {"GET": organisers_of_the_event(200), "POST": organisers_of_the_event(REDIRECT)},
    "manage/events/<slug:slug>/identity/": {
        "GET": organisers_of_the_event(200),
        "POST": organisers_of_the_event(REDIRECT),
    },
    # Read-only; the method is checked before the event, like publish's GET.
    "manage/events/<slug:slug>/history/": {"GET": organisers_of_the_event(200), "POST": logged_in(405)},
    "manage/events/<slug:slug>/": {"GET": organisers_of_the_event(200), **ORGANISER_GET_ONLY},
    "manage/events/<slug:slug>/registrations/<int:pk>/": {"GET": organisers_of_the_event(200), **ORGANISER_GET_ONLY},
    "manage/events/<slug:slug>/registrations/<int:pk>/decide/": {
        **ORGANISER_POST_ONLY,
        "POST": organisers_of_the_event(REDIRECT),
    },
    "manage/events/<slug:slug>/registrations/<int:pk>/cancel/": {
        **ORGANISER_POST_ONLY,
        "POST": organisers_of_the_event(REDIRECT),
    },
    "manage/events/<slug:slug>/registrations/<int:pk>/undo/": {
        **ORGANISER_POST_ONLY,
        "POST": organisers_of_the_event(REDIRECT),
    },
    "manage/events/<slug:slug>/decide/": {**ORGANISER_POST_ONLY, "POST": organisers_of_the_event(REDIRECT)},
    # The bulk decision's confirmation page: shows consequences, changes nothing.
    "manage/events/<slug:slug>/decide/confirm/": {**ORGANISER_POST_ONLY, "POST": organisers_of_the_event(200)},
    "manage/events/<slug:slug>/guests/new/": {
        "GET": organisers_of_the_event(200),
        "POST": organisers_of_the_event(REDIRECT),
    },
    "manage/events/<slug:slug>/catering/": {"GET": organisers_of_the_event(200), **ORGANISER_GET_ONLY},
    # Before the day (registrations/views_before.py): the organisers' page and its buttons. The
    # world's participant is not on the waiting list: moving or offering is refused with a message.
    "manage/events/<slug:slug>/before-the-day/": {"GET": organisers_of_the_event(200), **ORGANISER_GET_ONLY},
    "manage/events/<slug:slug>/before-the-day/waiting-list/<int:pk>/move/": {
        **ORGANISER_POST_ONLY,
        "POST": organisers_of_the_event(REDIRECT),
    },
    "manage/events/<slug:slug>/before-the-day/waiting-list/<int:pk>/offer/": {
        **ORGANISER_POST_ONLY,
        "POST": organisers_of_the_event(REDIRECT),
    },
    "manage/events/<slug:slug>/before-the-day/offer-free-seats/": {
        **ORGANISER_POST_ONLY,
        "POST": organisers_of_the_event(REDIRECT),
    },
    # "Are you still coming?" and a seat offer: links with their own tokens (stored hashed); the
    # matrix can only try a registration's token, which is none of them (real flows:
    # civicmeet/registrations/tests/test_reconfirmation.py, test_offers.py).
    "still-coming/<str:token>/": {"GET": everyone(404), "POST": everyone(404)},
    "seat-offer/<str:token>/": {"GET": everyone(404), "POST": everyone(404)},
    # The check-in desk (civicmeet/checkin/urls_desk.py): the page, its forms and the JSON its script
    # calls. The JSON endpoints read a JSON body: the form-encoded body sent here is a 400.
    "manage/events/<slug:slug>/desk/": {"GET": desk_of_the_event(200), "POST": desk_of_the_event(405)},
    "manage/events/<slug:slug>/desk/check-in/": {"GET": desk_of_the_event(405), "POST": desk_of_the_event(REDIRECT)},
    "manage/events/<slug:slug>/desk/walk-in/": {"GET": desk_of_the_event(200), "POST": desk_of_the_event(400)},
    "manage/events/<slug:slug>/desk/list.json": {"GET": desk_of_the_event(200), "POST": desk_of_the_event(405)},
    "manage/events/<slug:slug>/desk/sw.js": {"GET": desk_of_the_event(200), "POST": desk_of_the_event(405)},
    # A verdict is given for accepted people only; our participant is not accepted (404 for all);
    # an accepted one's: civicmeet/checkin/tests/test_desk_views.py.
    "manage/events/<slug:slug>/desk/people/<int:pk>/verdict.json": {
        "GET": desk_of_the_event(404),
        "POST": desk_of_the_event(405),
    },
    "manage/events/<slug:slug>/desk/checkins.json": {"GET": desk_of_the_event(405), "POST": desk_of_the_event(400)},
    "manage/events/<slug:slug>/desk/walk-ins.json": {"GET": desk_of_the_event(405), "POST": desk_of_the_event(400)},
    # The grant programme's report and the live counters (civicmeet/checkin/urls_report.py).
    "manage/events/<slug:slug>/report/": {"GET": organisers_of_the_event(200), **ORGANISER_GET_ONLY},
    "manage/events/<slug:slug>/report.pdf": {"GET": organisers_of_the_event(200), **ORGANISER_GET_ONLY},
    "manage/events/<slug:slug>/report.xlsx": {"GET": organisers_of_the_event(200), **ORGANISER_GET_ONLY},
    "manage/events/<slug:slug>/counters/": {"GET": organisers_of_the_event(200), **ORGANISER_GET_ONLY},
    # The meeting's documents (civicmeet/checkin/urls_documents.py): organisers only, the desk has
    # none (docs/day/documents.md). POST builds a document in the background and redirects to its
    # status page. A job's id is random, so the matrix cannot name one (404); a real job's status and
    # download per persona: civicmeet/checkin/tests/test_documents_views.py. Certificates before the
    # event is over: refused with a message (a redirect back), nothing queued.
    "manage/events/<slug:slug>/documents/": {"GET": organisers_of_the_event(200), **ORGANISER_GET_ONLY},
    "manage/events/<slug:slug>/documents/badges-sheets/": {
        **ORGANISER_POST_ONLY,
        "POST": organisers_of_the_event(REDIRECT),
    },
    "manage/events/<slug:slug>/documents/badges/": {**ORGANISER_POST_ONLY, "POST": organisers_of_the_event(REDIRECT)},
    "manage/events/<slug:slug>/documents/attendance-list/": {
        **ORGANISER_POST_ONLY,
        "POST": organisers_of_the_event(REDIRECT),
    },
    "manage/events/<slug:slug>/documents/jobs/<str:job_id>/": {
        "GET": organisers_of_the_event(404),
        **ORGANISER_GET_ONLY,
    },
    "manage/events/<slug:slug>/documents/jobs/<str:job_id>/download/": {
        "GET": organisers_of_the_event(404),
        **ORGANISER_GET_ONLY,
    },
    "manage/events/<slug:slug>/documents/attendance.xlsx": {"GET": organisers_of_the_event(200), **ORGANISER_GET_ONLY},
    "manage/events/<slug:slug>/documents/catering.pdf": {"GET": organisers_of_the_event(200), **ORGANISER_GET_ONLY},
    "manage/events/<slug:slug>/documents/certificates/send/": {
        **ORGANISER_POST_ONLY,
        "POST": organisers_of_the_event(REDIRECT),
    },
    # The world's participants are submitted, neither accepted nor present: no ticket and no
    # certificate, so 404 even for their holders (the real cases: test_documents_views.py).
    "r/<str:token>/ticket.pdf": {"GET": everyone(404), "POST": everyone(405)},
    "r/<str:token>/certificate.pdf": {"GET": everyone(404), "POST": everyone(405)},
    "manage/events/<slug:slug>/export.csv": {"GET": organisers_of_the_event(200), **ORGANISER_GET_ONLY},
    # XLSX: POST starts a background export and redirects to its status page.
    "manage/events/<slug:slug>/export.xlsx": {**ORGANISER_POST_ONLY, "POST": organisers_of_the_event(REDIRECT)},
    # The matrix cannot name an export (ids are random): organisers get 404 for the unknown id here;
    # status and download of a real export per persona: civicmeet/registrations/tests/test_export_xlsx.py.
    "manage/events/<slug:slug>/exports/<str:export_id>/": {
        "GET": organisers_of_the_event(404),
        **ORGANISER_GET_ONLY,
    },
    "manage/events/<slug:slug>/exports/<str:export_id>/download/": {
        "GET": organisers_of_the_event(404),
        **ORGANISER_GET_ONLY,
    },
    "manage/events/<slug:slug>/emails/": {
        "GET": organisers_of_the_event(200),
        "POST": organisers_of_the_event(REDIRECT),
    },
    "manage/events/<slug:slug>/registrations/<int:pk>/data.json": {
        "GET": organisers_of_the_event(200),
        **ORGANISER_GET_ONLY,
    },
    "manage/events/<slug:slug>/registrations/<int:pk>/erase/": {
        **ORGANISER_POST_ONLY,
        "POST": organisers_of_the_event(REDIRECT),
    },
    "manage/events/<slug:slug>/data-protection/": {"GET": organisers_of_the_event(200), **ORGANISER_GET_ONLY},
    # Sign-in by one-time link: the request page answers everyone the same; the matrix cannot name
    # a real link (only its hash is stored); the real flow: civicmeet/accounts/tests/test_signin_link.py.
    "accounts/signin/": {"GET": everyone(200), "POST": everyone(200)},
    "accounts/signin/<str:token>/": {"GET": everyone(404), "POST": everyone(404)},
    # From the personal page: the registration's email asks to represent its organisation.
    "r/<str:token>/represent/": {"GET": everyone(405), "POST": token_holders(REDIRECT)},
    # Representatives (civicmeet/organisations/tests/test_representatives_views.py has the
    # representatives' own cases; staff are moderators). The world holds no Representative, so
    # the pages of one are 404 for everyone signed in.
    "network/mine/": {"GET": logged_in(200), "POST": logged_in(405)},
    "network/mine/represent/": {"GET": logged_in(405), "POST": logged_in(200)},
    "network/representatives/review/": {"GET": moderators_only(200), "POST": logged_in(405)},
    "network/representatives/organisation/<int:organisation_pk>/": {
        "GET": moderators_only(200),
        "POST": moderators_only(REDIRECT),
    },
    "network/representatives/<int:pk>/decide/": {"GET": logged_in(405), "POST": logged_in(404)},
    "network/representatives/<int:pk>/remove/": {"GET": logged_in(405), "POST": logged_in(404)},
    "network/representatives/<int:pk>/consent/": {"GET": logged_in(405), "POST": logged_in(404)},
    # The one search box: public (what each persona finds: civicmeet/organisations/tests/test_search_page.py).
    "network/search/": {"GET": everyone(200), **GET_ONLY},
    # Channels to local government (civicmeet/channels/tests/test_views.py and test_access.py have
    # drafts, published and members-only items per persona; the world holds none, so every page of
    # one item is 404, and `<str:kind>` / `<slug:action>` cannot be named here).
    "channels/": {"GET": everyone(200), **GET_ONLY},
    "channels/new/": {"GET": channel_writers(200), "POST": channel_writers(200)},
    "channels/mine/": {"GET": logged_in(200), "POST": logged_in(405)},
    "channels/review/": {"GET": moderators_only(200), "POST": moderators_only(405)},
    "channels/review/<str:kind>/<int:pk>/": {"GET": moderators_only(404), "POST": moderators_only(404)},
    "channels/<int:pk>/": {"GET": everyone(404), **GET_ONLY},
    "channels/<int:pk>/edit/": {"GET": logged_in(404), "POST": logged_in(404)},
    "channels/<int:pk>/propose/": {"GET": logged_in(404), "POST": logged_in(404)},
    "channels/<int:pk>/experience/": {"GET": logged_in(404), "POST": logged_in(404)},
    "channels/experiences/<int:pk>/edit/": {"GET": logged_in(404), "POST": logged_in(404)},
    "channels/good-practice/": {"GET": everyone(200), **GET_ONLY},
    "channels/good-practice/new/": {"GET": channel_writers(200), "POST": channel_writers(200)},
    "channels/good-practice/<int:pk>/": {"GET": everyone(404), **GET_ONLY},
    "channels/good-practice/<int:pk>/edit/": {"GET": logged_in(404), "POST": logged_in(404)},
    "channels/history/<str:kind>/<int:pk>/": {"GET": everyone(404), **GET_ONLY},
    "channels/items/<str:kind>/<int:pk>/<slug:action>/": {"GET": everyone(404), "POST": everyone(404)},
    # Offers, needs and activities (civicmeet/resources/tests/test_views.py has representatives'
    # own cases). The world holds none, so one item's pages are 404; the participant's organisation
    # is a draft that only moderators (staff) may manage; the contact link's token is not a registration's.
    "network/offers/": {"GET": everyone(200), **GET_ONLY},
    "network/offers/mine/": {"GET": logged_in(200), "POST": logged_in(405)},
    "network/offers/<int:pk>/": {"GET": everyone(404), **GET_ONLY},
    "network/offers/<int:pk>/edit/": {"GET": logged_in(404), "POST": logged_in(404)},
    "network/offers/<int:pk>/delete/": {"GET": logged_in(404), "POST": logged_in(404)},
    "network/activities/<int:pk>/": {"GET": everyone(404), **GET_ONLY},
    "network/activities/<int:pk>/edit/": {"GET": logged_in(404), "POST": logged_in(404)},
    "network/activities/<int:pk>/delete/": {"GET": logged_in(404), "POST": logged_in(404)},
    "network/organisations/<int:organisation_pk>/offers-and-needs/": {
        "GET": moderators_only(200),
        "POST": logged_in(405),
    },
    "network/organisations/<int:organisation_pk>/offers-and-needs/new/": {
        "GET": moderators_only(200),
        "POST": moderators_only(400),
    },
    "network/organisations/<int:organisation_pk>/activities/new/": {
        "GET": moderators_only(200),
        "POST": moderators_only(400),
    },
    "network/suggestions/": {"GET": logged_in(200), "POST": logged_in(405)},
    "network/suggestions/<int:offer_pk>-<int:need_pk>/dismiss/": {"GET": logged_in(405), "POST": logged_in(404)},
    "network/suggestions/<int:offer_pk>-<int:need_pk>/contact/": {"GET": logged_in(404), "POST": logged_in(404)},
    "network/contact/<int:pk>/": {"GET": logged_in(404), "POST": logged_in(404)},
    "network/contact/answer/<str:token>/": {"GET": everyone(404), "POST": everyone(404)},
    # The directory's data pages (civicmeet/organisations/tests/test_duplicates_page.py, test_import.py,
    # test_export.py). The merge is addressed as our participants' organisation into itself: the
    # page explains the refusal and its POST answers 409, changing nothing.
    # The directory and profiles (civicmeet/organisations/tests/test_directory_views.py,
    # test_profile_views.py, test_profile_edit.py). The world's organisation is our participant's,
    # a draft: only moderators (staff) see it, and its address with a wrong slug redirects them.
    "network/organisations/": {"GET": everyone(200), **GET_ONLY},
    "network/organisations/review/": {"GET": moderators_only(200), "POST": everyone(405)},
    "network/organisations/<int:pk>-<slug:slug>/": {
        "GET": {**everyone(404), STAFF: REDIRECT},
        "POST": everyone(405),
    },
    "network/organisations/<int:pk>/edit/": {
        "GET": {**moderators_only(200)},
        "POST": {**moderators_only(200)},  # the matrix's empty body: the form comes back with errors
    },
    "network/organisations/<int:pk>/checked/": {"GET": everyone(405), "POST": moderators_only(REDIRECT)},
    "network/organisations/<int:pk>/publish/": {"GET": everyone(405), "POST": moderators_only(REDIRECT)},
    "network/organisations/<int:pk>/unpublish/": {"GET": everyone(405), "POST": moderators_only(REDIRECT)},
    "network/duplicates/": {"GET": moderators_only(200), "POST": everyone(405)},
    "network/duplicates/scan/": {"GET": everyone(405), "POST": moderators_only(REDIRECT)},
    "network/duplicates/not-duplicates/": {"GET": everyone(405), "POST": moderators_only(404)},
    "network/duplicates/merge/<int:survivor>/<int:duplicate>/": {
        "GET": moderators_only(200),
        "POST": moderators_only(409),
    },
    "network/organisations/<int:organisation_pk>/merges/": {"GET": moderators_only(200), "POST": everyone(405)},
    "network/import/": {"GET": moderators_only(200), "POST": moderators_only(200)},
    "network/import/apply/": {"GET": everyone(405), "POST": moderators_only(REDIRECT)},
    "network/import/template.csv": {"GET": moderators_only(200), "POST": everyone(405)},
    "network/import/template.xlsx": {"GET": moderators_only(200), "POST": everyone(405)},
    # Programmes, projects and their offers (tests/security/programmes_world.py: the project is
    # run by our participants' organisation, which no persona represents, so its team is the
    # moderators alone; the representatives' own cases: civicmeet/programmes/tests/). The
    # participants reach their own sign-ups with their tokens. An empty form is refused (400).
    "programmes/": {"GET": everyone(200), **GET_ONLY},
    "programmes/new/": {"GET": moderators_only(200), "POST": moderators_only(400)},
    "programmes/<slug:slug>/": {"GET": everyone(200), **GET_ONLY},
    "programmes/<slug:slug>/projects/new/": {"GET": moderators_only(200), "POST": moderators_only(400)},
    "projects/<slug:slug>/": {"GET": everyone(200), **GET_ONLY},
    "projects/<slug:slug>/edit/": {"GET": moderators_only(200), "POST": moderators_only(400)},
    "projects/<slug:slug>/offers/new/": {"GET": moderators_only(200), "POST": moderators_only(400)},
    "offers/<int:pk>/": {"GET": everyone(200), "POST": everyone(200)},
    "offers/<int:pk>/edit/": {"GET": moderators_only(200), "POST": moderators_only(400)},
    # The team's list; its POST names no sign-up here (404).
    "offers/<int:pk>/sign-ups/": {"GET": moderators_only(200), "POST": moderators_only(404)},
    "offers/<int:pk>/sign-ups.<str:fmt>": {"GET": moderators_only(200), "POST": logged_in(405)},
    "sign-up/<str:token>/": {"GET": token_holders(200), "POST": token_holders(REDIRECT)},
    # The export: everyone, each seeing what they may (test_export.py).
    "network/export/": {"GET": everyone(200), **GET_ONLY},
    "network/export/organisations.csv": {"GET": everyone(200), **GET_ONLY},
    "network/export/organisations.xlsx": {"GET": everyone(200), **GET_ONLY},
    "network/export/organisations.json": {"GET": everyone(200), **GET_ONLY},
}

# Routes the matrix covers in another way.
ADMIN_PREFIX = "admin/"  # test_admin_is_for_staff_only
API_PREFIX = "api/v1/"  # API below, by OpenAPI operation
NOT_A_PAGE = {"api/v1/": "ninja's API root: 404 for everyone (test_api_root_is_not_found)"}


def api_organisers_of_the_event(result) -> dict[str, object]:
    """Organiser endpoints: 401 without a token, 404 for an event one does not organise."""
    return {**dict.fromkeys(NOT_LOGGED_IN, 401), DESK: 404, OUTSIDER: 404, ORGANISER: result, STAFF: result}


def api_desk_of_the_event(result) -> dict[str, object]:
    """Check-in endpoints: 401 without a token, 404 unless an organiser or at the desk of the event."""
    return {**dict.fromkeys(NOT_LOGGED_IN, 401), DESK: result, OUTSIDER: 404, ORGANISER: result, STAFF: result}


API: dict[tuple[str, str], dict[str, object]] = {
    ("GET", "/api/v1/events"): everyone(200),
    ("GET", "/api/v1/events/{slug}"): everyone(200),
    # Any account with an API token may create an event (it joins its team).
    ("POST", "/api/v1/events"): {**everyone(201), **dict.fromkeys(NOT_LOGGED_IN, 401)},
    ("POST", "/api/v1/events/{slug}/registrations"): everyone(201),
    ("POST", "/api/v1/events/{slug}/safety-check"): everyone(422),
    ("GET", "/api/v1/registrations/{token}"): token_holders(200),
    ("POST", "/api/v1/registrations/{token}/cancel"): token_holders(200),
    ("GET", "/api/v1/events/{slug}/registrations"): api_organisers_of_the_event(200),
    ("POST", "/api/v1/events/{slug}/registrations/{registration_id}/decision"): api_organisers_of_the_event(200),
    # The organisers' API: any token lists its own events (desk staff and outsiders: none of ours).
    ("GET", "/api/v1/manage/events"): {**everyone(200), **dict.fromkeys(NOT_LOGGED_IN, 401)},
    ("GET", "/api/v1/manage/events/{slug}"): api_organisers_of_the_event(200),
    ("PATCH", "/api/v1/manage/events/{slug}"): api_organisers_of_the_event(200),
    ("POST", "/api/v1/manage/events/{slug}/publish"): api_organisers_of_the_event(200),
    ("POST", "/api/v1/manage/events/{slug}/unpublish"): api_organisers_of_the_event(200),
    ("GET", "/api/v1/manage/events/{slug}/questions"): api_organisers_of_the_event(200),
    ("PUT", "/api/v1/manage/events/{slug}/questions"): api_organisers_of_the_event(200),
    ("GET", "/api/v1/manage/events/{slug}/team"): api_organisers_of_the_event(200),
    ("POST", "/api/v1/manage/events/{slug}/team"): api_organisers_of_the_event(201),
    ("DELETE", "/api/v1/manage/events/{slug}/team/{member_id}"): api_organisers_of_the_event(204),
    ("GET", "/api/v1/manage/events/{slug}/guests"): api_organisers_of_the_event(200),
    ("POST", "/api/v1/manage/events/{slug}/guests"): api_organisers_of_the_event(201),
    ("GET", "/api/v1/manage/events/{slug}/registrations/{registration_id}"): api_organisers_of_the_event(200),
    ("GET", "/api/v1/manage/events/{slug}/history"): api_organisers_of_the_event(200),
    # Tickets and check-in (civicmeet/api/checkin.py; cases: civicmeet/checkin/tests/test_api.py, with
    # a desk member of another event). The world's registrations are submitted: no ticket (404),
    # and the body's code is forged, so the event's organisers and desk are answered 409 "tampered".
    ("GET", "/api/v1/registrations/{token}/ticket"): everyone(404),
    ("POST", "/api/v1/manage/events/{slug}/checkins"): api_desk_of_the_event(409),
    ("GET", "/api/v1/manage/events/{slug}/checkins"): api_desk_of_the_event(200),
    # The last week, read-only (civicmeet/api/before.py; cases: civicmeet/api/tests/test_before.py):
    # organisers only, the desk gets 404 like an outsider.
    ("GET", "/api/v1/manage/events/{slug}/reconfirmations"): api_organisers_of_the_event(200),
    ("GET", "/api/v1/manage/events/{slug}/seat-offers"): api_organisers_of_the_event(200),
    # The network's directory, read-only: public items for everyone, more for members' tokens
    # (civicmeet/api/tests/test_network.py). The world's one organisation is our participant's,
    # a draft from the registration (no one sees a draft through the API), and it has no channel
    # or project, so those answer 404 to everyone.
    ("GET", "/api/v1/network/communities"): everyone(200),
    ("GET", "/api/v1/network/organisations"): everyone(200),
    ("GET", "/api/v1/network/organisations/{organisation_id}"): everyone(404),
    ("GET", "/api/v1/network/activities"): everyone(200),
    ("GET", "/api/v1/network/resources"): everyone(200),
    ("GET", "/api/v1/network/channels"): everyone(200),
    ("GET", "/api/v1/network/channels/{channel_id}"): everyone(404),
    ("GET", "/api/v1/network/good-practices"): everyone(200),
    ("GET", "/api/v1/network/programmes"): everyone(200),
    ("GET", "/api/v1/network/projects/{slug}"): everyone(404),
    ("GET", "/api/v1/network/project-offers"): everyone(200),
}


# -- Every route is in the matrix -------------------------------------------------------------


def test_every_route_is_in_the_matrix():
    missing = [
        route
        for route in site_routes()
        if route not in PAGES
        and route not in NOT_A_PAGE
        and not route.startswith(ADMIN_PREFIX)
        and not (route.startswith(API_PREFIX) and _api_path(route) in {path for _m, path in API})
    ]
    assert missing == [], "Add these routes to PAGES in tests/security/test_access_matrix.py"
    stale = [route for route in PAGES if route not in site_routes()]
    assert stale == [], "These PAGES rows no longer match a route"


def test_every_api_operation_is_in_the_matrix():
    operations = set(api_operations())
    assert operations - set(API) == set(), "Add these operations to API in tests/security/test_access_matrix.py"
    assert set(API) - operations == set(), "These API rows no longer match an operation"


def _api_path(route: str) -> str:
    """ninja's URL route 'api/v1/events/<slug>' -> the OpenAPI path '/api/v1/events/{slug}'."""
    return "/" + re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", route)


# -- The matrix -------------------------------------------------------------------------------


def _page_url(route: str, world, persona: str) -> str:
    path = fill(route, world, persona)
    if route.startswith(("api/", "i18n/", "healthz", "readyz", "images/")):
        return "/" + path
    return "/en/" + path


def _run(world, persona: str, send) -> tuple[object, bool]:
    """Send one request in a savepoint; return its outcome and whether the database changed."""
    with transaction.atomic():
        before = fingerprint()
        response = send()
        changed = fingerprint() != before
        transaction.set_rollback(True)
    assert response.status_code < 500, f"{persona}: {response.status_code}"
    return outcome(response), changed


@pytest.mark.parametrize(
    ("route", "method"), [(route, method) for route, methods in PAGES.items() for method in methods]
)
def test_page_access(world, route, method):
    expected = PAGES[route][method]
    seen, changed_by = {}, []
    for persona in PERSONAS:
        client = world.client_for(persona)
        url = _page_url(route, world, persona)
        body = bodies.page_body(route, world)
        result, changed = _run(
            world,
            persona,
            lambda client=client, url=url, body=body: client.get(url) if method == "GET" else client.post(url, body),
        )
        seen[persona] = result
        if result in DENIED and changed:
            changed_by.append(persona)
    assert seen == expected
    assert changed_by == [], "A refused request changed the database"


@pytest.mark.parametrize(("method", "path"), list(API))
def test_api_access(world, method, path):
    expected = API[(method, path)]
    seen, changed_by = {}, []
    for persona in PERSONAS:
        client = world.client_for(ANON)  # the API knows no sessions, only bearer tokens
        url = fill(path, world, persona)
        headers = world.api_headers(persona)
        body = json.dumps(bodies.api_body(method, path, world))

        def send(client=client, url=url, headers=headers, body=body):
            return _api_send(client, method, url, body, headers)

        result, changed = _run(world, persona, send)
        seen[persona] = result
        if result in DENIED and changed:
            changed_by.append(persona)
    assert seen == expected
    assert changed_by == [], "A refused request changed the database"


def _api_send(client, method: str, url: str, body: str, headers: dict[str, str]):
    if method in ("GET", "DELETE"):
        return getattr(client, method.lower())(url, headers=headers)
    return getattr(client, method.lower())(url, body, content_type="application/json", headers=headers)


def test_allowed_state_changes_really_change_something(world):
    """The matrix's 'nothing changed' would prove nothing if the bodies could not change anything."""
    client = world.client_for(ORGANISER)
    for route in (
        "manage/events/<slug:slug>/team/",
        "manage/events/<slug:slug>/identity/",
        "manage/events/<slug:slug>/registrations/<int:pk>/decide/",
        "manage/events/<slug:slug>/decide/",
        "manage/events/<slug:slug>/guests/new/",
        "manage/events/<slug:slug>/registrations/<int:pk>/erase/",
        "manage/events/<slug:slug>/unpublish/",
    ):
        url = _page_url(route, world, ORGANISER)
        _result, changed = _run(
            world, ORGANISER, lambda url=url, route=route: client.post(url, bodies.page_body(route, world))
        )
        assert changed, route
    api_client = world.client_for(ANON)
    writes = [
        (method, path) for method, path in API if method != "GET" and path != "/api/v1/events/{slug}/registrations"
    ]
    assert len(writes) >= 10
    for method, path in writes:
        if path.startswith("/api/v1/registrations/{token}") or path.endswith("/safety-check"):
            continue  # the participant's own, and the check that stores nothing
        if path.endswith("/checkins"):
            continue  # the world has no accepted person to check in (a real one: civicmeet/checkin/tests/test_api.py)
        with transaction.atomic():
            if path.endswith("/publish"):
                # Publishing a published event changes nothing: publish an unpublished one.
                event_unpublish(event=world.ours, actor=world.users[ORGANISER])
            _result, changed = _run(
                world,
                ORGANISER,
                lambda method=method, path=path: _api_send(
                    api_client,
                    method,
                    fill(path, world, ORGANISER),
                    json.dumps(bodies.api_body(method, path, world)),
                    world.api_headers(ORGANISER),
                ),
            )
            transaction.set_rollback(True)
        assert changed, (method, path)


# -- Objects of other events, other tokens ------------------------------------------------------


# Registrations' pages (the directory's <int:pk> is an organisation's: test_profile_edit.py).
PK_ROUTES = [route for route in PAGES if "<int:pk>" in route and not route.startswith("network/organisations/")]


@pytest.mark.parametrize("route", PK_ROUTES)
def test_a_registration_of_another_event_is_not_found_through_our_event(world, route):
    """Organisers of our event name a registration of the other event by its id: 404, no change."""
    url = "/en/" + route.replace("<slug:slug>", world.ours.slug).replace("<int:pk>", str(world.elsewhere.pk))
    for persona in (ORGANISER, STAFF):
        client = world.client_for(persona)
        for method in PAGES[route]:
            result, changed = _run(
                world,
                persona,
                lambda client=client, method=method: getattr(client, method.lower())(
                    url, bodies.page_body(route, world)
                ),
            )
            if persona == STAFF:
                # Staff may see every event, but still only through the event it belongs to.
                assert result in {404, 405}, (persona, method)
            else:
                assert result in {404, 405}, (persona, method)
            assert not changed


def test_api_decision_on_a_registration_of_another_event_is_not_found(world):
    client = world.client_for(ANON)
    url = f"/api/v1/events/{world.ours.slug}/registrations/{world.elsewhere.pk}/decision"
    response = client.post(
        url, json.dumps({"decision": "accept"}), content_type="application/json", headers=world.api_headers(ORGANISER)
    )
    assert response.status_code == 404
    world.elsewhere.refresh_from_db()
    assert world.elsewhere.state == State.SUBMITTED


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("GET", "/api/v1/manage/events/{slug}/registrations/{id}"),
        ("DELETE", "/api/v1/manage/events/{slug}/team/{id}"),
    ],
)
def test_api_ids_of_another_event_are_not_found_through_ours(world, method, path):
    """A registration or a team member of the other event, named through our event: 404, no change."""
    from civicmeet.accounts.models import TeamMember

    ids = {
        "registrations": world.elsewhere.pk,
        "team": TeamMember.objects.get(team=world.other_event.team, user=world.users[OUTSIDER]).pk,
    }
    url = path.replace("{slug}", world.ours.slug).replace("{id}", str(ids[path.split("/")[-2]]))
    for persona in (ORGANISER, STAFF):
        result, changed = _run(
            world,
            persona,
            lambda persona=persona: _api_send(world.client_for(ANON), method, url, "", world.api_headers(persona)),
        )
        assert (result, changed) == (404, False), persona


def test_api_list_never_contains_another_events_registrations(world):
    client = world.client_for(ANON)
    response = client.get(f"/api/v1/events/{world.ours.slug}/registrations", headers=world.api_headers(ORGANISER))
    emails = {item["email"] for item in response.json()["items"]}
    assert emails == {"mine@example.org", "theirs@example.org"}


@pytest.mark.parametrize(
    "route", [route for route in PAGES if "<str:token>" in route and PAGES[route]["GET"][PARTICIPANT] == 200]
)
def test_a_token_shows_only_its_own_registration(world, route):
    page = world.client_for(OTHER_PARTICIPANT).get(_page_url(route, world, OTHER_PARTICIPANT)).content.decode()
    assert "mine@example.org" not in page
    assert "Mine" not in page


def test_organisers_lists_show_only_their_events(world):
    title = world.ours.title["en"]
    assert world.ours.slug in world.client_for(ORGANISER).get("/en/manage/").content.decode()
    page = world.client_for(OUTSIDER).get("/en/manage/").content.decode()
    assert world.ours.slug not in page
    # The event's desk member finds the event's desk there, and no other address of the event.
    page = world.client_for(DESK).get("/en/manage/").content.decode()
    event_addresses = set(re.findall(rf'href="([^"]*{re.escape(world.ours.slug)}[^"]*)"', page))
    assert event_addresses == {f"/en/manage/events/{world.ours.slug}/desk/"}, event_addresses
    assert page.count(world.ours.slug) == 1
    assert title  # the slug check above is the one that can fail; the title is shared by the factory


def test_unpublished_event_is_hidden_from_everyone_but_its_organisers(world):
    world.ours.is_published = False
    world.ours.save()
    for persona in PERSONAS:
        client = world.client_for(persona)
        statuses = {
            client.get(f"/en/e/{world.ours.slug}/").status_code,
            client.get(f"/en/e/{world.ours.slug}/register/").status_code,
        }
        api_status = world.client_for(ANON).get(f"/api/v1/events/{world.ours.slug}").status_code
        if persona in (ORGANISER, STAFF):
            assert 200 in statuses, persona
        else:
            assert statuses == {404}, persona
        assert api_status == 404


def test_api_root_is_not_found(client):
    assert client.get("/api/v1/").status_code == 404


# -- Admin ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "path",
    [
        "/admin/",
        "/admin/registrations/registration/",
        "/admin/registrations/registration/{pk}/change/",
        "/admin/auth/user/",
        "/admin/accounts/apitoken/",
    ],
)
def test_admin_is_for_staff_only(world, path):
    url = path.format(pk=world.mine.pk)
    for persona in PERSONAS:
        result, changed = _run(world, persona, lambda persona=persona: world.client_for(persona).get(url))
        assert result == (200 if persona == STAFF else LOGIN), persona
        assert not changed


# -- Tokens -----------------------------------------------------------------------------------------

URLSAFE = set(string.ascii_letters + string.digits + "-_")


def _entropy_bits(token: str) -> float:
    # token_urlsafe: every character carries 6 bits.
    return len(token) * 6


def test_registration_tokens_have_at_least_128_bits_and_are_unique(world):
    tokens = [new_token() for _ in range(200)] + list(Registration.objects.values_list("token", flat=True))
    assert len(set(tokens)) == len(tokens)
    for token in tokens:
        assert set(token) <= URLSAFE
        assert _entropy_bits(token) >= 128 + 6  # 43 characters of token_urlsafe(32): 256 bits
    assert Registration._meta.get_field("token").unique


def test_registration_token_is_made_by_the_secrets_module():
    import inspect

    from civicmeet.registrations import models

    source = inspect.getsource(models.new_token)
    assert "secrets.token_urlsafe(32)" in source


def test_api_tokens_have_at_least_128_bits_and_only_their_hash_is_stored(organiser):
    raws = [ApiToken.issue(organiser) for _ in range(50)]
    assert len(set(raws)) == len(raws)
    for raw in raws:
        assert raw.startswith("cm_")
        body = raw.removeprefix("cm_")
        assert set(body) <= URLSAFE
        assert _entropy_bits(body) >= 256 - 6
    stored = set(ApiToken.objects.values_list("key_hash", flat=True))
    assert not any(raw in stored for raw in raws)
    assert all(re.fullmatch(r"[0-9a-f]{64}", key) for key in stored)


def test_api_token_lookup_is_by_hash_so_no_comparison_touches_the_secret(world):
    """The bearer token is hashed before the database lookup: the only comparison the database does
    is on a SHA-256 of it, so its timing says nothing about the token's characters."""
    raw = world.api_tokens[ORGANISER]
    with CaptureQueriesContext(connection) as queries:
        response = world.client_for(ANON).get(
            f"/api/v1/events/{world.ours.slug}/registrations", headers={"Authorization": f"Bearer {raw}"}
        )
    assert response.status_code == 200
    sql = " ".join(query["sql"] for query in queries.captured_queries)
    assert raw not in sql and raw.removeprefix("cm_") not in sql
    assert hash_token(raw) in sql


@pytest.mark.parametrize("kind", ["page", "api"])
def test_registration_token_lookup_is_one_exact_indexed_equality(world, kind):
    """Personal links are looked up with `token = <value>` on a unique index. A B-tree equality may
    stop at the first differing byte, but an attacker would have to learn a 256-bit random value
    byte by byte through the network timing of an index probe, while every miss answers the same
    404: not practical (the reasoning Django applies to session keys). Hashing the token before the
    lookup, as for API tokens, would close even that: a possible hardening, not a bug."""
    token = world.mine.token
    client = world.client_for(ANON)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(f"/en/r/{token}/" if kind == "page" else f"/api/v1/registrations/{token}")
    assert response.status_code == 200
    lookups = [query["sql"] for query in queries.captured_queries if token in query["sql"]]
    assert len(lookups) == 1, lookups
    assert re.search(r'"token"\s*=\s*\'' + re.escape(token) + "'", lookups[0]), lookups[0]
    assert " LIKE " not in lookups[0].upper()
    assert Registration._meta.get_field("token").unique


def test_a_guessed_token_is_not_found_and_says_nothing(world):
    client = world.client_for(ANON)
    near_miss = world.mine.token[:-1] + ("A" if world.mine.token[-1] != "A" else "B")
    for token in (near_miss, world.mine.token.upper(), world.mine.token + "x", secrets.token_urlsafe(32), "x" * 500):
        assert client.get(f"/en/r/{token}/").status_code == 404
        assert client.get(f"/api/v1/registrations/{token}").status_code == 404
