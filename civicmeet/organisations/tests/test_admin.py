"""The organisations admin shows the directory and changes nothing in it."""

from __future__ import annotations

import pytest

from civicmeet.core.tests.test_admin import admin_url, assert_writes_refused, edit_form_data
from civicmeet.events.tests.factories import OrganisationFactory
from civicmeet.organisations.models import Organisation, OrganisationType

pytestmark = pytest.mark.django_db


def test_changelist_and_view_page_show_the_organisation(admin_client):
    organisation = OrganisationFactory(name="Fundacja Zustricz")
    listing = admin_client.get(admin_url(Organisation, "changelist"), {"q": "zustricz"})
    assert listing.status_code == 200
    assert "Fundacja Zustricz" in listing.content.decode()
    page = admin_client.get(admin_url(organisation, "change", organisation.pk))
    assert page.status_code == 200
    assert "Fundacja Zustricz" in page.content.decode()
    assert 'name="_save"' not in page.content.decode()


def test_change_add_and_delete_pages_change_no_organisation(admin_client, monkeypatch):
    organisation = OrganisationFactory(name="Fundacja Zustricz")
    data = edit_form_data(admin_client, organisation, monkeypatch)
    data.update(name=["Renamed"], type=[OrganisationType.OTHER])
    assert_writes_refused(admin_client, organisation, data)
    assert Organisation.objects.get(pk=organisation.pk).name == "Fundacja Zustricz"
