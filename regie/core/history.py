"""The change history of records as people read it: field labels, choice labels, Belgian
dates and numbers, related records and people by name — never raw codes, keys or user names.

Reads the django-simple-history rows of each record; a record without history rows (bulk
created or imported) simply has no entries.
"""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db import models
from django.utils import formats, timezone
from django.utils.translation import gettext as _


@dataclass
class ChangeEntry:
    """One saved change of a record, for the history list on a detail page."""

    at: datetime.datetime
    who: str
    record: str
    kind: str
    changes: list[tuple[str, str, str]] = field(default_factory=list)


HISTORY_TYPES = {"+": "created", "~": "changed", "-": "deleted"}


def person_name(user: Any) -> str:
    """A user as colleagues know them: the full name, else the user name; "—" for nobody."""
    if user is None:
        return "—"
    return str(user.get_full_name() or user.get_username())


def record_history(*, records: list[Any], limit: int = 50) -> list[ChangeEntry]:
    """The change history of several records (an organisation and its parts), newest first."""
    entries: list[ChangeEntry] = []
    for record in records:
        history = list(record.history.select_related("history_user").order_by("-history_date"))
        for position, newer in enumerate(history):
            older = history[position + 1] if position + 1 < len(history) else None
            changes: list[tuple[str, str, str]] = []
            if older is not None and newer.history_type == "~":
                delta = newer.diff_against(older, excluded_fields=["version"])
                for change in delta.changes:
                    model_field = record._meta.get_field(change.field)
                    changes.append(
                        (
                            str(model_field.verbose_name),
                            value_display(model_field, change.old),
                            value_display(model_field, change.new),
                        )
                    )
                if not changes:
                    continue
            entries.append(
                ChangeEntry(
                    at=newer.history_date,
                    who=person_name(newer.history_user) if newer.history_user else _("system"),
                    record=f"{record._meta.verbose_name}: {record}",
                    kind=HISTORY_TYPES.get(newer.history_type, "changed"),
                    changes=changes,
                )
            )
    entries.sort(key=lambda entry: entry.at, reverse=True)
    return entries[:limit]


def value_display(model_field: Any, value: Any) -> str:
    """A stored value as the field shows it on a page."""
    if value is None or value == "":
        return "—"
    if getattr(model_field, "choices", None):
        return str(dict(model_field.flatchoices).get(value, value))
    if isinstance(model_field, models.ForeignKey):
        related = model_field.related_model._default_manager.filter(pk=value).first()
        if related is None:
            return _("(removed)")
        return person_name(related) if hasattr(related, "get_full_name") else str(related)
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(value, datetime.datetime):
        local = timezone.localtime(value) if timezone.is_aware(value) else value
        return formats.date_format(local, "SHORT_DATETIME_FORMAT")
    if isinstance(value, datetime.date):
        return formats.date_format(value, "SHORT_DATE_FORMAT")
    if isinstance(value, Decimal | float):
        return formats.number_format(value, use_l10n=True, force_grouping=True)
    return str(value)
