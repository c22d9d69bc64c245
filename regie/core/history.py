"""The change history of records as people read it: field labels, choice labels, Belgian
dates and numbers, related records and people by name — never raw codes, keys or user names.

Reads the django-simple-history rows of each record; a record without history rows (bulk
created or imported) simply has no entries.
"""

import datetime
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING, Any, Protocol, cast, runtime_checkable

from django.db import models
from django.utils import formats, timezone
from django.utils.translation import gettext as _

if TYPE_CHECKING:
    from regie.core.permissions import Actor


@dataclass
class ChangeEntry:
    """One saved change of a record, for the history list on a detail page."""

    at: datetime.datetime
    who: str
    record: str
    kind: str
    changes: list[tuple[str, str, str]] = field(default_factory=list)


HISTORY_TYPES = {"+": "created", "~": "changed", "-": "deleted"}

# Any: django-simple-history ships no types; its history rows and their changes are untyped.
type HistoryRow = Any
type FieldChange = Any
# Any: a model field of any kind; its value types vary with the field.
type ModelField = models.Field[Any, Any]


@runtime_checkable
class HasNames(Protocol):
    """A user as ``person_name`` reads one (``accounts.User``, Django's users)."""

    def get_full_name(self) -> str: ...
    def get_username(self) -> str: ...


class _HistoryAuthored(Protocol):
    _history_user: "Actor | None"


def set_history_user(record: models.Model, user: "Actor | None") -> None:
    """Record ``user`` as the author of the history row the next ``save()`` of ``record`` writes
    (django-simple-history reads ``_history_user``; ``None``: the system)."""
    cast(_HistoryAuthored, record)._history_user = user


def person_name(user: HasNames | None) -> str:
    """A user as colleagues know them: the full name, else the user name; "—" for nobody."""
    if user is None:
        return "—"
    return str(user.get_full_name() or user.get_username())


def record_history(*, records: Sequence[models.Model], limit: int = 50) -> list[ChangeEntry]:
    """The change history of several records (an organisation and its parts), newest first.

    In a fixed number of queries: one per kind of record, one per kind of related record that a
    change names (a detail page lists a record with all its parts)."""
    rows = _history_rows(records)
    deltas: list[Delta] = []
    for record in records:
        history = rows.get((type(record), record.pk), [])
        for position, newer in enumerate(history):
            older = history[position + 1] if position + 1 < len(history) else None
            changes = []
            if older is not None and newer.history_type == "~":
                changes = newer.diff_against(older, excluded_fields=["version"]).changes
                if not changes:
                    continue
            deltas.append((record, newer, changes))
    related = _related_records(deltas)
    entries: list[ChangeEntry] = []
    for record, newer, changes in deltas:
        shown = []
        for change in changes:
            model_field = _concrete_field(record, change.field)
            shown.append(
                (
                    str(model_field.verbose_name),
                    value_display(model_field, change.old, related=related),
                    value_display(model_field, change.new, related=related),
                )
            )
        entries.append(
            ChangeEntry(
                at=newer.history_date,
                who=person_name(newer.history_user) if newer.history_user else _("system"),
                record=f"{record._meta.verbose_name}: {record}",
                kind=HISTORY_TYPES.get(newer.history_type, "changed"),
                changes=shown,
            )
        )
    entries.sort(key=lambda entry: entry.at, reverse=True)
    return entries[:limit]


type Delta = tuple[models.Model, HistoryRow, list[FieldChange]]
"""A record, one of its history rows, and the changes that row made (none for a creation)."""


def _concrete_field(record: models.Model, name: str) -> ModelField:
    model_field = record._meta.get_field(name)
    if not isinstance(model_field, models.Field):
        raise TypeError(f"{name} is not a concrete field of {type(record).__name__}")
    return model_field


def _history_rows(
    records: Sequence[models.Model],
) -> dict[tuple[type[models.Model], object], list[HistoryRow]]:
    """Each record's history rows, newest first: one query per kind of record."""
    pks_of: dict[type[models.Model], set[object]] = {}
    for record in records:
        pks_of.setdefault(type(record), set()).add(record.pk)
    rows: dict[tuple[type[models.Model], object], list[HistoryRow]] = {}
    for model, pks in pks_of.items():
        pk_name = model._meta.pk.attname
        manager = model.history  # type: ignore[attr-defined]  # simple-history ships no types
        history = (
            manager.filter(**{f"{pk_name}__in": pks})
            .select_related("history_user")
            .order_by("-history_date", "-history_id")
        )
        for row in history:
            rows.setdefault((model, getattr(row, pk_name)), []).append(row)
    return rows


type Related = dict[tuple[ModelField, object], models.Model | None]
"""Records foreign keys name, by (the key's target field, the stored value); ``None``: gone."""


def _related_records(deltas: list[Delta]) -> Related:
    """The records the changed foreign keys name, by (field's target, value): one query each."""
    wanted: dict[ModelField, set[object]] = {}
    for record, _newer, changes in deltas:
        for change in changes:
            model_field = _concrete_field(record, change.field)
            if isinstance(model_field, models.ForeignKey):
                values = wanted.setdefault(model_field.target_field, set())
                values.update(value for value in (change.old, change.new) if value is not None)
    related: Related = {}
    for target, values in wanted.items():
        found = target.model._default_manager.in_bulk(values, field_name=target.attname)
        related.update(((target, value), found.get(value)) for value in values)
    return related


def value_display(model_field: ModelField, value: object, *, related: Related | None = None) -> str:
    """A stored value as the field shows it on a page (``related``: foreign keys' records
    fetched beforehand, by the field's target and the stored value)."""
    if value is None or value == "":
        return "—"
    if getattr(model_field, "choices", None):
        return str(dict(model_field.flatchoices).get(value, value))
    if isinstance(model_field, models.ForeignKey):
        key = (model_field.target_field, value)
        if related is not None and key in related:
            related_record = related[key]
        else:
            related_record = model_field.related_model._default_manager.filter(
                **{model_field.target_field.attname: value}
            ).first()
        if related_record is None:
            return _("(removed)")
        if isinstance(related_record, HasNames):
            return person_name(related_record)
        return str(related_record)
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
