"""schema.org NGO JSON-LD on the profile page: parsed back from the page and checked."""

from __future__ import annotations

import json
import re

import pytest

from civicmeet.core.visibility import Visibility
from civicmeet.organisations import jsonld
from civicmeet.organisations.models import NameKind, Region

from .profiles_setup import ZUSTRICZ_NAMES, add_names, make_organisation, profile_url

pytestmark = pytest.mark.django_db

BLOCK = re.compile(r'<script type="application/ld\+json">(.*?)</script>', re.S)


def read_jsonld(client, url: str) -> dict:
    page = client.get(url).content.decode()
    blocks = BLOCK.findall(page)
    assert len(blocks) == 1
    return json.loads(blocks[0])


@pytest.fixture
def zustricz():
    federation = make_organisation("Federacja Mniejszości")
    organisation = make_organisation(
        "Fundacja Zustricz",
        short_name="Zustricz",
        city="Kraków",
        region=Region.MALOPOLSKIE,
        area_served="Kraków i Małopolska",
        working_languages=["uk", "pl", "ru"],
        description_pl="Wspieramy migrantów.",
        description_en="We support migrants.",
        website="https://zustricz.example.org/",
        founded_year=2013,
        nip="1234563218",
        parent=federation,
    )
    add_names(organisation, *ZUSTRICZ_NAMES)
    return organisation


def test_the_profile_describes_the_ngo(client, zustricz):
    data = read_jsonld(client, profile_url(zustricz, "en"))
    assert data["@context"] == "https://schema.org"
    assert data["@type"] == "NGO"
    assert data["name"] == "Zustricz Foundation"
    assert set(data["alternateName"]) == {"Fundacja Zustricz", "Фонд «Зустріч»", "Zustricz"}
    assert data["description"] == "We support migrants."
    assert data["url"] == "https://zustricz.example.org/"
    assert data["address"] == {
        "@type": "PostalAddress",
        "addressCountry": "PL",
        "addressLocality": "Kraków",
        "addressRegion": "małopolskie",
    }
    assert data["knowsLanguage"] == ["uk", "pl", "ru"]
    assert data["areaServed"] == "Kraków i Małopolska"
    assert data["foundingDate"] == "2013"
    assert data["taxID"] == "1234563218"
    assert data["parentOrganization"]["name"] == "Federacja Mniejszości"
    assert data["parentOrganization"]["url"].endswith(profile_url(zustricz.parent, "en"))
    assert "logo" not in data  # none uploaded: left out, not null


def test_the_name_follows_the_page_language(client, zustricz):
    assert read_jsonld(client, profile_url(zustricz, "uk"))["name"] == "Фонд «Зустріч»"
    assert read_jsonld(client, profile_url(zustricz, "pl"))["description"] == "Wspieramy migrantów."


def test_text_cannot_close_the_script_element(client):
    organisation = make_organisation("Fundacja Test", description_en="</script><script>alert(1)</script> & <!--")
    page = client.get(profile_url(organisation)).content.decode()
    block = BLOCK.findall(page)[0]
    assert "</script" not in block and "<!--" not in block
    assert json.loads(block)["description"] == "</script><script>alert(1)</script> & <!--"


def test_a_hidden_parent_is_not_named(client, zustricz):
    zustricz.parent.visibility = Visibility.PRIVATE
    zustricz.parent.save()
    assert "parentOrganization" not in read_jsonld(client, profile_url(zustricz))


def test_contributors_add_offers_and_needs(client, zustricz, monkeypatch):
    monkeypatch.setattr(jsonld, "_CONTRIBUTORS", [])
    jsonld.register_jsonld_contributor(
        lambda organisation, user: {"makesOffer": [{"@type": "Offer", "name": f"Sala dla 30 osób ({organisation.pk})"}]}
    )
    jsonld.register_jsonld_contributor(lambda organisation, user: None)
    data = read_jsonld(client, profile_url(zustricz))
    assert data["makesOffer"] == [{"@type": "Offer", "name": f"Sala dla 30 osób ({zustricz.pk})"}]


def test_kinds_of_names_do_not_matter_for_alternate_names(client):
    organisation = make_organisation("Stowarzyszenie Czulent")
    add_names(organisation, ("Czulent", "", NameKind.FORMER))
    assert read_jsonld(client, profile_url(organisation))["alternateName"] == ["Czulent"]
