"""The demo event has the organisers' contact, a cover and both co-organisers' logos."""

from __future__ import annotations

import io
from io import StringIO

import pytest
from django.core.management import call_command
from PIL import Image

from civicmeet.demo import content
from civicmeet.events.models import Event
from civicmeet.organisations.models import Organisation, StoredImage

pytestmark = pytest.mark.django_db


def load_demo() -> None:
    call_command("load_demo", stdout=StringIO())


def test_demo_has_contact_cover_and_logos():
    load_demo()
    event = Event.objects.get(slug=content.SLUG)
    assert event.contact_email == content.CONTACT["contact_email"]
    assert event.contact_phone == "+48124223344"
    assert event.contact_languages == ["pl", "uk", "en"]
    assert [(v.width, v.height) for v in event.cover.variants.all()] == [(480, 240), (960, 480), (1600, 800)]
    first = event.cover.variants.first()
    assert Image.open(io.BytesIO(bytes(first.data))).format == "WEBP"
    for name, _kind in content.CO_ORGANISERS:
        assert Organisation.objects.get(name=name).logo.variants.count() == 2


def test_loading_again_adds_no_pictures():
    load_demo()
    images = set(StoredImage.objects.values_list("pk", flat=True))
    load_demo()
    assert set(StoredImage.objects.values_list("pk", flat=True)) == images
