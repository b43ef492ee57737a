"""The Django admin writes nothing around the services: every civicmeet admin is view-only.

Also the helpers the apps' admin tests share: the form a browser would post if a page were
editable, and the check that posting it (and the add and delete pages) changes no row.
"""

from __future__ import annotations

from html.parser import HTMLParser

import pytest
from django.contrib import admin
from django.db import models
from django.test import RequestFactory
from django.urls import reverse

# Exceptions to "no add, no change, no delete", each with its reason. Add one only when the
# admin's own code for it calls a service (and its app's test_admin.py shows that it does).
ALLOWED = {
    # Deleting an API token is revoking it, a legitimate administrator's act; ApiTokenAdmin's
    # delete_model and delete_queryset call accounts.services.api_token_revoke.
    ("accounts", "apitoken"): {"delete"},
}


def admin_url(obj_or_model, view: str, *args) -> str:
    opts = obj_or_model._meta
    return reverse(f"admin:{opts.app_label}_{opts.model_name}_{view}", args=args)


def row(obj: models.Model) -> dict:
    """The row as the database holds it now, with its many-to-many values."""
    model = type(obj)
    values = model.objects.filter(pk=obj.pk).values().first()
    if values is None:
        return {}
    for field in model._meta.many_to_many:
        values[field.name] = sorted(getattr(model.objects.get(pk=obj.pk), field.name).values_list("pk", flat=True))
    return values


class _FormFields(HTMLParser):
    """What a browser sends for the (first) form with fields in a page: inputs, checked boxes,
    selected options and textareas."""

    def __init__(self) -> None:
        super().__init__()
        self.data: list[tuple[str, str]] = []
        self._select: str | None = None
        self._textarea: str | None = None

    def handle_starttag(self, tag: str, attrs) -> None:
        attrs = dict(attrs)
        name = attrs.get("name")
        if tag == "input" and name and attrs.get("type") not in ("submit", "button", "file"):
            if attrs.get("type") in ("checkbox", "radio") and "checked" not in attrs:
                return
            self.data.append((name, attrs.get("value") or ("on" if attrs.get("type") == "checkbox" else "")))
        elif tag == "select":
            self._select = name
        elif tag == "option" and self._select and "selected" in attrs:
            self.data.append((self._select, attrs.get("value", "")))
        elif tag == "textarea" and name:
            self._textarea = name
            self.data.append((name, ""))

    def handle_endtag(self, tag: str) -> None:
        if tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None

    def handle_data(self, data: str) -> None:
        if self._textarea is not None:
            name, value = self.data[-1]
            self.data[-1] = (name, value + data)


def edit_form_data(client, obj: models.Model, monkeypatch) -> dict[str, list[str]]:
    """The change form a browser would post for `obj` if its admin were editable (with its inline
    formsets): the page is rendered once with the change permissions given back, then they are
    taken away again. The tests post this, changed, to show that a real edit is refused."""
    model_admin = admin.site._registry[type(obj)]
    writable = [model_admin, *(inline(model_admin.model, admin.site) for inline in model_admin.inlines)]
    with monkeypatch.context() as patch:
        for each in writable:
            for permission in ("add", "change", "delete"):
                patch.setattr(type(each), f"has_{permission}_permission", lambda *args, **kwargs: True)
        page = client.get(admin_url(obj, "change", obj.pk))
    assert page.status_code == 200
    parser = _FormFields()
    parser.feed(page.content.decode())
    data: dict[str, list[str]] = {}
    for name, value in parser.data:
        data.setdefault(name, []).append(value)
    assert "csrfmiddlewaretoken" in data
    return data


def assert_writes_refused(client, obj: models.Model, data: dict, *, deletable: bool = False) -> None:
    """Posting `data` to the change page, and posting the add and the delete pages, is refused
    (403) and changes nothing in the database."""
    before = row(obj)
    assert before, "the row must exist"
    count = type(obj).objects.count()
    assert client.post(admin_url(obj, "change", obj.pk), {**data, "_save": "Save"}).status_code == 403
    assert client.post(admin_url(obj, "add"), {**data, "_save": "Save"}).status_code == 403
    if not deletable:
        assert client.post(admin_url(obj, "delete", obj.pk), {"post": "yes"}).status_code == 403
    assert row(obj) == before
    assert type(obj).objects.count() == count


def civicmeet_admins():
    return [
        pytest.param(model, model_admin, id=model._meta.label)
        for model, model_admin in admin.site._registry.items()
        if model._meta.app_config.name.startswith("civicmeet.")
    ]


def test_every_civicmeet_app_with_models_has_its_models_in_the_admin():
    labels = {param.values[0]._meta.app_label for param in civicmeet_admins()}
    assert {"accounts", "events", "organisations", "registrations", "notifications"} <= labels


@pytest.mark.parametrize(("model", "model_admin"), civicmeet_admins())
def test_admin_adds_changes_and_deletes_nothing_even_for_a_superuser(model, model_admin, admin_user):
    request = RequestFactory().get("/admin/")
    request.user = admin_user
    allowed = ALLOWED.get((model._meta.app_label, model._meta.model_name), set())
    obj = model()  # the object-level checks ask about a row, too
    assert model_admin.has_view_permission(request)
    assert not model_admin.has_add_permission(request)
    assert not model_admin.has_change_permission(request)
    assert not model_admin.has_change_permission(request, obj)
    assert model_admin.has_delete_permission(request) == ("delete" in allowed)
    assert model_admin.has_delete_permission(request, obj) == ("delete" in allowed)
    for inline_class in model_admin.inlines:
        inline = inline_class(model, admin.site)
        assert not inline.has_add_permission(request, obj), inline_class
        assert not inline.has_change_permission(request, obj), inline_class
        assert not inline.has_delete_permission(request, obj), inline_class


@pytest.mark.parametrize(("model", "model_admin"), civicmeet_admins())
def test_every_admin_action_asks_for_a_permission_beyond_viewing(model, model_admin):
    """An action calls a service; staff who may only look must not be offered it."""
    for action in model_admin.actions or ():
        function = getattr(model_admin, action) if isinstance(action, str) else action
        assert getattr(function, "allowed_permissions", ()), f"{model._meta.label}.{action}"


@pytest.mark.parametrize(("model", "model_admin"), civicmeet_admins())
def test_add_page_is_refused_and_changelist_shown(model, model_admin, admin_client):
    assert admin_client.get(admin_url(model, "add")).status_code == 403
    assert admin_client.post(admin_url(model, "add"), {}).status_code == 403
    assert admin_client.get(admin_url(model, "changelist")).status_code == 200
