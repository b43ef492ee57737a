"""Bar charts for the report and the counters, drawn on the server with pygal as SVG.

The same SVG goes into the page (works without JavaScript), into the PDF (WeasyPrint draws SVG) and
anywhere else. pygal puts a `<style>` and a `<script>` inside its SVG; the Content-Security-Policy
forbids both on our pages (and the PDF has no use for them), so they are taken out and the colours
and fonts are written as SVG presentation attributes (not `style=`), with the colours read from the
design system's stylesheet (`core.contrast`), so a chart follows the tokens. A chart is decoration
for sighted readers: it is `aria-hidden` and its figures follow it as a table.
"""

from __future__ import annotations

import functools
import sys
import xml.etree.ElementTree as ET
from collections.abc import Sequence

import pygal
from django.utils.safestring import SafeString, mark_safe

from civicmeet.core import contrast

# pygal appends a finder for its map plugins to sys.meta_path that has only the legacy
# find_module(): from then on every import that no other finder resolves (an optional dependency
# probed with try/except) raises ImportWarning, an error under the test suite's warning rules. We
# use no map plugin, so the finder is taken out again.
sys.meta_path[:] = [finder for finder in sys.meta_path if type(finder).__name__ != "PluginImportFixer"]

SVG_NS = "http://www.w3.org/2000/svg"
# Series colours: the primary and the warning tone, both ≥ 3:1 against the white plot (WCAG 1.4.11)
# and told apart by lightness as well as hue.
SERIES_TOKENS = ("--cm-primary", "--cm-warning", "--cm-success", "--cm-info")
FONT = '"Noto Sans", "DejaVu Sans", system-ui, sans-serif'

ET.register_namespace("", SVG_NS)


@functools.cache
def _colours() -> dict[str, str]:
    sheet = contrast.read()
    names = (*SERIES_TOKENS, "--cm-ink", "--cm-muted", "--cm-surface", "--cm-border")
    return {name: sheet.colour(name) for name in names}


def _classes(element: ET.Element) -> set[str]:
    return set((element.get("class") or "").split())


def _clean(svg: str) -> str:
    """pygal's SVG without its script and style, coloured by presentation attributes."""
    colours = _colours()
    root = ET.fromstring(svg)  # noqa: S314 — pygal's own output, made just now from our figures
    for parent in list(root.iter()):
        for child in list(parent):
            # The script, the style and the tooltip (a script's, shown by `style=`) go.
            if child.tag in (f"{{{SVG_NS}}}script", f"{{{SVG_NS}}}style") or "tooltip" in _classes(child):
                parent.remove(child)
    root.set("font-family", FONT)
    root.set("fill", colours["--cm-ink"])
    root.set("role", "presentation")
    root.set("focusable", "false")
    root.set("aria-hidden", "true")
    root.set("class", "chart")
    root.set("width", "100%")
    root.attrib.pop("id", None)
    for element in root.iter():
        element.attrib.pop("style", None)
        classes = _classes(element)
        if "background" in classes:
            element.set("fill", colours["--cm-surface"])
        if "guide" in classes or "axis" in classes and element.tag == f"{{{SVG_NS}}}path":
            element.set("stroke", colours["--cm-border"])
        if element.tag == f"{{{SVG_NS}}}path" and "line" in classes:
            element.set("stroke", colours["--cm-border"])
        for number, token in enumerate(SERIES_TOKENS):
            if f"color-{number}" in classes:
                element.set("fill", colours[token])
                element.set("stroke", colours[token])
        if element.tag == f"{{{SVG_NS}}}text":
            element.set("fill", colours["--cm-ink"])
            element.set("font-size", "14")
        if "legend" in classes:
            element.set("font-size", "14")
    # Comments naming the generator stay out; pygal's tooltips (desc) are harmless and hidden.
    return ET.tostring(root, encoding="unicode")


def bar_chart(
    labels: Sequence[str], series: Sequence[tuple[str, Sequence[int]]], *, horizontal: bool = True
) -> SafeString:
    """A bar chart of `series` ((name, values per label), ...) over `labels`, as inline SVG markup.

    Horizontal bars by default: long labels (organisation types, events' titles) read on a phone.
    """
    config = {
        "css": [],
        "js": [],
        "disable_xml_declaration": True,
        "no_prefix": True,
        "explicit_size": False,
        "show_legend": len(series) > 1,
        "legend_at_bottom": True,
        "legend_at_bottom_columns": len(series),
        "width": 640,
        "height": max(200, 70 + 44 * len(labels) * max(1, len(series))) if horizontal else 320,
        "print_values": True,
        "print_zeroes": True,
        "truncate_label": 40,
        "truncate_legend": 40,
        "margin": 8,
        "min_scale": 1,
        "max_scale": 6,
        "show_minor_y_labels": False,
    }
    chart = (pygal.HorizontalBar if horizontal else pygal.Bar)(**config)
    chart.x_labels = list(labels)
    for name, values in series:
        chart.add(name, list(values))
    return mark_safe(_clean(chart.render(is_unicode=True)))  # noqa: S308 — our own SVG, labels escaped by ElementTree
