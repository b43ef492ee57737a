"""Channels to local government in the browser (issue 10): a representative proposes an office on a
360-px phone in Ukrainian; a moderator publishes it on a laptop; the public page shows it. axe-core
on every page, nothing wider than the phone.
"""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Permission
from playwright.sync_api import expect

from civicmeet.channels.models import Channel, ItemStatus, Revision, RevisionAction
from civicmeet.channels.tests.factories import representative
from civicmeet.events.tests.factories import OrganisationFactory, UserFactory
from civicmeet.notifications.models import OutgoingEmail

from .conftest import PHONE
from .network import sign_in_by_link

pytestmark = pytest.mark.django_db(transaction=True)

PASSWORD = "correct horse battery staple"  # the factories' password


def check(page, axe_check) -> None:
    axe_check(page)
    width = page.evaluate("() => document.documentElement.scrollWidth")
    assert width <= PHONE["width"] or page.viewport_size["width"] > PHONE["width"], f"{page.url}: {width} px wide"


def test_a_representative_proposes_an_office_a_moderator_publishes_it_the_public_sees_it(
    page, desktop, browser, base_url, axe_check, screenshot
):
    olena, zustricz = representative(
        OrganisationFactory(name="Fundacja Zustricz"), email="olena@zustricz.example.org", language="uk"
    )
    moderator = UserFactory(email="moderator@civicmeet.example.org")
    moderator.user_permissions.add(Permission.objects.get(codename="moderate_network"))

    # The representative, on her phone, in Ukrainian.
    sign_in_by_link(page, olena.email, language="uk")
    page.goto("/uk/channels/")
    check(page, axe_check)
    page.locator("main .page-head a.btn-primary").click()
    page.wait_for_url("**/uk/channels/new/")
    check(page, axe_check)
    page.locator("#id_name").fill("Urząd Miasta Krakowa")
    page.locator("#id_department").fill("Wydział Polityki Społecznej i Zdrowia")
    page.locator("#id_kind").select_option("city_office")
    page.locator("#id_city").fill("Kraków")
    page.locator("#id_region").select_option("malopolskie")
    page.locator("#id_topics input[value='social']").check()
    page.locator("#id_languages input[value='en']").check()
    page.locator("#id_language").select_option("pl")
    # Sent without a purpose and without any way to reach the office: both explained, the rest kept.
    page.get_by_role("button", name="Зберегти й надіслати на перевірку").click()
    expect(page.locator("#error-summary")).to_be_visible()
    expect(page.locator("#id_purpose_error")).to_be_visible()
    expect(page.locator("#id_address_error")).to_contain_text("Вкажіть, як зв’язатися з установою")
    expect(page.locator("#id_name")).to_have_value("Urząd Miasta Krakowa")
    check(page, axe_check)
    page.locator("#id_purpose").fill("Miejska polityka społeczna; konkursy ofert dla organizacji.")
    page.locator("#id_address").fill("pl. Wszystkich Świętych 3-4, 31-004 Kraków")
    page.get_by_role("button", name="Зберегти й надіслати на перевірку").click()
    page.wait_for_url("**/uk/channels/*/")
    expect(page.locator(".notice-success")).to_be_visible()
    expect(page.locator('[data-status="submitted"]')).to_be_visible()
    check(page, axe_check)
    screenshot(page, "channels-proposed-phone-uk")
    channel = Channel.objects.get()
    assert (channel.status, channel.author, channel.organisation) == (ItemStatus.SUBMITTED, olena, zustricz)

    # Not public yet.
    anonymous = browser.new_context(base_url=base_url, viewport=PHONE, is_mobile=True, has_touch=True)
    public = anonymous.new_page()
    assert public.goto(f"/pl/channels/{channel.pk}/").status == 404

    # The moderator, on a laptop: the queue, the text, publish.
    desktop.goto("/en/accounts/login/")
    desktop.fill("#id_username", moderator.email)
    desktop.fill("#id_password", PASSWORD)
    desktop.locator("main form button[type=submit]").click()
    desktop.wait_for_url("**/en/manage/")
    desktop.goto("/en/channels/review/")
    axe_check(desktop)
    desktop.locator(f"a[href='/en/channels/review/channel/{channel.pk}/']").click()
    desktop.wait_for_url(f"**/en/channels/review/channel/{channel.pk}/")
    axe_check(desktop)
    screenshot(desktop, "channels-review-desktop")
    desktop.locator("#id_comment").fill("Thank you, published.")
    desktop.get_by_role("button", name="Publish", exact=True).click()
    desktop.wait_for_url("**/en/channels/review/")
    expect(desktop.locator(".notice-success")).to_be_visible()
    channel.refresh_from_db()
    assert channel.status == ItemStatus.PUBLISHED
    assert Revision.objects.filter(channel=channel, action=RevisionAction.PUBLISHED, actor=moderator).exists()
    email = OutgoingEmail.objects.get(kind="channels_item_published")
    assert (email.to, email.language) == (olena.email, "uk")

    # The public page shows it, in Polish, on a phone.
    public.goto("/pl/channels/")
    expect(public.locator("main")).to_contain_text("Urząd Miasta Krakowa")
    check(public, axe_check)
    public.locator(f"a[href='/pl/channels/{channel.pk}/']").click()
    public.wait_for_url(f"**/pl/channels/{channel.pk}/")
    expect(public.locator("h1")).to_contain_text("Wydział Polityki Społecznej i Zdrowia")
    expect(public.locator("#reach + dl")).to_contain_text("pl. Wszystkich Świętych 3-4")
    check(public, axe_check)
    screenshot(public, "channels-public-phone-pl")
    public.goto(f"/pl/channels/history/channel/{channel.pk}/")
    check(public, axe_check)
    anonymous.close()

    # Back on her phone: the office is published; she proposes a correction (its form, with axe).
    page.goto(f"/uk/channels/{channel.pk}/")
    expect(page.locator('[data-status="published"]')).to_be_visible()
    page.locator(f"a[href='/uk/channels/{channel.pk}/propose/']").click()
    page.wait_for_url(f"**/uk/channels/{channel.pk}/propose/")
    check(page, axe_check)
    page.locator("#id_opening_hours").fill("пн–пт 8:00–15:30")
    page.locator("#id_note").fill("Перевірили телефоном.")
    page.get_by_role("button", name="Надіслати зміну модераторам").click()
    page.wait_for_url(f"**/uk/channels/{channel.pk}/")
    assert channel.proposals.get().changes == {"opening_hours": "пн–пт 8:00–15:30"}


