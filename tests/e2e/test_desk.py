"""The check-in desk on a phone (360 px): a ticket scanned through Chromium's fake camera, a person
found by name in any script and checked in, the connection dropped and back without losing a
check-in (and a duplicate from another desk told), a QR code holding garbage that does not freeze
the page, the script's folding equal to the server's, axe-core in pl/uk/en."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
from django.test import Client
from PIL import Image
from playwright.sync_api import expect

from civicmeet.checkin.models import CheckIn
from civicmeet.checkin.qr import qr_png
from civicmeet.checkin.services import checkin_record
from civicmeet.checkin.tests.factories import accepted, client_id, desk_member
from civicmeet.checkin.tickets import ticket_code
from civicmeet.demo import content as demo_content
from civicmeet.events.tests.factories import EventFactory, UserFactory
from civicmeet.search.folding import fold

from .conftest import CHROMIUM, CHROMIUM_FLAGS, PHONE

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def world():
    organiser = UserFactory(email="anna@zustricz.example.org", first_name="Anna", last_name="Kowalska")
    event = EventFactory(organisers=[organiser], slug="spotkanie-sieciujace")
    desk = desk_member(event, email="desk@zustricz.example.org", first_name="Marta", last_name="Nowak")
    people = {
        "olena": accepted(
            event, organiser, first_name="Ołena", last_name="Коваленко", organisation_name="Fundacja Zustricz"
        ),
        "miriam": accepted(
            event, organiser, first_name="Miriam", last_name="Landau", organisation_name="Stowarzyszenie Czulent"
        ),
        "mykola": accepted(
            event, organiser, first_name="Микола", last_name="Бондаренко", organisation_name="Фундація Мрія"
        ),
        "zofia": accepted(
            event, organiser, first_name="Zofia", last_name="Żółkiewska", organisation_name="Fundacja Ocalenie"
        ),
    }
    return {"organiser": organiser, "event": event, "desk": desk, "people": people}


def sign_in(context, base_url: str, user) -> None:
    """The desk member's session in the browser (signing in by the form is tested elsewhere)."""
    client = Client()
    client.force_login(user)
    context.add_cookies([{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": base_url}])


def desk_url(world, language: str = "en") -> str:
    return f"/{language}/manage/events/{world['event'].slug}/desk/"


def open_desk(page, base_url, world, language: str = "en"):
    sign_in(page.context, base_url, world["desk"])
    page.goto(desk_url(world, language))
    # The script has fetched the list: the connection badge shows and the list's time is there.
    expect(page.locator("#desk-list-age")).not_to_be_empty()


def mjpeg_of(text: str, path: Path) -> Path:
    """A video file for Chromium's fake camera: frames of the QR code of `text` on white (MJPEG is a
    sequence of JPEG images)."""
    code = Image.open(io.BytesIO(qr_png(text, scale=6))).convert("RGB")
    frame = Image.new("RGB", (640, 480), "white")
    frame.paste(code, ((640 - code.width) // 2, (480 - code.height) // 2))
    buffer = io.BytesIO()
    frame.save(buffer, format="JPEG", quality=95)
    path.write_bytes(buffer.getvalue() * 10)
    return path


@pytest.fixture
def camera_browser(playwright, tmp_path):
    """`camera_browser(text)`: a Chromium whose camera films the QR code of `text` (the permission
    prompt answered yes), separate from the session's browser, which has no camera."""
    browsers = []

    def launch(text: str):
        video = mjpeg_of(text, tmp_path / f"qr-{len(browsers)}.mjpeg")
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM),
            headless=True,
            args=[
                *CHROMIUM_FLAGS,
                "--use-fake-device-for-media-stream",
                "--use-fake-ui-for-media-stream",
                f"--use-file-for-fake-video-capture={video}",
            ],
        )
        browsers.append(browser)
        return browser

    yield launch
    for browser in browsers:
        browser.close()


def phone_page(browser, base_url):
    context = browser.new_context(
        base_url=base_url, viewport=PHONE, screen=PHONE, device_scale_factor=2, is_mobile=True, has_touch=True
    )
    context.grant_permissions(["camera"], origin=base_url)
    page = context.new_page()
    violations: list[str] = []
    page.on(
        "console",
        lambda message: (
            violations.append(message.text)
            if message.type == "error" and "Content Security Policy" in message.text
            else None
        ),
    )
    return page, violations


def result(page):
    return page.locator("#desk-result .desk-notice")


def test_the_desk_checks_a_ticket_in_by_scanning_it_with_the_camera(camera_browser, base_url, world, screenshot):
    olena = world["people"]["olena"]
    page, csp_violations = phone_page(camera_browser(ticket_code(olena)), base_url)
    open_desk(page, base_url, world)

    page.get_by_role("button", name="Start the camera").click()

    expect(result(page)).to_contain_text("Ołena Коваленко is checked in.")
    expect(result(page)).to_have_attribute("data-tone", "success")
    checkin = CheckIn.objects.get(registration=olena)
    assert checkin.source == "qr"
    assert checkin.checked_in_by == world["desk"]
    expect(page.locator("#desk-present")).to_have_text("1")
    # The camera keeps filming the same ticket: one check-in, no second request recorded.
    page.wait_for_timeout(1500)
    assert CheckIn.objects.count() == 1
    screenshot(page, "desk-scanned", full_page=False)
    assert not csp_violations, csp_violations  # the scanner's worker came from 'self'


def test_a_qr_code_that_is_no_ticket_does_not_freeze_the_page(camera_browser, base_url, world):
    page, csp_violations = phone_page(camera_browser("https://example.org/" + "x" * 300), base_url)
    open_desk(page, base_url, world)

    page.get_by_role("button", name="Start the camera").click()

    expect(result(page)).to_have_attribute("data-tone", "danger")
    # Whatever else a code may hold, each gets its message and the page answers the next thing.
    other = accepted(EventFactory(organisers=[world["organiser"]]), world["organiser"])
    for code in ["x" * 100_000, "CM1.forged.code", ticket_code(other), "\u0000\u202e", "{}"]:
        page.locator("#desk").evaluate("(desk, code) => desk.deskScan({data: code})", code)
        expect(result(page)).to_have_attribute("data-tone", "danger")
    page.get_by_role("button", name="Stop the camera").click()
    page.locator("#desk-q").fill("landau")
    page.get_by_role("button", name="Check in Miriam Landau").click()
    expect(result(page)).to_contain_text("Miriam Landau is checked in.")
    assert list(CheckIn.objects.values_list("registration__last_name", flat=True)) == ["Landau"]
    assert not csp_violations, csp_violations


@pytest.mark.parametrize(
    ("typed", "name"),
    [
        ("коваленко", "Ołena Коваленко"),
        ("olena", "Ołena Коваленко"),
        ("zolk", "Zofia Żółkiewska"),
        ("МРИЯ", "Микола Бондаренко"),
    ],
)
def test_a_person_is_found_by_name_in_any_script_without_diacritics(page, base_url, world, typed, name):
    open_desk(page, base_url, world)

    page.locator("#desk-q").press_sequentially(typed)

    matches = page.locator("#desk-matches .desk-match")
    expect(matches).to_have_count(1)
    expect(matches.first).to_contain_text(name)


def test_the_desk_checks_a_person_in_by_name_and_passes_axe_in_every_language(
    page, base_url, world, axe_check, screenshot
):
    for language, checked in (("pl", "Zofia Żółkiewska"), ("uk", "Микола Бондаренко"), ("en", "Miriam Landau")):
        open_desk(page, base_url, world, language)
        axe_check(page)
        page.locator("#desk-q").fill(checked.split()[1][:4])
        page.locator("#desk-matches .desk-match").first.get_by_role("button").click()
        expect(result(page)).to_have_attribute("data-tone", "success")
        expect(result(page)).to_contain_text(checked)
        axe_check(page)
        if language == "uk":
            screenshot(page, "desk-name-search-uk")
    assert CheckIn.objects.count() == 3
    assert set(CheckIn.objects.values_list("source", flat=True)) == {"name"}


def test_offline_check_ins_wait_on_the_phone_and_are_sent_when_the_connection_is_back(page, base_url, world, axe_check):
    people = world["people"]
    open_desk(page, base_url, world)

    page.context.set_offline(True)
    # A name search and a scan while offline: both from the cached list, both kept on the phone.
    page.locator("#desk-q").fill("бондар")
    page.get_by_role("button", name="Check in Микола Бондаренко").click()
    expect(result(page)).to_have_attribute("data-tone", "warning")
    page.locator("#desk").evaluate("(desk, code) => desk.deskScan({data: code})", ticket_code(people["miriam"]))
    expect(page.locator("#desk-queue")).to_have_attribute("data-count", "2")
    expect(page.locator("#desk-queue")).to_have_text("2 check-ins wait to be sent")
    expect(page.locator("#desk-offline")).to_be_visible()
    # A ticket this phone's list does not know is refused at once, not queued.
    page.locator("#desk").evaluate("(desk) => desk.deskScan({data: 'CM1.unknown.code'})")
    expect(result(page)).to_have_attribute("data-tone", "danger")
    expect(page.locator("#desk-queue")).to_have_attribute("data-count", "2")
    axe_check(page)
    assert not CheckIn.objects.exists()
    # Meanwhile another desk, online, checks Miriam in first.
    checkin_record(
        event=world["event"], client_id=client_id(), actor=world["organiser"], code=ticket_code(people["miriam"])
    )
    # The page reloaded while the check-ins cannot be sent yet: they are still there (kept in the
    # browser's storage), and so is the list.
    page.route("**/desk/checkins.json", lambda route: route.abort("internetdisconnected"))
    page.context.set_offline(False)
    page.reload()
    expect(page.locator("#desk-queue")).to_have_attribute("data-count", "2")

    page.unroute("**/desk/checkins.json")

    expect(page.locator("#desk-queue")).to_be_hidden()
    expect(page.locator("#desk-queue")).to_have_attribute("data-count", "0")
    # Miriam was a duplicate: the desk that sent second is told who was first.
    expect(page.locator("#desk-log")).to_contain_text(
        re.compile(r"Miriam Landau was already checked in at \d\d:\d\d by Anna Kowalska")
    )
    expect(page.locator("#desk-log")).to_contain_text("Микола Бондаренко is checked in.")
    assert CheckIn.objects.count() == 2
    mykola = CheckIn.objects.get(registration=people["mykola"])
    assert mykola.checked_in_by == world["desk"]
    assert CheckIn.objects.get(registration=people["miriam"]).checked_in_by == world["organiser"]


def test_a_request_repeated_on_a_flaky_network_records_one_check_in(page, base_url, world):
    """The first answer is lost on its way back: the script sends the same check-in again, with the
    same client id, and the server records it once."""
    open_desk(page, base_url, world)
    sent: list[str] = []

    def lose_the_first_answer(route):
        sent.append(route.request.post_data or "")
        response = route.fetch()
        if len(sent) == 1:
            route.abort("connectionreset")  # recorded on the server, the answer never arrives
        else:
            route.fulfill(response=response)

    page.route("**/desk/checkins.json", lose_the_first_answer)
    page.locator("#desk-q").fill("landau")
    page.get_by_role("button", name="Check in Miriam Landau").click()

    expect(page.locator("#desk-log")).to_contain_text("Miriam Landau is checked in.", timeout=20_000)
    assert len(sent) == 2 and sent[0] == sent[1]
    assert CheckIn.objects.count() == 1


def _strings(value) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [text for item in value.values() for text in _strings(item)]
    if isinstance(value, list | tuple):
        return [text for item in value for text in _strings(item)]
    return []


def seed_words() -> list[str]:
    """Every word of the seed's invitation (the demo's copy of it: the project does not read the seed
    itself) and of the demo's people and organisations, with a few hard letters."""
    words: set[str] = set()
    texts = _strings([value for name, value in vars(demo_content).items() if not name.startswith("_")])
    for text in texts:
        words.update(re.findall(r"[^\W_]+(?:['’ʼ][^\W_]+)*", text))
    words.update(
        ["Зустріч", "м'ята", "Мрія", "Ґанок", "Їжак", "Єва", "Йосип", "Łódź", "Żółć", "STRAßE", "Œuvre", "İstanbul"]
    )
    return sorted(words)


def test_the_scripts_folding_is_the_servers_on_the_seeds_words(page, base_url, world):
    words = seed_words()
    assert len(words) > 200
    open_desk(page, base_url, world)

    folded = page.evaluate("(words) => words.map((word) => window.civicmeetFold(word))", words)

    assert dict(zip(words, folded, strict=True)) == {word: fold(word) for word in words}


def test_with_a_safety_rule_the_desk_sees_the_verdict_now_and_records_the_basis_shown(page, base_url, axe_check):
    from datetime import timedelta

    from civicmeet.eligibility import SafetyPolicy
    from civicmeet.registrations.safety import SafetyInput

    organiser = UserFactory(email="anna@zustricz.example.org")
    event = EventFactory(organisers=[organiser], slug="spotkanie-z-zasada", safety_policy=SafetyPolicy().to_data())
    desk = desk_member(event, email="desk@zustricz.example.org")
    iryna = accepted(
        event,
        organiser,
        first_name="Iryna",
        last_name="Bondar",
        safety=SafetyInput(basis="vaccinated", date=event.local(event.starts_at).date() - timedelta(days=30)),
        consent_health=True,
    )
    sign_in(page.context, base_url, desk)
    page.goto(f"/pl/manage/events/{event.slug}/desk/")
    expect(page.locator("#desk-list-age")).not_to_be_empty()

    page.locator("#desk-q").fill("irina")  # no such person: said so, in the page's language
    expect(page.locator("#desk-matches")).to_contain_text("Nikt z listy tego wydarzenia nie pasuje.")
    page.locator("#desk-q").fill("iryn")
    page.locator("#desk-matches .desk-match button").click()

    card = page.locator("#desk-person")
    expect(card).to_be_visible()
    expect(page.locator("#desk-person-verdict")).to_have_attribute("data-outcome", "meets")
    axe_check(page)
    card.locator("input[name=desk-basis][value=vaccinated]").check()
    card.locator("#desk-person-confirm").click()

    expect(result(page)).to_have_attribute("data-tone", "success")
    checkin = CheckIn.objects.get(registration=iryna)
    assert checkin.basis == "vaccinated"
    assert checkin.verdict == "meets"


def test_a_walk_in_is_registered_and_checked_in_from_the_phone(page, base_url, world, axe_check):
    open_desk(page, base_url, world, "uk")
    page.get_by_role("link", name="Особа без реєстрації").click()
    page.wait_for_url("**/desk/walk-in/")

    page.get_by_role("button", name="Зареєструвати й зафіксувати присутність").click()  # empty: errors
    expect(page.locator("#error-summary")).to_be_visible()
    axe_check(page)
    page.locator("#id_first_name").fill("Тарас")
    page.locator("#id_last_name").fill("Ткаченко")
    page.locator("#id_organisation_name").fill("Фундація Мрія")
    page.locator("#id_email").fill("taras@example.org")
    page.locator("#id_consent_processing").check()
    page.get_by_role("button", name="Зареєструвати й зафіксувати присутність").click()

    page.wait_for_url(f"**{desk_url(world, 'uk')}")
    expect(page.locator(".messages")).to_contain_text("Тарас Ткаченко")
    checkin = CheckIn.objects.get(registration__email="taras@example.org")
    assert checkin.source == "walk_in"
    assert checkin.checked_in_by == world["desk"]


def test_without_javascript_the_desk_finds_a_person_and_checks_them_in(browser, base_url, world):
    context = browser.new_context(base_url=base_url, viewport=PHONE, java_script_enabled=False)
    page = context.new_page()
    sign_in(context, base_url, world["desk"])
    page.goto(desk_url(world, "pl"))
    expect(page.locator("#desk-scan")).to_be_hidden()  # no camera without the script

    page.locator("#desk-q").fill("zolkiewska")
    page.get_by_role("button", name="Szukaj").click()
    page.get_by_role("button", name="Potwierdź obecność: Zofia Żółkiewska").click()

    expect(page.locator(".messages")).to_contain_text("Zofia Żółkiewska – obecność potwierdzona.")
    assert CheckIn.objects.get(registration=world["people"]["zofia"]).source == "name"
    context.close()


def test_the_desk_opens_again_without_a_connection_and_keeps_working(page, base_url, world):
    """A phone that reloads the page (or drops the tab) while the Wi-Fi is gone: the page's service
    worker opens the kept copy, the list is still on the phone, check-ins wait and are sent later."""
    open_desk(page, base_url, world)
    # The worker has kept the page and its files (it says so by holding the page's address).
    page.wait_for_function(
        "async () => !!(await caches.match(location.pathname)) && !!(await caches.match(document.querySelector('#desk').dataset.workerUrl))"
    )

    page.context.set_offline(True)
    page.reload()

    expect(page.locator("h1")).to_contain_text("Check-in desk")
    page.locator("#desk-q").fill("landau")
    page.get_by_role("button", name="Check in Miriam Landau").click()
    expect(page.locator("#desk-queue")).to_have_attribute("data-count", "1")
    assert not CheckIn.objects.exists()

    page.context.set_offline(False)

    expect(page.locator("#desk-queue")).to_have_attribute("data-count", "0")
    assert CheckIn.objects.get().registration == world["people"]["miriam"]
