"""Every page of the site, in Polish, Ukrainian and English, on a 360 × 740 phone: axe-core finds no
WCAG 2.1 A/AA violation and nothing scrolls sideways.

The list of pages comes from the URL configuration: `test_every_page_is_visited_or_excused` fails
when a named route under the language prefix is neither visited here nor excluded with a reason,
so a new page cannot be missed silently. One browser context walks the public and participant pages
first, then logs in as the demo's organiser once and walks the organiser pages; the problems of all
pages are reported together at the end.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

import pytest
from django.contrib.auth.models import Permission
from django.core.management import call_command
from django.test import RequestFactory
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.urls.resolvers import LocalePrefixPattern
from django.utils import translation
from django.utils.translation import gettext
from django.views.defaults import server_error

from civicmeet.accounts.models import TeamRole
from civicmeet.events.models import Event
from civicmeet.events.team_invitations import team_invitation_send
from civicmeet.notifications.models import OutgoingEmail
from civicmeet.registrations import export_tasks
from civicmeet.registrations.models import Registration, State

from .conftest import PHONE

pytestmark = pytest.mark.django_db(transaction=True)

SLUG = "spotkanie-sieciujace-krakow"  # the demo's meeting
ORGANISER = ("organiser@civicmeet.local", "civicmeet-demo")
LANGUAGES = ("pl", "uk", "en")

# Named routes under the language prefix that are not pages to look at, and why.
EXCLUDED = {
    "accounts:logout": "POST only: logs out",
    "events:publish": "POST only: publishes the event",
    "events:unpublish": "POST only: unpublishes the event",
    "registrations:safety_check": "POST only: the form's live safety verdict (an htmx fragment)",
    "registrations:decide": "POST only: a decision (its result is the registration's page, visited)",
    "registrations:undo": "POST only: undoes a decision",
    "registrations:organiser_cancel": "POST only: cancels a registration",
    "registrations:bulk_decide": "POST only: decides many registrations",
    "registrations:bulk_confirm": "answers a POST: visited after the route loop, from the dashboard",
    "registrations:export_xlsx": "POST only: starts an export (its status page is visited)",
    "registrations:export_csv": "a file download (CSV)",
    "registrations:export_download": "a file download (XLSX)",
    "registrations:personal_data": "a file download (the participant's data, JSON)",
    "registrations:organiser_data": "a file download (a participant's data, JSON)",
    "registrations:organiser_erase": "POST only: erases a participant's data",
    "registrations:calendar": "a file download (the .ics calendar entry)",
    # Offers and needs: tests/e2e/test_offers_and_needs.py opens each of these at 360 px in pl/uk/en
    # with axe (it needs two organisations with representatives, an offer, a need and a contact request).
    "resources:offers": "visited in every language by tests/e2e/test_offers_and_needs.py",
    "resources:detail": "visited in every language by tests/e2e/test_offers_and_needs.py",
    "resources:resource_edit": "visited in every language by tests/e2e/test_offers_and_needs.py",
    "resources:resource_delete": "visited in every language by tests/e2e/test_offers_and_needs.py",
    "resources:activity": "visited in every language by tests/e2e/test_offers_and_needs.py",
    "resources:activity_edit": "visited in every language by tests/e2e/test_offers_and_needs.py",
    "resources:activity_delete": "visited in every language by tests/e2e/test_offers_and_needs.py",
    "resources:mine": "visited in every language by tests/e2e/test_offers_and_needs.py",
    "resources:manage": "visited in every language by tests/e2e/test_offers_and_needs.py",
    "resources:resource_create": "visited in every language by tests/e2e/test_offers_and_needs.py",
    "resources:activity_create": "visited in every language by tests/e2e/test_offers_and_needs.py",
    "resources:suggestions": "visited in every language by tests/e2e/test_offers_and_needs.py",
    "resources:contact": "visited in every language by tests/e2e/test_offers_and_needs.py",
    "resources:contact_request": "visited in every language by tests/e2e/test_offers_and_needs.py",
    "resources:contact_answer": "visited in every language by tests/e2e/test_offers_and_needs.py",
    "resources:suggestion_dismiss": "POST only: hides a suggestion",
    "channels:act": "POST only: submits, takes back, archives or publishes again a text",
    "channels:propose": "needs an approved representative (the walk's organiser is a moderator): "
    "visited with axe on a phone in tests/e2e/test_channels.py",
    "registrations:represent": "POST only: asks to represent the registration's organisation",
    "directory:representative_request": "POST only: asks to represent an organisation (form on my_network)",
    "directory:representative_decide": "POST only: a moderator approves or refuses",
    "directory:representative_remove": "POST only: ends a representation",
    "directory:representative_consent": "POST only: the person's consent to show their contact",
    "programmes:signups_export": "a file download (an offer's sign-ups, CSV or XLSX)",
    "directory:duplicates_scan": "POST only: starts the comparison of the whole directory",
    "directory:not_duplicates": "POST only: records that two organisations are different",
    "directory:import_apply": "answers a POST: the dry run and the import's result are checked with axe at 360 px "
    "in pl/uk/en by tests/e2e/test_directory_data.py",
    "directory:import_template_csv": "a file download (the import template, CSV)",
    "directory:import_template_xlsx": "a file download (the import template, XLSX)",
    "directory:export_csv": "a file download (the directory, CSV)",
    "directory:export_xlsx": "a file download (the directory, XLSX)",
    "directory:export_json": "a file download (the directory, HSDS JSON)",
    "directory:organisation_checked": "POST only: the information is still correct (button on the profile)",
    "directory:organisation_publish": "POST only: a moderator publishes a draft (button on the review queue)",
    "directory:organisation_unpublish": "POST only: a moderator takes a profile back to draft",
    # Before the day: the links' own tokens are only in the emails; tests/e2e/test_before_the_day.py
    # opens both pages (and their answered states) at 360 px in pl/uk/en with axe.
    "registrations:reconfirm": "visited in every language by tests/e2e/test_before_the_day.py",
    "registrations:offer": "visited in every language by tests/e2e/test_before_the_day.py",
    "registrations:waitlist_move": "POST only: moves a person on the waiting list",
    "registrations:offer_make": "POST only: offers a free seat to one person",
    "registrations:offers_fill": "POST only: offers the free seats to the next people",
    "checkin:desk_checkin_form": "POST only: checks a person in from the desk's search results",
    "checkin:desk_list": "JSON for the desk's script (the people it caches)",
    "checkin:desk_worker": "the desk's service worker (JavaScript), tested in tests/e2e/test_desk.py",
    "checkin:desk_verdict": "JSON for the desk's script (a person's safety-rule verdict now)",
    "checkin:desk_checkins": "POST only, JSON: a check-in from the desk's script",
    "checkin:desk_walk_ins": "POST only, JSON: a walk-in from the desk's script",
    "checkin:report_pdf": "a file download (the report, PDF; its text is checked in checkin/tests/test_report_views.py)",
    "checkin:report_xlsx": "a file download (the report, XLSX)",
    "checkin:badges_sheet_start": "POST only: starts the badge sheets (its status page is visited)",
    "checkin:badges_single_start": "POST only: starts the badges one a page (its status page is visited)",
    "checkin:attendance_pdf_start": "POST only: starts the attendance list as PDF (its status page is visited)",
    "checkin:document_status": "visited in every language (being made and ready) by tests/e2e/test_documents.py",
    "checkin:document_download": "a file download (badges or the attendance list, PDF)",
    "checkin:attendance_xlsx": "a file download (the attendance list, XLSX)",
    "checkin:catering_pdf": "a file download (the caterer's sheet, PDF)",
    "checkin:certificates_send": "POST only: emails the certificates",
    "checkin:ticket_pdf": "a file download (the participant's ticket, PDF)",
    "checkin:certificate_pdf": "a file download (the certificate of attendance, PDF)",
}


@dataclass
class World:
    event: Event
    submitted: Registration
    accepted: Registration
    export_id: str
    invitation_token: str


@dataclass(frozen=True)
class Visit:
    name: str
    persona: str  # "anonymous" or "organiser"
    kwargs: Callable[[World], dict[str, object]]
    label: str = ""  # when one route is visited in several states

    @property
    def key(self) -> str:
        return f"{self.name} {self.label}".strip()


def event(w: World) -> dict[str, object]:
    return {"slug": w.event.slug}


def nothing(w: World) -> dict[str, object]:
    return {}


def signin_token(w: World) -> dict[str, object]:
    """A fresh sign-in link of the demo's organiser (only its hash is stored: read from the email)."""
    from civicmeet.accounts.signin_links import account_find, signin_link_issue

    signin_link_issue(user=account_find(email=ORGANISER[0]), language="en")
    return {"token": re.search(r"/accounts/signin/([^/\s]+)/", OutgoingEmail.objects.latest("pk").body_text).group(1)}


