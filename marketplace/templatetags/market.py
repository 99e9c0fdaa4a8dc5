"""Formatting at the edges: money and award shares, Markdown, ledger entries as
sentences, hash receipt codes and language names for templates."""

from django import template
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import get_language_info, gettext

from marketplace.challenges.display import award_share
from marketplace.core.markdown import render_markdown
from marketplace.escrow.memos import entry_sentence as sentence_of
from payouts.connect_texts import disabled_reason_label, requirements_text
from payouts.currency import format_money

register = template.Library()

# A receipt code is the hash's first twelve hex characters, in groups of four.
CODE_LENGTH = 12
GROUP = 4


@register.simple_tag
def money(minor: int, currency: str) -> str:
    """{% money challenge.prize_pool challenge.currency %} in the reader's language."""
    return format_money(minor, currency)


@register.filter
def entry_sentence(entry) -> str:
    """What a ledger entry did, in the reader's language (its memo stays as posted)."""
    return sentence_of(entry)


@register.filter
def markdown(source: str) -> str:
    return mark_safe(render_markdown(source))


def receipt_code(digest: str) -> str:
    """3f2a9c417be0… -> 3f2a-9c41-7be0."""
    head = digest[:CODE_LENGTH]
    return "-".join(head[i : i + GROUP] for i in range(0, len(head), GROUP))


@register.filter
def hash_code(digest: str) -> str:
    """{{ version.sha256|hash_code }}: the short receipt code, and the full hash for
    copying behind a disclosure that needs no JavaScript."""
    if not digest:
        return ""
    return format_html(
        '<details class="hash-code"><summary><code>{}</code> <span class="muted">{}</span>'
        '</summary><code class="hash">{}</code></details>',
        receipt_code(digest),
        gettext("Show full hash"),
        digest,
    )


@register.filter
def language_label(code: str) -> str:
    """{{ deed.language|language_label }}: the language's own name, capitalised
    ("English", "Español"), as shown beside a document in it; an unknown code as itself."""
    if not code:
        return "—"
    try:
        name = get_language_info(code)["name_local"]
    except KeyError:
        return code
    return name[:1].upper() + name[1:]


@register.simple_tag(name="award_share")
def award_share_tag(minor: int, pool: int, currency: str) -> str:
    """{% award_share award.amount challenge.prize_pool challenge.currency %}: the award
    both ways, "$60,000.00 (60% of the prize pool)", in the reader's language."""
    return award_share(minor, pool, currency)


@register.filter
def stripe_requirements(codes: list[str]) -> str:
    """What Stripe still needs from a winner, in words."""
    return requirements_text(codes)


@register.filter
def stripe_disabled_reason(code: str) -> str:
    return disabled_reason_label(code)
