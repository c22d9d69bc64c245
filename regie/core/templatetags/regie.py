"""Template helpers shared by every app's pages."""

import datetime
from decimal import Decimal

from django import template
from django.template.context import Context
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.html import format_html
from django.utils.translation import gettext as _

from regie.core.history import HasNames, person_name

register = template.Library()


@register.simple_tag(takes_context=True)
def sort_header(context: Context, key: str, label: str) -> str:
    """A table header that sorts by ``key``; a second click reverses the order."""
    current = context.get("sort", "")
    base = context.get("sort_query", "")
    if current == key:
        target, state, icon = f"-{key}", "ascending", "bi-sort-up"
    elif current == f"-{key}":
        target, state, icon = key, "descending", "bi-sort-down"
    else:
        target, state, icon = key, "none", "bi-arrow-down-up text-body-tertiary"
    query = f"{base}&sort={target}" if base else f"sort={target}"
    return format_html(
        '<th scope="col" aria-sort="{}"><a href="?{}" data-hx-get="?{}" data-hx-target="#results" '
        'data-hx-push-url="true">{} <i class="bi {}" aria-hidden="true"></i>'
        '<span class="visually-hidden">{}</span></a></th>',
        state,
        query,
        query,
        label,
        icon,
        _("sort"),
    )


@register.filter
def euro(value: Decimal | int | float | None) -> str:
    """Belgian currency format: € 1.234,56."""
    if value is None:
        return "—"
    return "€ " + number_format(Decimal(value), decimal_pos=2, use_l10n=True, force_grouping=True)


@register.filter
def iso_datetime(value: datetime.datetime | datetime.date | None) -> str:
    """A valid ``<time datetime>`` value: ISO 8601 to the second (HTML allows at most three
    fraction digits, and ``|date:"c"`` gives six)."""
    if value is None:
        return ""
    if isinstance(value, datetime.datetime):
        local = timezone.localtime(value) if timezone.is_aware(value) else value
        return local.isoformat(timespec="seconds")
    return value.isoformat()


@register.filter
def full_name(user: HasNames | None) -> str:
    """A user by their full name (else user name); "—" for an empty relation."""
    return person_name(user)


@register.simple_tag(takes_context=True)
def page_query(context: Context, page_number: int) -> str:
    base = context.get("query", "")
    return f"{base}&page={page_number}" if base else f"page={page_number}"
