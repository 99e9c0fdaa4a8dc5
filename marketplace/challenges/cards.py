"""The catalogue page's cards: what `_challenge_card.html` shows of a challenge (state,
type, Seeker, prize, escrow badge, deadline, solver count), built from the same
`values()` rows as the API's items, with the same cached labels and money texts, and
the same translated sentences. The page draws them inline, without three includes and
a template tag per card."""

from django.urls import reverse
from django.utils import dateformat, timezone
from django.utils.formats import date_format, localize
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.timesince import timeuntil
from django.utils.translation import get_language, gettext, ngettext

from marketplace.challenges.models import ChallengeState
from marketplace.challenges.states import ESCROW_WHOLE
from marketplace.challenges.summaries import labels, money_texts


def _deadline_text(state: str, deadline) -> str:
    """ "closes in 3 days" while open, "closed Dec. 5, 2026" after (`_deadline.html`)."""
    if state == ChallengeState.OPEN:
        return gettext("closes in %(left)s") % {"left": escape(timeuntil(deadline))}
    return gettext("closed %(day)s") % {"day": escape(date_format(deadline, "DATE_FORMAT"))}


def catalogue_cards(rows) -> list[dict]:
    """Rows of `values(*summaries.COLUMNS)` as cards; a hidden Seeker is never named."""
    language = get_language()
    kinds, states = labels(language)
    cards = []
    for row in rows:
        prize = money_texts(row["prize_pool"], row["currency"], language)[1]
        deadline = timezone.localtime(row["submission_deadline"])
        solvers = row["solver_count"]
        # mark_safe: the translations are trusted and every value put in them is escaped,
        # as `blocktranslate` does.
        escrow = (
            gettext("Prize funded in escrow: %(pool)s") % {"pool": escape(prize)}
            if row["state"] in ESCROW_WHOLE
            else ""
        )
        cards.append(
            {
                "url": reverse("challenge_detail", args=[row["id"]]),
                "title": row["title"],
                "state": row["state"],
                "state_label": states[row["state"]],
                "kind_label": kinds[row["kind"]],
                "seeker": None if row["hide_seeker"] else row["organization__name"],
                "prize": prize,
                "escrow": mark_safe(escrow),
                "deadline": dateformat.format(deadline, "c"),
                "deadline_title": date_format(deadline, "DATETIME_FORMAT"),
                "deadline_text": mark_safe(_deadline_text(row["state"], deadline)),
                "solvers": mark_safe(
                    ngettext(
                        "%(counter)s solver registered", "%(counter)s solvers registered", solvers
                    )
                    % {"counter": localize(solvers)}
                ),
            }
        )
    return cards
