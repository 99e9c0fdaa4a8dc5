"""The staff audit of acceptances: who accepted which text, when and from where, with
filters, a CSV export of the filtered set, and one acceptance's exact text with its
hashes checked again. Everyone who is not staff gets 404, as if the pages did not exist."""

from django import forms
from django.core.paginator import Paginator
from django.db.models import Count
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext_lazy as _

from legal.models import AgreementTemplate
from legal.selectors import acceptances
from legal.services import sha256_text
from marketplace.challenges.models import Challenge
from marketplace.core.csv_cells import csv_download, spreadsheet_safe
from marketplace.core.references import subject_of
from marketplace.staff.access import require_staff

PAGE_SIZE = 50

CSV_COLUMNS = [
    "id",
    "accepted_at",
    "user_email",
    "template_kind",
    "template_variant",
    "template_version",
    "language",
    "template_title",
    "template_sha256",
    "subject",
    "text_sha256",
    "ip",
    "user_agent",
]


def _templates() -> list[AgreementTemplate]:
    """Every template version with the number of acceptances it has."""
    return list(
        AgreementTemplate.objects.annotate(acceptance_count=Count("acceptances")).order_by(
            "kind", "variant", "-version", "language"
        )
    )


class AcceptanceFilter(forms.Form):
    user = forms.CharField(
        label=_("User e-mail contains"),
        required=False,
        max_length=254,
        widget=forms.TextInput(attrs={"type": "search"}),
    )
    challenge = forms.IntegerField(label=_("Challenge id"), required=False, min_value=1)
    template = forms.TypedChoiceField(
        label=_("Template"), required=False, coerce=int, empty_value=None
    )

    def __init__(self, *args, templates, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["template"].choices = [
            ("", _("Any template")),
            *((t.pk, str(t)) for t in templates),
        ]

    def rows(self):
        """The acceptances matching the valid filters (a field with bad input is shown
        with its error and left out)."""
        self.is_valid()
        data = self.cleaned_data
        challenge_pk = data.get("challenge")
        return acceptances(
            user_email=(data.get("user") or "").strip(),
            subject=subject_of(Challenge(pk=challenge_pk)) if challenge_pk else "",
            template_id=data.get("template"),
        )


def challenge_pk_of(subject: str) -> int | None:
    """12 for "challenge:12"; None for other subjects ("site")."""
    kind, _sep, pk = subject.partition(":")
    return int(pk) if kind == "challenge" and pk.isdigit() else None


def acceptance_audit(request):
    require_staff(request.user)
    templates = _templates()
    form = AcceptanceFilter(request.GET, templates=templates)
    page = Paginator(form.rows(), PAGE_SIZE).get_page(request.GET.get("page"))
    rows = [(acceptance, challenge_pk_of(acceptance.subject)) for acceptance in page]
    return render(
        request,
        "marketplace/agreements/audit.html",
        {"form": form, "page": page, "rows": rows, "templates": templates},
    )


def _csv_rows(rows):
    for acceptance in rows.iterator(chunk_size=500):
        template = acceptance.template
        yield [
            acceptance.pk,
            acceptance.accepted_at.isoformat(),
            spreadsheet_safe(acceptance.user.email),
            template.kind,
            template.variant,
            template.version,
            acceptance.language,
            spreadsheet_safe(template.title),
            acceptance.template_sha256,
            spreadsheet_safe(acceptance.subject),
            acceptance.text_sha256,
            acceptance.ip or "",
            spreadsheet_safe(acceptance.user_agent),
        ]


def acceptance_audit_csv(request):
    """One row per acceptance of the filtered set, newest first, streamed."""
    require_staff(request.user)
    form = AcceptanceFilter(request.GET, templates=_templates())
    return csv_download(CSV_COLUMNS, _csv_rows(form.rows()), "acceptances.csv")


def acceptance_detail(request, pk: int):
    """The exact text accepted, both hashes, and both recomputed from what is stored."""
    require_staff(request.user)
    acceptance = get_object_or_404(acceptances(), pk=pk)
    text_sha256 = sha256_text(acceptance.text)
    template_sha256 = sha256_text(acceptance.template.body)
    return render(
        request,
        "marketplace/agreements/acceptance.html",
        {
            "acceptance": acceptance,
            "challenge_pk": challenge_pk_of(acceptance.subject),
            "text_sha256": text_sha256,
            "text_matches": text_sha256 == acceptance.text_sha256,
            "template_sha256": template_sha256,
            "template_matches": template_sha256 == acceptance.template_sha256,
        },
    )
