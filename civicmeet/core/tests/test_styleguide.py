"""The style guide (/styleguide/): every component in the current language, only with DEBUG."""

from __future__ import annotations

import re

import pytest


def test_is_not_found_without_debug(client, settings):
    settings.DEBUG = False
    assert client.get("/en/styleguide/").status_code == 404


@pytest.mark.parametrize(
    ("language", "heading", "primary"),
    [("en", "Style guide", "Send the registration"), ("pl", "Przewodnik po stylu", "Wyślij zgłoszenie")],
)
def test_shows_every_component_in_the_current_language(client, settings, language, heading, primary):
    settings.DEBUG = True
    response = client.get(f"/{language}/styleguide/")
    assert response.status_code == 200
    page = response.content.decode()
    assert f'<html lang="{language}">' in page
    assert f"<h1>{heading}</h1>" in page
    assert f'<button type="button" class="btn btn-primary">{primary}</button>' in page
    for component in (
        'class="btn btn-secondary"',
        'class="btn btn-danger"',
        'class="card"',
        'class="notice notice-info"',
        'class="notice notice-success"',
        'class="notice notice-warning"',
        'class="notice notice-danger"',
        'class="facts"',
        'class="table-stack"',
        'class="steps"',
        'class="form-steps-progress"',
        'id="error-summary"',
        'class="field-help"',
        'class="errorlist"',
    ):
        assert component in page, component
    # A badge of every tone, registration states mapped as the design system says.
    for tone, state in [
        ("info", "submitted"),
        ("success", "accepted"),
        ("warning", "waitlisted"),
        ("danger", "rejected"),
        ("neutral", "cancelled"),
    ]:
        assert f'class="badge badge-{tone}" data-status="{state}"' in page


def test_shows_each_colour_with_its_contrast(client, settings):
    settings.DEBUG = True
    page = client.get("/en/styleguide/").content.decode()
    assert "--cm-primary" in page
    ratios = [float(value) for value in re.findall(r"(\d+\.\d\d):1</td>", page)]
    assert len(ratios) > 20
    assert min(ratios) >= 4.5
