"""Formatting at the edges: money and Markdown for templates."""

from django import template
from django.utils.safestring import mark_safe

from marketplace.core.markdown import render_markdown
from payouts.currency import format_money

register = template.Library()


@register.simple_tag
def money(minor: int, currency: str) -> str:
    """{% money challenge.prize_pool challenge.currency %} in the reader's language."""
    return format_money(minor, currency)


@register.filter
def markdown(source: str) -> str:
    return mark_safe(render_markdown(source))
