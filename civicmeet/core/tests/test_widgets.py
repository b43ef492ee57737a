"""PlainSelect writes the same HTML as Django's template-rendered Select."""

from __future__ import annotations

import pytest
from django import forms
from django.test.html import parse_html

from civicmeet.core.widgets import PlainSelect

CHOICES = [("", "All organisations"), ("1", "Fundacja Zustricz"), ("2", 'Stowarzyszenie "Romów" & <Przyjaciele>')]


@pytest.mark.parametrize("value", ["", "2", None, "unknown"])
def test_the_same_html_as_the_template_rendered_select(value):
    attrs = {"id": "id_organisation", "class": "filter", "required": True}
    plain = PlainSelect(choices=CHOICES).render("organisation", value, attrs=attrs)
    reference = forms.Select(choices=CHOICES).render("organisation", value, attrs=attrs)
    assert parse_html(plain) == parse_html(reference)


def test_labels_and_values_are_escaped():
    html = PlainSelect(choices=[('"><script>', "<b>Fundacja</b>")]).render("organisation", None)
    assert "<script>" not in html and "<b>" not in html
    assert "&lt;b&gt;Fundacja&lt;/b&gt;" in html
