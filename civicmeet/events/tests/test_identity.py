"""The event's identity: the organisers' page "Cover, logos and contact", the public page showing
them, the pictures' addresses, the history row."""

from __future__ import annotations

import io
import re

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation
from PIL import Image

from civicmeet.core.errors import DomainError
from civicmeet.core.images import COVER, LOGO, process_image
from civicmeet.core.tests.test_images import photo_with_gps
from civicmeet.events.models import Event, EventAction
from civicmeet.events.services import event_identity_update
from civicmeet.events.tests.factories import OrganisationFactory
from civicmeet.organisations.models import StoredImage, StoredImageVariant

pytestmark = pytest.mark.django_db


def url(name, language="en", **kwargs):
    with translation.override(language):
        return reverse(name, kwargs=kwargs or None)


def identity_url(event, language="en"):
    return url("events:identity", language, slug=event.slug)


def upload(data: bytes, name: str = "photo.jpg") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type="image/jpeg")


def logo_png(colour=(20, 120, 60)) -> bytes:
    picture = Image.new("RGBA", (600, 300), (0, 0, 0, 0))
    picture.paste(colour + (255,), (100, 50, 500, 250))
    buffer = io.BytesIO()
    picture.save(buffer, format="PNG")
    return buffer.getvalue()


@pytest.fixture
def zustricz():
    return OrganisationFactory(name="Fundacja Zustricz")


@pytest.fixture
def czulent():
    return OrganisationFactory(name="Żydowskie Stowarzyszenie Czulent")


@pytest.fixture
def co_organised(event, zustricz, czulent):
    event.co_organisers.set([zustricz, czulent])
    return event


# -- The organisers' page ------------------------------------------------------------------------


def test_identity_page_shows_the_form(client, organiser, co_organised):
    client.force_login(organiser)
    response = client.get(identity_url(co_organised))
    assert response.status_code == 200
    body = response.content.decode()
    assert 'enctype="multipart/form-data"' in body
    assert 'name="contact_email"' in body and 'name="cover"' in body
    zustricz = co_organised.co_organisers.get(name="Fundacja Zustricz")
    assert f'name="logo_{zustricz.pk}"' in body
    assert "Logo of Fundacja Zustricz" in body
    # Each language by its own name.
    assert "Українська" in body and "Polski" in body
    assert 'aria-current="page">Cover, logos and contact' in body


def test_identity_page_needs_login(client, event):
    response = client.get(identity_url(event))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    response = client.post(identity_url(event), {"contact_email": "x@example.org"})
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    assert Event.objects.get(pk=event.pk).contact_email == ""


def test_identity_page_is_404_for_another_team(client, outsider, event):
    client.force_login(outsider)
    assert client.get(identity_url(event)).status_code == 404
    assert client.post(identity_url(event), {"contact_email": "x@example.org"}).status_code == 404
    assert Event.objects.get(pk=event.pk).contact_email == ""


def test_identity_page_refuses_other_methods(client, organiser, event):
    client.force_login(organiser)
    assert client.put(identity_url(event)).status_code == 405
    assert client.delete(identity_url(event)).status_code == 405


def test_saving_contact_cover_and_logo(client, organiser, co_organised, zustricz):
    client.force_login(organiser)
    response = client.post(
        identity_url(co_organised),
        {
            "contact_email": "kontakt@zustricz.example.org",
            "contact_phone": "0048 600 123 456",
            "contact_languages": ["uk", "pl"],
            "cover": upload(photo_with_gps()),
            f"logo_{zustricz.pk}": upload(logo_png(), "logo.png"),
        },
    )
    assert response.status_code == 302 and response["Location"] == identity_url(co_organised)
    event = Event.objects.get(pk=co_organised.pk)
    assert event.contact_email == "kontakt@zustricz.example.org"
    assert event.contact_phone == "+48600123456"  # normalised like participants' numbers
    assert event.contact_languages == ["pl", "uk"]  # in the site's order
    assert [(v.width, v.height) for v in event.cover.variants.all()] == [(480, 240), (960, 480), (1600, 800)]
    zustricz.refresh_from_db()
    assert zustricz.logo is not None and zustricz.logo.variants.count() == 2
    # The stored bytes are the stripped ones: no EXIF, no GPS, nothing of the camera.
    for variant in StoredImageVariant.objects.all():
        data = bytes(variant.data)
        reread = Image.open(io.BytesIO(data))
        assert reread.format == "WEBP"
        assert dict(reread.getexif()) == {}
        assert b"ExampleCam" not in data and b"Exif" not in data
    entry = event.log_entries.get(action=EventAction.CHANGED)
    assert entry.actor == organiser
    assert entry.changes["contact_email"] == ["", "kontakt@zustricz.example.org"]
    assert entry.changes["contact_languages"] == [[], ["pl", "uk"]]
    assert entry.changes["cover"][0] is None and "1600 × 800" in entry.changes["cover"][1]
    assert entry.changes["logos"][0] == [] and entry.changes["logos"][1][0].startswith("Fundacja Zustricz (")


