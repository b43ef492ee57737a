"""The colours of the design system and their WCAG contrast, read from `static/css/civicmeet.css`.

Used by the contrast test (every text/background pair the stylesheet uses must reach 4.5:1) and by
the style guide, which shows each colour with its ratios. Only the stylesheet is read: the colours
live in its `:root` custom properties, and its rules refer to them with `var(--cm-…)`.

Which pairs are "text on a background":
- a rule that sets both `color` and `background` (a button, a badge, a notice): that pair;
- a rule that sets only `color` (a link, an error message, a muted note): that colour on every light
  background of the stylesheet (the page, cards, the tinted notices and badges), since such text can
  sit on any of them;
- Pico's own text and background, as the stylesheet maps them onto the tokens.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings

AA_TEXT = 4.5
_COMMENT = re.compile(r"/\*.*?\*/", re.S)
# Innermost blocks: `selector { declarations }` (an @media's own braces hold blocks, not declarations).
_BLOCK = re.compile(r"([^{}]+)\{([^{}]*)\}")
_DECLARATION = re.compile(r"([-\w]+)\s*:\s*([^;]+)")
_VAR = re.compile(r"^var\((--[-\w]+)\)$")
_HEX = re.compile(r"^#([0-9a-fA-F]{6})$")
# Pico's variables that are a text colour on a background colour.
PICO_PAIRS = [
    ("--pico-color", "--pico-background-color"),
    ("--pico-muted-color", "--pico-background-color"),
    ("--pico-primary", "--pico-background-color"),
    ("--pico-primary-inverse", "--pico-primary-background"),
    ("--pico-primary-inverse", "--pico-primary-hover-background"),
    ("--pico-form-element-color", "--pico-form-element-background-color"),
]


def stylesheet_path() -> Path:
    return Path(settings.BASE_DIR) / "static" / "css" / "civicmeet.css"


@dataclass(frozen=True)
class Pair:
    text: str  # a custom property, e.g. "--cm-ink"
    background: str
    ratio: float
    where: str  # the selector (or Pico variable) that puts them together

    @property
    def passes(self) -> bool:
        return self.ratio >= AA_TEXT


@dataclass(frozen=True)
class Stylesheet:
    tokens: dict[str, str]  # "--cm-ink" → "#1d2733"
    aliases: dict[str, str]  # "--pico-color" → "--cm-ink"
    rules: list[tuple[str, dict[str, str]]]  # (selector, declarations) outside :root
    literals: list[str]  # "selector: property: value" for a colour not written as a token

    def colour(self, name: str) -> str:
        name = self.aliases.get(name, name)
        return self.tokens[name]

    def pairs(self) -> list[Pair]:
        found: dict[tuple[str, str], str] = {}
        text_only: dict[str, str] = {}
        backgrounds: set[str] = {"--cm-page", "--cm-surface"}
        for selector, declarations in self.rules:
            text = _token(declarations.get("color"))
            background = _token(declarations.get("background") or declarations.get("background-color"))
            if background:
                backgrounds.add(background)
            if text and background:
                found.setdefault((text, background), selector)
            elif text:
                text_only.setdefault(text, selector)
        for text_name, background_name in PICO_PAIRS:
            text, background = self.aliases.get(text_name), self.aliases.get(background_name)
            if text and background:
                found.setdefault((text, background), text_name)
        light = [name for name in sorted(backgrounds) if luminance(self.tokens[name]) > 0.5]
        for text, selector in text_only.items():
            for background in light:
                found.setdefault((text, background), selector)
        return [
            Pair(text, background, contrast(self.tokens[text], self.tokens[background]), where)
            for (text, background), where in sorted(found.items())
        ]


def _token(value: str | None) -> str | None:
    match = _VAR.match((value or "").strip())
    return match.group(1) if match and match.group(1).startswith("--cm-") else None


def read(path: Path | None = None) -> Stylesheet:
    css = _COMMENT.sub("", (path or stylesheet_path()).read_text(encoding="utf-8"))
    tokens: dict[str, str] = {}
    aliases: dict[str, str] = {}
    rules: list[tuple[str, dict[str, str]]] = []
    literals: list[str] = []
    for selector, body in _BLOCK.findall(css):
        selector = " ".join(selector.split())
        declarations = {name.strip(): value.strip() for name, value in _DECLARATION.findall(body)}
        if selector == ":root":
            for name, value in declarations.items():
                if _HEX.match(value):
                    tokens[name] = value.lower()
            continue
        for name, value in declarations.items():
            if name.startswith("--pico-") and (target := _token(value)):
                aliases[name] = target
            elif name in {"color", "background", "background-color"} and value not in {
                "transparent",
                "inherit",
                "currentColor",
                "none",
            }:
                if not _token(value):
                    literals.append(f"{selector}: {name}: {value}")
        rules.append((selector, declarations))
    return Stylesheet(tokens=tokens, aliases=aliases, rules=rules, literals=literals)


def luminance(hex_colour: str) -> float:
    """WCAG 2.1 relative luminance of '#rrggbb'."""
    channels = [int(hex_colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(first: str, second: str) -> float:
    """WCAG 2.1 contrast ratio of two '#rrggbb' colours (1 … 21)."""
    lighter, darker = sorted((luminance(first), luminance(second)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)
