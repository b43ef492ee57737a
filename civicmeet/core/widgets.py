"""Form widgets shared by the apps."""

from __future__ import annotations

from django import forms
from django.forms.utils import flatatt
from django.utils.html import format_html, format_html_join


class PlainSelect(forms.Select):
    """A <select> written out in Python instead of through a template per option.

    Django renders every option through the widget templates; for the few hundred organisations in
    the organisers' filter that was a third of the list page's time (docs/performance.md). The
    HTML is the same: name, id and other attributes, the options and the selected one.
    """

    def render(self, name, value, attrs=None, renderer=None):
        widget = self.get_context(name, value, attrs)["widget"]
        options = format_html_join(
            "",
            '<option value="{}"{}>{}</option>',
            (
                (option["value"], " selected" if option["selected"] else "", option["label"])
                for _group, choices, _index in widget["optgroups"]
                for option in choices
            ),
        )
        return format_html("<select{}>{}</select>", flatatt({"name": widget["name"], **widget["attrs"]}), options)
