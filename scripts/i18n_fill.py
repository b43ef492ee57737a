"""Write translations from JSON files into the pl/uk catalogues, then compile them.

    python scripts/i18n_fill.py i18n/event-form.json [more.json ...]

Each file is a list of entries:

    {"msgid": "Save", "pl": "Zapisz", "uk": "Зберегти"}
    {"msgid": "Save", "msgctxt": "button", "pl": "…", "uk": "…"}
    {"msgid": "%(count)s seat", "msgid_plural": "%(count)s seats",
     "pl": ["… miejsce", "… miejsca", "… miejsc", "… miejsca"],
     "uk": ["… місце", "… місця", "… місць", "… місця"]}

Plural entries give all four forms (one, few, many, fractions) for both languages.

The script first runs `makemessages` (so the catalogues hold every string in the code), then fills
the entries it is given, leaving every other translation as it was, and compiles. It holds a lock
(`var/i18n.lock`) from start to end, so several people or sessions working in one checkout can run
it at the same time without overwriting each other's catalogues. An entry whose msgid is not in the
code is reported, not added: the code is the source of truth.
"""

from __future__ import annotations

import fcntl
import json
import subprocess
import sys
from pathlib import Path

import polib

REPO = Path(__file__).resolve().parents[1]
LANGUAGES = ("pl", "uk")
PLURAL_FORMS = 4


def _catalogue(language: str) -> Path:
    return REPO / "locale" / language / "LC_MESSAGES" / "django.po"


def _run(*args: str) -> None:
    # A fixed command line of our own (no outside input): the S603/S607 warnings do not apply.
    subprocess.run([sys.executable, "manage.py", *args], cwd=REPO, check=True)  # noqa: S603


def _load(paths: list[Path]) -> list[dict]:
    entries: list[dict] = []
    for path in paths:
        data = json.loads(path.read_text(encoding="utf-8"))
        if not isinstance(data, list):
            raise SystemExit(f"{path}: expected a JSON list of entries")
        for number, entry in enumerate(data):
            for language in LANGUAGES:
                value = entry.get(language)
                if entry.get("msgid_plural"):
                    if not (isinstance(value, list) and len(value) == PLURAL_FORMS and all(value)):
                        raise SystemExit(f"{path}[{number}] {entry['msgid']!r}: {language} needs {PLURAL_FORMS} forms")
                elif not (isinstance(value, str) and value):
                    raise SystemExit(f"{path}[{number}] {entry['msgid']!r}: {language} is missing")
            entries.append(entry)
    return entries


def fill(entries: list[dict]) -> int:
    missing = 0
    for language in LANGUAGES:
        catalogue = polib.pofile(str(_catalogue(language)), wrapwidth=79)
        index = {(item.msgctxt, item.msgid): item for item in catalogue if not item.obsolete}
        for entry in entries:
            item = index.get((entry.get("msgctxt"), entry["msgid"]))
            if item is None:
                if language == LANGUAGES[0]:
                    print(f"not in the code (left out): {entry['msgid']!r}", file=sys.stderr)
                    missing += 1
                continue
            if entry.get("msgid_plural"):
                item.msgstr_plural = dict(enumerate(entry[language]))
            else:
                item.msgstr = entry[language]
            if "fuzzy" in item.flags:
                item.flags.remove("fuzzy")
        catalogue.save()
        # Back to gettext's own layout (polib wraps differently), so a run changes only what it filled.
        subprocess.run(["msgcat", "--width=79", "-o", str(_catalogue(language)), str(_catalogue(language))], check=True)  # noqa: S603, S607
    _repeat_the_source_in_english()
    return missing


def _repeat_the_source_in_english() -> None:
    """The English catalogue's msgstr is the msgid itself (core/tests/test_catalogues.py): never
    makemessages' fuzzy guess from a similar string."""
    path = REPO / "locale" / "en" / "LC_MESSAGES" / "django.po"
    if not path.exists():
        return
    catalogue = polib.pofile(str(path), wrapwidth=79)
    for item in catalogue:
        if item.obsolete:
            continue
        if item.msgid_plural:
            item.msgstr_plural = {0: item.msgid, 1: item.msgid_plural}
        else:
            item.msgstr = item.msgid
        if "fuzzy" in item.flags:
            item.flags.remove("fuzzy")
    catalogue.save()
    subprocess.run(["msgcat", "--width=79", "-o", str(path), str(path)], check=True)  # noqa: S603, S607


def main(argv: list[str]) -> int:
    paths = [Path(arg) for arg in argv]
    entries = _load(paths)
    lock_path = REPO / "var" / "i18n.lock"
    lock_path.parent.mkdir(exist_ok=True)
    with lock_path.open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        _run(
            "makemessages", "-l", "pl", "-l", "uk", "-l", "en", "--domain", "django",
            "--ignore", ".venv/*", "--ignore", "var/*", "--ignore", "node_modules/*", "--no-obsolete",
        )  # fmt: skip
        missing = fill(entries)
        _run("compilemessages", "--ignore", ".venv", "--ignore", "var", "--ignore", "node_modules")
    return 1 if missing else 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