def test_every_channels_page_fits_a_phone_and_passes_axe_in_every_language(page, axe_check):
    """The app's pages with Kraków's examples, in pl/uk/en at 360 px: the public ones signed out,
    then everything a moderator sees (the whole-site walk visits them too, from the demo)."""
    from civicmeet.channels.examples import load_examples, load_waiting_example
    from civicmeet.channels.models import ChannelExperience, GoodPractice

    moderator = UserFactory(email="moderator@civicmeet.example.org")
    moderator.user_permissions.add(Permission.objects.get(codename="moderate_network"))
    organisation = OrganisationFactory(name="Stowarzyszenie Czulent")
    load_examples(moderator=moderator, organisation=organisation)
    waiting = load_waiting_example(author=moderator)
    experience = ChannelExperience.objects.get()
    practice = GoodPractice.objects.order_by("pk").first()
    channel = experience.channel
    public = [
        "channels/",
        "channels/?region=malopolskie&topic=residence&language_help=on",
        f"channels/{channel.pk}/",
        f"channels/history/channel/{channel.pk}/",
        "channels/good-practice/",
        f"channels/good-practice/{practice.pk}/",
    ]
    moderators = [
        "channels/new/",
        f"channels/{channel.pk}/edit/",
        f"channels/{channel.pk}/experience/",
        f"channels/experiences/{experience.pk}/edit/",
        "channels/good-practice/new/",
        f"channels/good-practice/{practice.pk}/edit/",
        "channels/mine/",
        "channels/review/",
        f"channels/review/channel/{waiting.pk}/",
        f"channels/{channel.pk}/",
    ]
    for language in ("pl", "uk", "en"):
        for path in public:
            assert page.goto(f"/{language}/{path}").status == 200, path
            check(page, axe_check)
    page.goto("/en/accounts/login/")
    page.fill("#id_username", moderator.email)
    page.fill("#id_password", PASSWORD)
    page.locator("main form button[type=submit]").click()
    page.wait_for_url("**/en/manage/")
    for language in ("pl", "uk", "en"):
        for path in moderators:
            assert page.goto(f"/{language}/{path}").status == 200, path
            check(page, axe_check)
        # A form sent back with its errors.
        page.goto(f"/{language}/channels/new/")
        with page.expect_navigation():
            # The buttons are named "submit", which hides form.submit: call the form's own method.
            page.evaluate("HTMLFormElement.prototype.submit.call(document.querySelector('#channel-form'))")
        expect(page.locator("#error-summary")).to_be_visible()
        check(page, axe_check)
