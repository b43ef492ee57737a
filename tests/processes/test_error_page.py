"""The page every server error answers with (templates/500.html) says which language each part is in."""

from __future__ import annotations

from html.parser import HTMLParser

from django.test import RequestFactory
from django.views.defaults import server_error

# Each sentence of the page, in the language a screen reader must read it in.
SENTENCES = {
    "Something went wrong": "en",
    "Wystąpił błąd": "pl",
    "Сталася помилка": "uk",
    "Please try again in a moment.": "en",
    "Spróbuj ponownie za chwilę.": "pl",
    "Спробуйте ще раз за хвилину.": "uk",
}


class _TextLanguages(HTMLParser):
    """Every piece of text with the `lang` of its nearest element that has one."""

    def __init__(self) -> None:
        super().__init__()
        self.stack: list[str | None] = []
        self.texts: list[tuple[str, str | None]] = []

    def handle_starttag(self, tag, attrs):
        if tag in ("meta", "br"):
            return
        self.stack.append(dict(attrs).get("lang"))

    def handle_endtag(self, tag):
        if tag not in ("meta", "br"):
            self.stack.pop()

    def handle_data(self, data):
        if data.strip():
            language = next((lang for lang in reversed(self.stack) if lang), None)
            self.texts.append((data.strip(), language))


def test_the_error_page_marks_each_of_its_three_languages():
    response = server_error(RequestFactory().get("/"))
    assert response.status_code == 500
    parser = _TextLanguages()
    parser.feed(response.content.decode())
    assert parser.stack == []  # well nested
    found = dict(parser.texts)
    for sentence, language in SENTENCES.items():
        assert found.get(sentence) == language, f"{sentence!r} is marked {found.get(sentence)!r}, not {language!r}"
    # The document has a language too (the title and the separators).
    assert response.content.decode().splitlines()[1].startswith('<html lang="en">')
