"""Forms of the submission pages. They only parse what people type and attach; every
rule (required text, file size, type by content, limits, deadline) is the service's,
whose errors the views put back next to the fields."""

from django import forms
from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _


class MultipleFileInput(forms.FileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Any number of files (the service checks emptiness, size, type and count)."""

    widget = MultipleFileInput

    def __init__(self, **kwargs):
        super().__init__(required=False, allow_empty_file=True, **kwargs)

    def clean(self, data, initial=None):
        items = data if isinstance(data, list | tuple) else [data]
        return [super(MultipleFileField, self).clean(item, initial) for item in items if item]


def _files_help() -> str:
    return _(
        "Up to %(n)s files of at most %(limit)s each: PDF, images, ZIP archives or plain "
        "text (the content is checked, not the name)."
    ) % {
        "n": settings.SUBMISSION_MAX_FILES,
        "limit": filesizeformat(settings.SUBMISSION_MAX_FILE_BYTES),
    }


class SubmissionTextForm(forms.Form):
    """Title, abstract and body. The files come last: an upload that is stopped for its
    size keeps every field sent before it."""

    title = forms.CharField(
        label=_("Title"), required=False, widget=forms.TextInput(attrs={"maxlength": 200})
    )
    abstract = forms.CharField(
        label=_("Abstract"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("A few sentences that say what your solution is."),
    )
    body = forms.CharField(
        label=_("Solution"),
        required=False,
        max_length=200_000,
        widget=forms.Textarea(attrs={"rows": 14}),
        help_text=_("Markdown: headings, lists, **bold**, links, code."),
    )


class SubmissionForm(SubmissionTextForm):
    """A new submission, alone or for a team the user captains."""

    def __init__(self, *args, teams=(), **kwargs):
        super().__init__(*args, **kwargs)
        if teams:
            self.fields["team"] = forms.TypedChoiceField(
                label=_("Submit for"),
                required=False,
                coerce=int,
                empty_value=None,
                choices=[("", _("Myself alone"))] + [(t.pk, t.name) for t in teams],
                help_text=_("As captain you may submit for your team; its members see it too."),
            )
        self.fields["files"] = MultipleFileField(label=_("Files"), help_text=_files_help())


class SubmissionEditForm(SubmissionTextForm):
    """A new version: changed text, files added, current files removed."""

    def __init__(self, *args, current_files=(), **kwargs):
        super().__init__(*args, **kwargs)
        if current_files:
            self.fields["remove"] = forms.TypedMultipleChoiceField(
                label=_("Remove files"),
                required=False,
                coerce=int,
                widget=forms.CheckboxSelectMultiple,
                choices=[(f.pk, f.name) for f in current_files],
                help_text=_("Removed files stay listed in the receipts of earlier versions."),
            )
        self.fields["files"] = MultipleFileField(label=_("Add files"), help_text=_files_help())

    @classmethod
    def for_submission(cls, submission, data=None, files=None):
        initial = {name: getattr(submission, name) for name in ("title", "abstract", "body")}
        return cls(data, files, initial=initial, current_files=submission.current_files)