def first_organisation(w: World) -> dict[str, object]:
    from civicmeet.organisations.models import Organisation

    return {"organisation_pk": Organisation.objects.order_by("pk").values_list("pk", flat=True)[0]}


def programme_pages(w: World) -> dict[str, object]:
    """The invitation's programme and projects (programmes.examples) and one sign-up, made once."""
    from civicmeet.organisations.models import Organisation
    from civicmeet.programmes import services as programme_services
    from civicmeet.programmes.examples import PROGRAMME, load_examples
    from civicmeet.programmes.models import OfferSignUp, ProjectOffer

    cached = getattr(w, "_programme_pages", None)
    if cached is None:
        names = ("Fundacja Zustricz", "Żydowskie Stowarzyszenie Czulent")
        organisations = {
            name: Organisation.objects.filter(name__iexact=name).first()
            or Organisation.objects.create(name=name, type="migrant")
            for name in names
        }
        load_examples(organisations=organisations)
        offer = ProjectOffer.objects.filter(seats__isnull=False).order_by("pk").first()
        OfferSignUp.objects.filter(offer=offer, email="olena@example.org").delete()
        _signup, token = programme_services.offer_signup(
            offer=offer,
            data=programme_services.SignUpData(name="Olena Kovalenko", email="olena@example.org", language="uk"),
        )
        cached = {"programme": PROGRAMME["slug"], "project": offer.project.slug, "offer": offer.pk, "token": token}
        w._programme_pages = cached  # type: ignore[attr-defined]
    return cached