def test_history_page_names_the_identity_changes(client, organiser, co_organised, zustricz):
    event_identity_update(
        event=co_organised,
        contact={"contact_email": "kontakt@zustricz.example.org"},
        cover=process_image(photo_with_gps(), COVER),
        logos={zustricz.pk: process_image(logo_png(), LOGO)},
        actor=organiser,
    )
    client.force_login(organiser)
    body = client.get(url("events:history", slug=co_organised.slug)).content.decode()
    assert "Contact email" in body and "kontakt@zustricz.example.org" in body
    assert "Cover image" in body
    assert "Co-organisers&#x27; logos" in body


def test_a_file_that_is_not_a_picture_is_refused_next_to_its_field(client, organiser, event):
    client.force_login(organiser)
    response = client.post(
        identity_url(event),
        {"contact_email": "kontakt@example.org", "cover": upload(b"%PDF-1.4 a document", "cover.jpg")},
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert re.search(r'<input[^>]*name="cover"[^>]*aria-invalid="true"', body)
    field = body.index('id="id_cover_field"')
    assert field < body.index("This file is not a picture we can read.", field) < body.index('name="cover"', field)
    assert 'href="#id_cover"' in body  # the error summary links to it
    event.refresh_from_db()
    assert event.contact_email == "" and event.cover is None  # nothing saved
    assert not StoredImage.objects.exists()


def test_an_oversized_cover_is_refused(client, organiser, event):
    client.force_login(organiser)
    too_big = b"\xff\xd8" + b"\0" * (COVER.max_bytes + 1)
    response = client.post(identity_url(event), {"cover": upload(too_big)})
    assert response.status_code == 200
    assert "The file is too large (10.0\xa0MB). Upload a picture of at most 10.0\xa0MB." in response.content.decode()
    assert not StoredImage.objects.exists()


def test_a_wrong_phone_is_refused_next_to_its_field(client, organiser, event):
    client.force_login(organiser)
    response = client.post(identity_url(event), {"contact_phone": "600 123 456"})
    assert response.status_code == 200
    assert "Enter the number in international format" in response.content.decode()
    assert Event.objects.get(pk=event.pk).contact_phone == ""


def test_removing_the_cover_deletes_its_variants(client, organiser, event):
    event_identity_update(event=event, cover=process_image(photo_with_gps(), COVER), actor=organiser)
    digest = event.cover.variants.first().digest
    client.force_login(organiser)
    response = client.post(identity_url(event), {"remove_cover": "on"})
    assert response.status_code == 302
    assert Event.objects.get(pk=event.pk).cover is None
    assert not StoredImage.objects.exists()
    assert client.get(url("organisations:image", digest=digest)).status_code == 404


def test_replacing_a_logo_deletes_the_old_one(organiser, co_organised, zustricz):
    event_identity_update(event=co_organised, logos={zustricz.pk: process_image(logo_png(), LOGO)}, actor=organiser)
    zustricz.refresh_from_db()
    first = zustricz.logo_id
    event_identity_update(
        event=co_organised, logos={zustricz.pk: process_image(logo_png((200, 0, 0)), LOGO)}, actor=organiser
    )
    zustricz.refresh_from_db()
    assert zustricz.logo_id != first
    assert list(StoredImage.objects.values_list("pk", flat=True)) == [zustricz.logo_id]


def test_only_co_organisers_logos_can_be_changed(organiser, event):
    stranger = OrganisationFactory(name="Someone Else")
    with pytest.raises(DomainError):
        event_identity_update(event=event, logos={stranger.pk: process_image(logo_png(), LOGO)}, actor=organiser)
    stranger.refresh_from_db()
    assert stranger.logo is None and not StoredImage.objects.exists()


def test_the_service_checks_the_contact(organiser, event):
    with pytest.raises(ValidationError) as caught:
        event_identity_update(
            event=event, contact={"contact_phone": "12", "contact_languages": ["xx"]}, actor=organiser
        )
    assert set(caught.value.error_dict) == {"contact_phone", "contact_languages"}
    event.refresh_from_db()
    assert (event.contact_phone, event.contact_languages) == ("", [])
    assert not event.log_entries.filter(action=EventAction.CHANGED).exists()


def test_saving_nothing_new_writes_no_history(organiser, event):
    event_identity_update(event=event, contact={"contact_email": ""}, actor=organiser)
    assert not event.log_entries.filter(action=EventAction.CHANGED).exists()


# -- The public page ----------------------------------------------------------------------------


@pytest.fixture
def dressed(organiser, co_organised, zustricz):
    """The event with its cover, one co-organiser's logo and the organisers' contact."""
    return event_identity_update(
        event=co_organised,
        contact={
            "contact_email": "kontakt@zustricz.example.org",
            "contact_phone": "+48 600 123 456",
            "contact_languages": ["pl", "uk"],
        },
        cover=process_image(photo_with_gps(), COVER),
        logos={zustricz.pk: process_image(logo_png(), LOGO)},
        actor=organiser,
    )


def test_event_page_shows_cover_logos_and_contact(client, dressed):
    body = client.get(url("events:detail", "uk", slug=dressed.slug)).content.decode()
    cover = re.search(r'<img[^>]*class="event-cover"[^>]*>', body).group(0)
    digests = [variant.digest for variant in dressed.cover.variants.all()]
    assert (
        f'srcset="/images/{digests[0]}.webp 480w, /images/{digests[1]}.webp 960w, /images/{digests[2]}.webp 1600w"'
        in cover
    )
    assert 'sizes="' in cover and 'width="1600" height="800"' in cover
    assert f'src="/images/{digests[1]}.webp"' in cover  # for browsers without srcset: a middle size
    # The logo has its organisation's name as its text; the one without a logo is named in words.
    logo = re.search(r'<img[^>]*class="event-logo"[^>]*>', body).group(0)
    assert 'alt="Fundacja Zustricz"' in logo and "160w" in logo and "320w" in logo
    assert "<strong>Żydowskie Stowarzyszenie Czulent</strong>" in body
    # The contact card.
    assert '<a href="mailto:kontakt@zustricz.example.org">kontakt@zustricz.example.org</a>' in body
    assert '<a href="tel:+48600123456">+48 600 123 456</a>' in body
    assert '<span lang="pl">Polski</span>, <span lang="uk">Українська</span>' in body


def test_event_page_without_identity_shows_no_empty_pieces(client, event):
    body = client.get(url("events:detail", slug=event.slug)).content.decode()
    assert "event-cover" not in body and "event-logo" not in body and "contact-card" not in body


def test_event_page_query_count_with_pictures(client, dressed, django_assert_max_num_queries):
    # The event with its cover (one join), its variants, the co-organisers with their logos, the
    # logos' variants; no query per organisation and no picture bytes.
    with django_assert_max_num_queries(6) as captured:
        assert client.get(url("events:detail", slug=dressed.slug)).status_code == 200
    assert not any('"data"' in query["sql"] for query in captured.captured_queries)


def test_a_new_logo_shows_on_the_stored_public_page_at_once(client, organiser, dressed, czulent):
    page = url("events:detail", slug=dressed.slug)
    assert "event-logo" in client.get(page).content.decode()  # now stored for anonymous visitors
    event_identity_update(
        event=dressed, logos={czulent.pk: process_image(logo_png((0, 0, 200)), LOGO)}, actor=organiser
    )
    body = client.get(page).content.decode()
    assert 'alt="Żydowskie Stowarzyszenie Czulent"' in body


# -- Serving the pictures -----------------------------------------------------------------------


def test_a_variant_is_served_with_long_cache_headers(client, dressed):
    variant = dressed.cover.variants.get(width=480)
    response = client.get(f"/images/{variant.digest}.webp")
    assert response.status_code == 200
    assert response["Content-Type"] == "image/webp"
    assert response["Cache-Control"] == "public, max-age=31536000, immutable"
    assert response["ETag"] == f'"{variant.digest}"'
    assert Image.open(io.BytesIO(response.content)).size == (480, 240)
    again = client.get(f"/images/{variant.digest}.webp", headers={"If-None-Match": f'"{variant.digest}"'})
    assert again.status_code == 304 and again.content == b""


def test_unknown_or_malformed_addresses_are_404(client, db):
    assert client.get(f"/images/{'0' * 64}.webp").status_code == 404
    assert client.get("/images/not-a-digest.webp").status_code == 404
    assert client.post(f"/images/{'0' * 64}.webp").status_code == 405


def test_privacy_notice_names_the_controllers_with_their_contact(client, dressed):
    body = client.get(url("registrations:privacy_notice", slug=dressed.slug)).content.decode()
    controllers = body[body.index('id="controllers-heading"') : body.index('id="notice-heading"')]
    assert "Fundacja Zustricz" in controllers and "Żydowskie Stowarzyszenie Czulent" in controllers
    assert '<a href="mailto:kontakt@zustricz.example.org">' in controllers
    assert '<a href="tel:+48600123456">+48 600 123 456</a>' in controllers
    assert "Write to them at kontakt@zustricz.example.org." in body
