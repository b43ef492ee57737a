"""The report's charts: pygal's SVG made fit for a page under a strict CSP and for the PDF."""

from __future__ import annotations

import sys
import xml.etree.ElementTree as ET

from civicmeet.checkin import charts
from civicmeet.core import contrast

NS = "{http://www.w3.org/2000/svg}"


def parsed(svg: str) -> ET.Element:
    return ET.fromstring(svg)  # noqa: S314 — our own output


def test_a_chart_has_no_script_style_or_title_and_is_hidden_from_screen_readers():
    svg = charts.bar_chart(["Registrations", "Present"], [("People", [5, 3])])
    root = parsed(svg)
    assert root.get("aria-hidden") == "true" and root.get("focusable") == "false"
    tags = {element.tag for element in root.iter()}
    assert not tags & {f"{NS}script", f"{NS}style", f"{NS}title", f"{NS}desc"}
    assert all("style" not in element.attrib for element in root.iter())
    assert "pygal" not in svg.lower().replace("pygal-chart", "")  # no generator comment or title


def test_series_take_the_design_systems_colours():
    sheet = contrast.read()
    root = parsed(charts.bar_chart(["Migrant", "Minority"], [("Registered", [3, 2]), ("Present", [1, 2])]))
    fills = {
        element.get("class"): element.get("fill")
        for element in root.iter(f"{NS}g")
        if "series" in (element.get("class") or "")
    }
    assert fills["series serie-0 color-0"] == sheet.colour("--cm-primary")
    assert fills["series serie-1 color-1"] == sheet.colour("--cm-warning")
    # Bars are graphics: at least 3:1 against the white plot (WCAG 1.4.11).
    for token in ("--cm-primary", "--cm-warning"):
        assert contrast.contrast(sheet.colour(token), sheet.colour("--cm-surface")) >= 3


def test_labels_are_text_never_markup_and_long_ones_are_cut():
    svg = charts.bar_chart(['<script>alert("x")</script>', "Організація національної меншини"], [("n", [1, 2])])
    assert "<script>" not in svg
    texts = [element.text for element in parsed(svg).iter(f"{NS}text")]
    assert '<script>alert("x")</scr…' in texts  # the text itself, escaped by the serialiser, cut to fit
    assert "Організація національно…" in texts


def test_first_category_is_on_top_and_ticks_are_whole_numbers():
    root = parsed(charts.bar_chart(["Registrations", "Admitted", "Present"], [("People", [7, 5, 4])]))
    labels = {}
    ticks = []
    for axis in root.iter(f"{NS}g"):
        classes = (axis.get("class") or "").split()
        if "axis" in classes and "y" in classes:
            labels = {text.text: float(text.get("y")) for text in axis.iter(f"{NS}text")}
        if "axis" in classes and "x" in classes:
            ticks = [text.text for text in axis.iter(f"{NS}text")]
    assert labels["Registrations"] < labels["Admitted"] < labels["Present"]  # SVG y grows downwards
    assert ticks and all(tick.isdigit() for tick in ticks)


def test_pygal_leaves_no_legacy_import_finder_behind():
    # pygal's finder has only find_module(): any unresolved import would warn (an error in tests).
    assert not [finder for finder in sys.meta_path if type(finder).__name__ == "PluginImportFixer"]


def test_a_chart_is_plain_svg_whatever_else_changed_the_xml_namespace_map():
    # Importing WeasyPrint (the PDFs) re-registers ElementTree's namespaces for the whole process,
    # which dropped the SVG default namespace: the charts then came out as <ns0:svg>, which browsers
    # do not draw. The suite found it only when a PDF test ran first in the same process.
    ET.register_namespace("", "")  # what weasyprint.pdf.metadata does on import
    svg = str(charts.bar_chart(["Migrant", "Other"], [("Present", [3, 1])]))
    assert svg.startswith('<svg xmlns="http://www.w3.org/2000/svg"')
    assert "ns0:" not in svg and "<svg:" not in svg