def channels(w: World) -> dict[str, int]:
    """Kraków's example offices, good practice and an experience (civicmeet/channels/examples.py),
    published by the demo's organiser as a moderator, and an office waiting for review."""
    from civicmeet.accounts.signin_links import account_find
    from civicmeet.channels.examples import load_examples, load_waiting_example
    from civicmeet.channels.models import ChannelExperience, GoodPractice, ItemStatus

    account_find(email=ORGANISER[0]).user_permissions.add(Permission.objects.get(codename="moderate_network"))
    moderator = account_find(email=ORGANISER[0])
    load_examples(moderator=moderator, organisation=w.submitted.organisation)
    waiting = load_waiting_example(author=moderator)
    experience = ChannelExperience.objects.filter(status=ItemStatus.PUBLISHED).order_by("pk").first()
    practice = GoodPractice.objects.filter(status=ItemStatus.PUBLISHED).order_by("pk").first()
    assert experience and practice
    return {
        "channel": experience.channel_id,
        "experience": experience.pk,
        "practice": practice.pk,
        "waiting": waiting.pk,
    }


def published_profile(w: World) -> dict[str, object]:
    """A public organisation of the directory (the demo's, published by its moderating organiser if none is)."""
    from civicmeet.accounts.signin_links import account_find
    from civicmeet.organisations.models import Organisation, OrganisationStatus
    from civicmeet.organisations.selectors import organisation_slug
    from civicmeet.organisations.services_profile import organisation_publish

    organisation = Organisation.objects.filter(status=OrganisationStatus.PUBLISHED, visibility="public").first()
    if organisation is None:
        organisation = organisation_publish(
            organisation=Organisation.objects.order_by("pk").first(), actor=account_find(email=ORGANISER[0])
        )
    return {"pk": organisation.pk, "slug": organisation_slug(organisation)}


