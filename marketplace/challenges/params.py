"""Query parameters of the challenge list, turned into the catalogue selector's query."""

import functools

from django.http import QueryDict
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from marketplace.challenges.models import ChallengeKind, ChallengeState
from marketplace.challenges.selectors import SORTS, CatalogueQuery
from marketplace.challenges.states import PUBLISHED


class CatalogueParamsSerializer(serializers.Serializer):
    q = serializers.CharField(
        required=False,
        default="",
        max_length=200,
        allow_blank=True,
        help_text=_("Words in the title or summary."),
    )
    kind = serializers.ListField(
        child=serializers.ChoiceField(ChallengeKind.choices), required=False, default=list
    )
    state = serializers.ListField(
        child=serializers.ChoiceField([(s, ChallengeState(s).label) for s in PUBLISHED]),
        required=False,
        default=list,
        help_text=_("Published states only; default: open."),
    )
    currency = serializers.CharField(required=False, default="", max_length=3, allow_blank=True)
    prize_min = serializers.DecimalField(
        max_digits=20,
        decimal_places=4,
        min_value=0,
        required=False,
        allow_null=True,
        default=None,
        help_text=_("In major units of each challenge's currency (e.g. dollars)."),
    )
    prize_max = serializers.DecimalField(
        max_digits=20, decimal_places=4, min_value=0, required=False, allow_null=True, default=None
    )
    deadline_before = serializers.DateTimeField(required=False, allow_null=True, default=None)
    sort = serializers.ChoiceField(list(SORTS), required=False, default="deadline")
    mine = serializers.BooleanField(
        required=False,
        default=False,
        help_text=_(
            "Signed in only: the challenges of your organisations in every state "
            "(the other filters do not apply)."
        ),
    )

    def to_query(self) -> CatalogueQuery:
        data = self.validated_data
        return CatalogueQuery(
            text=data["q"].strip(),
            kinds=tuple(data["kind"]),
            states=tuple(data["state"]),
            currency=data["currency"],
            prize_min=data["prize_min"],
            prize_max=data["prize_max"],
            deadline_before=data["deadline_before"],
            sort=data["sort"],
        )


@functools.lru_cache(maxsize=1024)
def _read(query_string: str, zone: str) -> tuple[bool, CatalogueQuery]:
    params = CatalogueParamsSerializer(data=QueryDict(query_string))
    params.is_valid(raise_exception=True)
    return params.validated_data["mine"], params.to_query()


def catalogue_params(query_string: str) -> tuple[bool, CatalogueQuery]:
    """(mine, the catalogue's query) read from a request's query string; a ValidationError
    for bad parameters. Read once per query string (and time zone, in which a date
    without one is read): the catalogue's requests repeat a few filters endlessly."""
    return _read(query_string, timezone.get_current_timezone_name())
