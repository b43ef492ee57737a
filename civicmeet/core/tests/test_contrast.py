"""Every colour the stylesheet puts text in, on every background it puts that text on, meets WCAG
AA (4.5:1); focus rings and control borders meet 3:1. Read from static/css/civicmeet.css itself, so
changing a colour there to a low-contrast one fails here."""

from __future__ import annotations

import re

import pytest

from civicmeet.core import contrast


@pytest.fixture(scope="module")
def sheet() -> contrast.Stylesheet:
    return contrast.read()


def test_the_ratio_is_wcags():
    assert contrast.contrast("#000000", "#ffffff") == pytest.approx(21.0)
    assert contrast.contrast("#777777", "#ffffff") == pytest.approx(4.48, abs=0.01)
    assert contrast.contrast("#ffffff", "#ffffff") == pytest.approx(1.0)


def test_every_text_and_background_pair_meets_aa(sheet):
    pairs = sheet.pairs()
    # The pairs the components are built on are all found (the parser reads the real rules).
    found = {(pair.text, pair.background) for pair in pairs}
    assert ("--cm-ink", "--cm-page") in found  # body text
    assert ("--cm-primary-ink", "--cm-primary") in found  # the primary button
    assert ("--cm-primary-ink", "--cm-danger") in found  # the danger button
    assert ("--cm-danger", "--cm-danger-bg") in found  # the "rejected" badge
    assert ("--cm-muted", "--cm-surface") in found  # help text in a card
    assert ("--cm-primary", "--cm-warning-bg") in found  # a link inside a warning notice
    failing = [f"{p.where}: {p.text} on {p.background} is {p.ratio:.2f}:1" for p in pairs if not p.passes]
    assert not failing, "\n".join(failing)


def test_colours_are_written_only_as_tokens(sheet):
    """A colour written straight into a rule would escape the check above."""
    assert not sheet.literals, "\n".join(sheet.literals)


def test_focus_ring_and_control_borders_stand_out(sheet):
    for background in ("--cm-page", "--cm-surface"):
        assert contrast.contrast(sheet.colour("--cm-focus"), sheet.colour(background)) >= 3
    assert contrast.contrast(sheet.colour("--cm-control-border"), sheet.colour("--cm-surface")) >= 3


def test_a_low_contrast_colour_is_caught(tmp_path):
    """The check is real: the stylesheet with a pale muted grey fails it."""
    css = contrast.stylesheet_path().read_text(encoding="utf-8")
    css, replaced = re.subn(r"--cm-muted: #[0-9a-fA-F]{6};", "--cm-muted: #9aa3ad;", css)
    assert replaced == 1
    pale = tmp_path / "pale.css"
    pale.write_text(css, encoding="utf-8")
    failing = [p for p in contrast.read(pale).pairs() if not p.passes]
    assert failing and all(p.text == "--cm-muted" or p.background == "--cm-muted" for p in failing)


def test_a_colour_written_outside_the_tokens_is_caught(tmp_path):
    css = contrast.stylesheet_path().read_text(encoding="utf-8") + "\n.oops { color: #bbbbbb; }\n"
    path = tmp_path / "literal.css"
    path.write_text(css, encoding="utf-8")
    assert contrast.read(path).literals == [".oops: color: #bbbbbb"]