def two_organisations(w: World) -> dict[str, int]:
    """Two organisations of the demo, for the merge's confirmation page (which changes nothing)."""
    from civicmeet.organisations.models import Organisation

    first, second = Organisation.objects.order_by("pk").values_list("pk", flat=True)[:2]
    return {"survivor": first, "duplicate": second}


VISITS = [
    # Public and participant pages (a participant has no account: the token is the key).
    Visit("events:list", "anonymous", nothing),
    Visit("events:detail", "anonymous", event),
    Visit("registrations:register", "anonymous", event),
    Visit("registrations:privacy_notice", "anonymous", event),
    Visit("registrations:received", "anonymous", lambda w: {"token": w.submitted.token}),
    Visit("registrations:personal", "anonymous", lambda w: {"token": w.submitted.token}, "submitted"),
    Visit("registrations:personal", "anonymous", lambda w: {"token": w.accepted.token}, "accepted"),
    Visit("registrations:edit", "anonymous", lambda w: {"token": w.submitted.token}),
    Visit("registrations:cancel", "anonymous", lambda w: {"token": w.submitted.token}),
    Visit("registrations:erase", "anonymous", lambda w: {"token": w.submitted.token}),
    Visit("accounts:login", "anonymous", nothing),
    Visit("accounts:invitation", "anonymous", lambda w: {"token": w.invitation_token}),
    Visit("channels:list", "anonymous", nothing),
    Visit("channels:detail", "anonymous", lambda w: {"pk": channels(w)["channel"]}),
    Visit("channels:history", "anonymous", lambda w: {"kind": "channel", "pk": channels(w)["channel"]}),
    Visit("channels:practice_list", "anonymous", nothing),
    Visit("channels:practice_detail", "anonymous", lambda w: {"pk": channels(w)["practice"]}),
    Visit("accounts:signin_link", "anonymous", nothing),
    Visit("accounts:signin_link_open", "anonymous", signin_token),
    Visit("directory:search", "anonymous", nothing),  # with results: tests/e2e/test_search.py
    Visit("directory:export", "anonymous", nothing),
    Visit("directory:list", "anonymous", nothing),
    Visit("directory:organisation", "anonymous", published_profile),
    Visit("programmes:list", "anonymous", nothing),
    Visit("programmes:programme", "anonymous", lambda w: {"slug": programme_pages(w)["programme"]}),
    Visit("programmes:project", "anonymous", lambda w: {"slug": programme_pages(w)["project"]}),
    Visit("programmes:offer", "anonymous", lambda w: {"pk": programme_pages(w)["offer"]}),
    Visit("programmes:signup", "anonymous", lambda w: {"token": programme_pages(w)["token"]}),
    # Organisers.
    Visit("registrations:event_list", "organiser", nothing),
    Visit("registrations:dashboard", "organiser", event),
    Visit("registrations:detail", "organiser", lambda w: {"slug": w.event.slug, "pk": w.submitted.pk}, "submitted"),
    Visit("registrations:detail", "organiser", lambda w: {"slug": w.event.slug, "pk": w.accepted.pk}, "accepted"),
    Visit("registrations:guest_add", "organiser", event),
    Visit("registrations:catering", "organiser", event),
    Visit("registrations:before_the_day", "organiser", event),  # with answers and offers: test_before_the_day.py
    Visit("checkin:desk", "organiser", event),  # with search results, offline and scanning: test_desk.py
    Visit("checkin:desk_walk_in", "organiser", event),
    Visit("checkin:report", "organiser", event),  # with figures and charts: tests/e2e/test_report.py
    Visit("checkin:counters", "organiser", event),
    Visit("checkin:documents", "organiser", event),  # a job's status page: tests/e2e/test_documents.py
    Visit("registrations:export_status", "organiser", lambda w: {"slug": w.event.slug, "export_id": w.export_id}),
    Visit("registrations:outbox", "organiser", event),
    Visit("registrations:data_protection", "organiser", event),
    Visit("events:create", "organiser", nothing),
    Visit("events:edit", "organiser", event),
    Visit("events:identity", "organiser", event),
    Visit("events:questions", "organiser", event),
    Visit("events:team", "organiser", event),
    Visit("events:history", "organiser", event),
    # The network, the organiser being a moderator too (the world fixture makes them one).
    Visit("directory:my_network", "organiser", nothing),
    Visit("directory:representatives", "organiser", first_organisation),
    Visit("directory:representatives_review", "organiser", nothing),
    Visit("directory:duplicates", "organiser", nothing),
    Visit("directory:merge", "organiser", two_organisations),
    Visit("directory:merge_history", "organiser", lambda w: {"organisation_pk": two_organisations(w)["survivor"]}),
    Visit("directory:import", "organiser", nothing),
    Visit("directory:review", "organiser", nothing),
    Visit("directory:organisation", "organiser", published_profile, "as its editor"),
    Visit("directory:organisation_edit", "organiser", lambda w: {"pk": published_profile(w)["pk"]}),
    Visit("programmes:signups", "organiser", lambda w: {"pk": programme_pages(w)["offer"]}),
    Visit("programmes:programme_new", "organiser", nothing),
    Visit("programmes:project_new", "organiser", lambda w: {"slug": programme_pages(w)["programme"]}),
    Visit("programmes:project_edit", "organiser", lambda w: {"slug": programme_pages(w)["project"]}),
    Visit("programmes:offer_new", "organiser", lambda w: {"slug": programme_pages(w)["project"]}),
    Visit("programmes:offer_edit", "organiser", lambda w: {"pk": programme_pages(w)["offer"]}),
    # Channels to local government, the organiser moderating them.
    Visit("channels:create", "organiser", nothing),
    Visit("channels:edit", "organiser", lambda w: {"pk": channels(w)["channel"]}),
    Visit("channels:experience_create", "organiser", lambda w: {"pk": channels(w)["channel"]}),
    Visit("channels:experience_edit", "organiser", lambda w: {"pk": channels(w)["experience"]}),
    Visit("channels:practice_create", "organiser", nothing),
    Visit("channels:practice_edit", "organiser", lambda w: {"pk": channels(w)["practice"]}),
    Visit("channels:mine", "organiser", nothing),
    Visit("channels:review", "organiser", nothing),
    Visit("channels:review_item", "organiser", lambda w: {"kind": "channel", "pk": channels(w)["waiting"]}),
    Visit("styleguide", "organiser", nothing),
]
# Pages that are not routes of their own: errors, and a form sent back with its errors.
EXTRA = ["404", "403 CSRF", "429", "500", "register with errors", "bulk confirm", "event form with errors"]


