"""Reading a page's form back into the data a browser would post (to fill fields with payloads)."""

from __future__ import annotations

from html.parser import HTMLParser


class _FormReader(HTMLParser):
    def __init__(self, action_contains: str | None) -> None:
        super().__init__(convert_charrefs=True)
        self.action_contains = action_contains
        self.in_form = False
        self.done = False
        self.data: dict[str, list[str]] = {}
        self.text_fields: list[str] = []
        self._textarea: str | None = None
        self._select: str | None = None
        self._first_option: str | None = None
        self._selected = False

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if self.done:
            return
        if tag == "form":
            method = (a.get("method") or "get").lower()
            action = a.get("action") or ""
            wanted = action == "" if self.action_contains is None else self.action_contains in action
            if method == "post" and wanted:
                self.in_form = True
            return
        if not self.in_form:
            return
        if tag == "option" and self._select:
            value = a.get("value", "")
            if self._first_option is None:
                self._first_option = value
            if "selected" in a:
                self.data.setdefault(self._select, []).append(value)
                self._selected = True
            return
        if "name" not in a:
            return
        name = a["name"]
        if tag == "input":
            kind = (a.get("type") or "text").lower()
            if kind in ("checkbox", "radio"):
                if "checked" in a:
                    self.data.setdefault(name, []).append(a.get("value", "on"))
            elif kind not in ("submit", "button", "file"):
                self.data.setdefault(name, []).append(a.get("value") or "")
                if kind in ("text", "search") and name != "csrfmiddlewaretoken":
                    self.text_fields.append(name)
        elif tag == "textarea":
            self._textarea = name
            self.data.setdefault(name, []).append("")
            self.text_fields.append(name)
        elif tag == "select":
            self._select, self._first_option, self._selected = name, None, False

    def handle_data(self, data):
        if self._textarea:
            self.data[self._textarea][-1] += data

    def handle_endtag(self, tag):
        if tag == "textarea":
            self._textarea = None
        elif tag == "select" and self._select:
            if not self._selected and self._first_option is not None:
                self.data.setdefault(self._select, []).append(self._first_option)
            self._select = None
        elif tag == "form" and self.in_form:
            self.in_form = False
            self.done = True


def read_form(html: str, action_contains: str | None = None) -> tuple[dict[str, list[str]], list[str]]:
    """The page's own POST form (the first without an `action`, or whose action contains
    `action_contains`): its data as a browser would send it, and the names of its text fields."""
    reader = _FormReader(action_contains)
    reader.feed(html)
    return reader.data, reader.text_fields
