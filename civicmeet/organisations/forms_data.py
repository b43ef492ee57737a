"""Forms of the moderators' data pages: the import's upload and its apply step."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from .imports import MAX_BYTES, MAX_ROWS
from .models import OrganisationStatus

STATUS_CHOICES = [
    (OrganisationStatus.DRAFT, _("As drafts: I review each one before it shows in the directory")),
    (OrganisationStatus.PUBLISHED, _("Published in the directory at once")),
]


class ImportUploadForm(forms.Form):
    file = forms.FileField(
        label=_("Spreadsheet (CSV or XLSX)"),
        help_text=_("Up to %(size)s MB and %(rows)s rows. The first row holds the column headers, as in the template.")
        % {"size": MAX_BYTES // (1024 * 1024), "rows": MAX_ROWS},
        widget=forms.ClearableFileInput(
            attrs={"accept": ".csv,.xlsx,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}
        ),
        error_messages={
            "required": _("Choose the file to import."),
            "empty": _("The file is empty."),
            "invalid": _("Upload a CSV or XLSX file."),
        },
    )
    status = forms.ChoiceField(
        label=_("New organisations go into the directory"),
        choices=STATUS_CHOICES,
        initial=OrganisationStatus.DRAFT,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose whether the new organisations are published or drafts.")},
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        # Refused by its size before it is read into memory.
        if upload.size > MAX_BYTES:
            raise forms.ValidationError(
                _("The file is larger than %(size)s MB. Split it into smaller files.")
                % {"size": MAX_BYTES // (1024 * 1024)},
                code="too_large",
            )
        return upload


class ImportApplyForm(forms.Form):
    plan = forms.CharField(widget=forms.HiddenInput)
    status = forms.ChoiceField(choices=STATUS_CHOICES, widget=forms.HiddenInput)