def i18n_route_names() -> set[str]:
    """The names of every route under the language prefix ("namespace:name")."""
    names: set[str] = set()

    def walk(patterns, namespace: str) -> None:
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
                walk(pattern.url_patterns, inner)
            elif isinstance(pattern, URLPattern) and pattern.name:
                names.add(f"{namespace}{pattern.name}")

    for resolver in get_resolver().url_patterns:
        if isinstance(resolver, URLResolver) and isinstance(resolver.pattern, LocalePrefixPattern):
            walk(resolver.url_patterns, "")
    return names


def test_every_page_is_visited_or_excused():
    names = i18n_route_names()
    visited = {visit.name for visit in VISITS}
    assert not visited & set(EXCLUDED), "a route is both visited and excluded"
    missing = sorted(names - visited - set(EXCLUDED))
    assert not missing, f"Visit these pages in VISITS or exclude them with a reason in EXCLUDED: {missing}"
    gone = sorted((visited | set(EXCLUDED)) - names)
    assert not gone, f"No longer routes (remove them here): {gone}"


# What a page must not do on a phone: scroll sideways, or have an element cut off at an edge.
# Elements inside a container that clips or scrolls its own overflow are that container's business;
# elements wholly off-screen are hidden on purpose (the skip link until it has focus).
OVERFLOW_JS = """(width) => {
    const offenders = [];
    const clipped = (element) => {
        for (let parent = element.parentElement; parent && parent !== document.body; parent = parent.parentElement) {
            const style = getComputedStyle(parent);
            if (style.overflowX !== "visible" || style.clip !== "auto") return true;
        }
        return false;
    };
    for (const element of document.body.querySelectorAll("*")) {
        const box = element.getBoundingClientRect();
        if (!box.width || !box.height) continue;
        const cut = (box.right > width + 1 && box.left < width) || (box.left < -1 && box.right > 0);
        if (cut && !clipped(element)) {
            const name = element.tagName.toLowerCase() + (element.id ? "#" + element.id : "")
                + (element.className && typeof element.className === "string" ? "." + element.className.trim().split(/\\s+/).join(".") : "");
            offenders.push(`${name} [${Math.round(box.left)}–${Math.round(box.right)} px] ${(element.innerText || "").trim().slice(0, 40)}`);
        }
    }
    return {scrollWidth: document.documentElement.scrollWidth, innerWidth: window.innerWidth, offenders: offenders.slice(0, 8)};
}"""


