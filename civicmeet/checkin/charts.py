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
import math
import sys
import xml.etree.ElementTree as ET
from collections.abc import Sequence

import pygal  # type: ignore[import-untyped]
from django.utils.safestring import SafeString, mark_safe
from pygal.style import Style  # type: ignore[import-untyped]

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
FONT_SIZE = 15
LABEL_CHARACTERS = 24

ET.register_namespace("", SVG_NS)
# What pygal adds for its browser script and hover titles (which would say "Pygal").
UNWANTED = {f"{{{SVG_NS}}}{name}" for name in ("script", "style", "title", "desc")}


@functools.cache
def _colours() -> dict[str, str]:
    sheet = contrast.read()
    names = (*SERIES_TOKENS, "--cm-ink", "--cm-muted", "--cm-surface", "--cm-border")
    return {name: sheet.colour(name) for name in names}


def _short(label: str) -> str:
    """A category's name cut to fit beside the bars (the table below the chart has it whole)."""
    label = " ".join(str(label).split())
    return label if len(label) <= LABEL_CHARACTERS else label[: LABEL_CHARACTERS - 1].rstrip() + "…"


def _classes(element: ET.Element) -> set[str]:
    return set((element.get("class") or "").split())


def _clean(svg: str) -> str:
    """pygal's SVG without its script and style, coloured by presentation attributes."""
    colours = _colours()
    root = ET.fromstring(svg)  # noqa: S314 — pygal's own output, made just now from our figures
    for parent in list(root.iter()):
        for child in list(parent):
            # The script, the style and the tooltip (a script's, shown by `style=`) go.
            if child.tag in UNWANTED or "tooltip" in _classes(child):
                parent.remove(child)
    root.set("font-family", FONT)
    root.set("fill", colours["--cm-ink"])
    root.set("role", "presentation")
    root.set("focusable", "false")
    root.set("aria-hidden", "true")
    root.set("class", "chart")
    root.set("width", "100%")
    root.attrib.pop("id", None)
    # pygal's stylesheet anchors the labels: those left of the plot (y) at their end, those below centred.
    for axis in root.iter(f"{{{SVG_NS}}}g"):
        classes = _classes(axis)
        if "axis" in classes:
            anchor = "end" if "y" in classes else "middle"
            for text in axis.iter(f"{{{SVG_NS}}}text"):
                text.set("text-anchor", anchor)
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
            element.set("font-size", str(FONT_SIZE))
    # Comments naming the generator stay out; pygal's tooltips (desc) are harmless and hidden.
    # The default namespace registered again on every call: the map is the whole process's, and
    # importing WeasyPrint (the PDFs) rewrites it, after which the charts came out as <ns0:svg>,
    # which browsers do not draw.
    ET.register_namespace("", SVG_NS)
    return ET.tostring(root, encoding="unicode")


def bar_chart(
    labels: Sequence[str], series: Sequence[tuple[str, Sequence[int]]], *, horizontal: bool = True
) -> SafeString:
    """A bar chart of `series` ((name, values per label), ...) over `labels`, as inline SVG markup.

    Horizontal bars by default: long labels (organisation types, events' titles) read on a phone.
    """
    labels = [_short(label) for label in labels]
    if horizontal:
        # pygal stacks horizontal bars from the bottom: reversed, the first label is at the top.
        labels = list(reversed(labels))
        series = [(name, list(reversed(values))) for name, values in series]
    config = {
        "css": [],
        "js": [],
        "disable_xml_declaration": True,
        "no_prefix": True,
        "explicit_size": False,
        "show_legend": len(series) > 1,
        "legend_at_bottom": True,
        "legend_at_bottom_columns": len(series),
        "legend_box_size": 14,
        # Narrow enough that the text stays readable when a phone shrinks the chart to its width.
        "width": 480,
        "height": max(180, 80 + 34 * len(labels) * max(1, len(series))) if horizontal else 300,
        "truncate_label": -1,
        "truncate_legend": 30,
        "margin": 6,
        "min_scale": 1,
        "max_scale": 5,
        "title": None,
        # pygal lays the chart out for these sizes; _clean writes the same size on the texts.
        "style": Style(
            font_family=FONT,
            label_font_size=FONT_SIZE,
            major_label_font_size=FONT_SIZE,
            legend_font_size=FONT_SIZE,
            value_font_size=FONT_SIZE,
        ),
    }
    chart = (pygal.HorizontalBar if horizontal else pygal.Bar)(**config)
    chart.x_labels = list(labels)
    for name, values in series:
        chart.add(name, list(values))
    # People are counted in whole numbers: ticks at whole steps, about five of them.
    highest = max((value for _name, values in series for value in values), default=0)
    step = max(1, math.ceil(highest / 5))
    chart.y_labels = list(range(0, max(highest, 1) + step, step))
    return mark_safe(_clean(chart.render(is_unicode=True)))  # noqa: S308 — our own SVG, labels escaped by ElementTree
