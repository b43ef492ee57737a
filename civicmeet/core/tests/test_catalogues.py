"""The Polish and Ukrainian catalogues are complete: no empty or fuzzy entry, every plural form written.

Gettext falls back to the English msgid for an empty msgstr and ignores fuzzy entries when
compiling, so a missing translation would show English to a participant without any error. The
.po files are read with a small parser (no polib dependency).
"""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from django.conf import settings

LOCALE_DIR = Path(settings.BASE_DIR) / "locale"
TRANSLATED = ("pl", "uk")
# The Plural-Forms of Django's own catalogues for these languages (3 forms + 1 for fractions).
NPLURALS = {"pl": 4, "uk": 4, "en": 2}
PLACEHOLDER = re.compile(r"%\((\w+)\)[sd]")


@dataclass
class Entry:
    msgid: str = ""
    msgid_plural: str | None = None
    msgctxt: str | None = None
    msgstr: dict[int, str] = field(default_factory=dict)
    flags: set[str] = field(default_factory=set)
    line: int = 0


def parse_po(path: Path) -> list[Entry]:
    """The entries of a .po file (obsolete `#~` entries left out); the header is the first one."""
    entries: list[Entry] = []
    current: Entry | None = None
    target: tuple[str, int] | None = None
    for number, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        line = raw.strip()
        if not line:
            if current is not None:
                entries.append(current)
            current, target = None, None
            continue
        if line.startswith("#~"):
            continue
        if current is None:
            current = Entry(line=number)
        if line.startswith("#,"):
            current.flags.update(flag.strip() for flag in line[2:].split(","))
        elif line.startswith("#"):
            continue
        elif line.startswith("msgctxt "):
            current.msgctxt, target = ast.literal_eval(line[8:]), ("msgctxt", 0)
        elif line.startswith("msgid_plural "):
            current.msgid_plural, target = ast.literal_eval(line[13:]), ("msgid_plural", 0)
        elif line.startswith("msgid "):
            current.msgid, target = ast.literal_eval(line[6:]), ("msgid", 0)
        elif line.startswith("msgstr["):
            index = int(line[7 : line.index("]")])
            current.msgstr[index], target = ast.literal_eval(line[line.index("]") + 1 :].strip()), ("msgstr", index)
        elif line.startswith("msgstr "):
            current.msgstr[0], target = ast.literal_eval(line[7:]), ("msgstr", 0)
        elif line.startswith('"') and target is not None:
            value = ast.literal_eval(line)
            if target[0] == "msgstr":
                current.msgstr[target[1]] += value
            else:
                setattr(current, target[0], (getattr(current, target[0]) or "") + value)
    if current is not None:
        entries.append(current)
    return entries


def _catalogue(language: str) -> tuple[Entry, list[Entry]]:
    entries = parse_po(LOCALE_DIR / language / "LC_MESSAGES" / "django.po")
    assert entries and entries[0].msgid == "", "the catalogue has no header"
    return entries[0], entries[1:]


def _where(entry: Entry) -> str:
    return f"line {entry.line}: {entry.msgid[:70]!r}"


@pytest.mark.parametrize("language", TRANSLATED)
def test_no_empty_or_fuzzy_entry(language):
    _header, entries = _catalogue(language)
    assert len(entries) > 100
    fuzzy = [_where(entry) for entry in entries if "fuzzy" in entry.flags]
    empty = [_where(entry) for entry in entries if not entry.msgstr or not all(entry.msgstr.values())]
    assert not fuzzy, f"fuzzy entries in {language}: {fuzzy}"
    assert not empty, f"untranslated entries in {language}: {empty}"


@pytest.mark.parametrize("language", [*TRANSLATED, "en"])
def test_plural_entries_have_every_form(language):
    header, entries = _catalogue(language)
    nplurals = NPLURALS[language]
    assert f"nplurals={nplurals};" in header.msgstr[0].replace(" ", "")
    plurals = [entry for entry in entries if entry.msgid_plural is not None]
    assert plurals, "no plural entries found: is ngettext / blocktranslate count used?"
    incomplete = [_where(entry) for entry in plurals if sorted(entry.msgstr) != list(range(nplurals))]
    assert not incomplete, f"plural entries in {language} without all {nplurals} forms: {incomplete}"


@pytest.mark.parametrize("language", TRANSLATED)
def test_translations_keep_the_placeholders(language):
    _header, entries = _catalogue(language)
    wrong = []
    for entry in entries:
        expected = set(PLACEHOLDER.findall(entry.msgid)) | set(PLACEHOLDER.findall(entry.msgid_plural or ""))
        for index, text in entry.msgstr.items():
            if set(PLACEHOLDER.findall(text)) - expected or (expected - set(PLACEHOLDER.findall(text))):
                wrong.append(f"{_where(entry)} [{index}]")
    assert not wrong, f"placeholders differ from the msgid in {language}: {wrong}"


def test_english_catalogue_repeats_the_source():
    """The English msgstr is the msgid itself (so that the catalogue is complete for English too)."""
    _header, entries = _catalogue("en")
    different = []
    for entry in entries:
        expected = {0: entry.msgid} if entry.msgid_plural is None else {0: entry.msgid, 1: entry.msgid_plural}
        if entry.msgstr != expected or "fuzzy" in entry.flags:
            different.append(_where(entry))
    assert not different, f"English entries that differ from their msgid: {different}"


def test_the_parser_finds_fuzzy_empty_and_missing_plural_forms(tmp_path):
    po = tmp_path / "django.po"
    po.write_text(
        'msgid ""\nmsgstr ""\n"Plural-Forms: nplurals=4;\\n"\n\n'
        '#, fuzzy, python-format\nmsgid "A %(x)s"\nmsgstr "B %(x)s"\n\n'
        'msgid "Empty"\nmsgstr ""\n\n'
        'msgid "%(n)d day"\nmsgid_plural "%(n)d days"\nmsgstr[0] "%(n)d dzień"\nmsgstr[1] ""\n"%(n)d dni"\n\n'
        '#~ msgid "Old"\n#~ msgstr ""\n',
        encoding="utf-8",
    )
    header, fuzzy, empty, plural = parse_po(po)
    assert "nplurals=4" in header.msgstr[0]
    assert "fuzzy" in fuzzy.flags and fuzzy.msgstr == {0: "B %(x)s"}
    assert empty.msgstr == {0: ""}
    assert plural.msgid_plural == "%(n)d days" and plural.msgstr == {0: "%(n)d dzień", 1: "%(n)d dni"}