def _problems(page, axe_check, what: str) -> list[str]:
    problems: list[str] = []
    try:
        axe_check(page)
    except pytest.fail.Exception as failure:
        problems.append(f"{what}: {failure.msg}")
    fit = page.evaluate(OVERFLOW_JS, PHONE["width"])
    if fit["scrollWidth"] > PHONE["width"] or fit["innerWidth"] > PHONE["width"]:
        problems.append(f"{what}: scrolls sideways ({fit['scrollWidth']} px wide, viewport {fit['innerWidth']} px)")
    if fit["offenders"]:
        problems.append(f"{what}: sticks out of the screen: " + "; ".join(fit["offenders"]))
    return problems


@pytest.fixture
def world(capsys) -> World:
    call_command("load_demo")
    capsys.readouterr()  # the command's report
    meeting = Event.objects.get(slug=SLUG)
    registrations = Registration.objects.filter(event=meeting, role="participant").order_by("pk")
    submitted = registrations.filter(state=State.SUBMITTED).first()
    accepted = registrations.filter(state=State.ACCEPTED).first()
    assert submitted and accepted, "the demo has a submitted and an accepted registration"
    export = export_tasks.export_xlsx_start(event=meeting, query="", language="en")
    # The demo's organiser moderates the network; one request waits for their decision.
    from civicmeet.accounts.signin_links import account_find
    from civicmeet.organisations.services_representatives import representative_request_by_email

    account_find(email=ORGANISER[0]).user_permissions.add(Permission.objects.get(codename="moderate_network"))
    # The demo's registrants already represent their organisations: a colleague asks to.
    representative_request_by_email(
        organisation=submitted.organisation,
        email="iryna.koval@example.org",
        name="Iryna Koval",
        role="",
        language="uk",
        details={"event": meeting.slug, "event_title": meeting.display_title(), "registration": submitted.pk},
    )
    # An invitation to the team: its one-time link is only in the email.
    team_invitation_send(event=meeting, email="new.member@example.org", role=TeamRole.ORGANISER, language="en")
    link = re.search(r"/accounts/invitation/([^/\s]+)/", OutgoingEmail.objects.latest("pk").body_text)
    assert link, "the invitation email has its link"
    return World(
        event=meeting,
        submitted=submitted,
        accepted=accepted,
        export_id=export.id,
        invitation_token=link.group(1),
    )


def test_every_page_fits_a_phone_and_passes_axe_in_every_language(
    world, page, base_url, axe_check, screenshot, settings
):
    problems: list[str] = []

    def visit(path: str, what: str, status: int = 200) -> None:
        response = page.goto(path)
        assert response is not None
        if response.status != status:
            problems.append(f"{what}: answered {response.status}, expected {status}")
        problems.extend(_problems(page, axe_check, what))

    def url(visit: Visit, language: str) -> str:
        with translation.override(language):
            return reverse(visit.name, kwargs=visit.kwargs(world))

    for language in LANGUAGES:
        for item in VISITS:
            if item.persona != "anonymous":
                continue
            visit(url(item, language), f"{item.key} ({language})")
            if item.name == "events:detail" and language == "uk":
                screenshot(page, "site-event-page-uk", full_page=False)  # the README's picture
        # The registration form sent empty: the error summary and every field's error.
        page.goto(url(Visit("registrations:register", "anonymous", event), language))
        # Sent as it is (the form's steps would stop an empty first step in the browser).
        with page.expect_navigation():
            page.evaluate("document.querySelector('main form[method=post]').submit()")
        if page.locator("#error-summary").count() != 1:
            problems.append(f"register with errors ({language}): no error summary")
        problems.extend(_problems(page, axe_check, f"register with errors ({language})"))
        visit(f"/{language}/no-such-page/", f"404 ({language})", status=404)
        # A form whose CSRF cookie has gone: the "form has expired" page.
        page.goto(f"/{language}/accounts/login/")
        page.context.clear_cookies()
        page.fill("#id_username", "someone@example.org")
        page.fill("#id_password", "x")
        page.locator("main form button[type=submit]").click()
        page.wait_for_load_state()
        with translation.override(language):
            if page.locator("h1").inner_text() != gettext("The form has expired"):
                problems.append(f"403 CSRF ({language}): the CSRF failure page did not answer")
        problems.extend(_problems(page, axe_check, f"403 CSRF ({language})"))
        # Too many attempts at logging in: the 429 page.
        settings.RATE_LIMITS_ENABLED = settings.RATELIMIT_ENABLE = True
        settings.RATE_LIMIT_LOGIN = "1/m"
        for _attempt in range(2):
            page.goto(f"/{language}/accounts/login/")
            page.fill("#id_username", f"nobody-{language}@example.org")
            page.fill("#id_password", "wrong")
            page.locator("main form button[type=submit]").click()
            page.wait_for_load_state()
        settings.RATE_LIMITS_ENABLED = settings.RATELIMIT_ENABLE = False
        with translation.override(language):
            if page.locator("h1").inner_text() != gettext("Too many attempts"):
                problems.append(f"429 ({language}): the rate limit did not answer")
        problems.extend(_problems(page, axe_check, f"429 ({language})"))
    # The server error page: the same in every language, served as the server would.
    body = server_error(RequestFactory().get("/")).content
    page.route("**/server-error-preview/", lambda route: route.fulfill(status=500, body=body, content_type="text/html"))
    page.goto("/server-error-preview/")
    problems.extend(_problems(page, axe_check, "500"))

    # The organiser, logged in once for all their pages.
    page.goto("/en/accounts/login/")
    page.fill("#id_username", ORGANISER[0])
    page.fill("#id_password", ORGANISER[1])
    page.locator("main form button[type=submit]").click()
    page.wait_for_url("**/en/manage/")
    for language in LANGUAGES:
        for item in VISITS:
            if item.persona != "organiser":
                continue
            if item.name == "styleguide":
                settings.DEBUG = True  # the style guide exists only in development
            visit(url(item, language), f"{item.key} ({language})")
            settings.DEBUG = False
        # Pages that answer a POST. The confirmation of a decision on several people:
        page.goto(url(Visit("registrations:dashboard", "organiser", event), language))
        page.locator("#bulk-form input[name=registrations]").nth(0).check()
        page.locator("#bulk-form input[name=registrations]").nth(1).check()
        with page.expect_navigation():
            page.locator('#bulk-form button[name=decision][value="accept"]').click()
        if page.locator("#bulk-confirm-form").count() != 1:
            problems.append(f"bulk confirm ({language}): no confirmation page")
        problems.extend(_problems(page, axe_check, f"bulk confirm ({language})"))
        # A new event's form sent empty: its error summary and the fields' errors.
        page.goto(url(Visit("events:create", "organiser", nothing), language))
        with page.expect_navigation():
            page.evaluate("document.querySelector('#event-form').submit()")
        if page.locator("#error-summary").count() != 1:
            problems.append(f"event form with errors ({language}): no error summary")
        problems.extend(_problems(page, axe_check, f"event form with errors ({language})"))

    assert not problems, f"{len(problems)} problem(s):\n" + "\n".join(problems)
