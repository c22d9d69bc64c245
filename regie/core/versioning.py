"""Optimistic locking: an edit names the version it started from and loses to nobody.

Services save through ``save_versioned``; when someone saved in between it raises
``StaleEditError`` carrying the record as stored now and what changed since. Edit views run
their form and service through ``versioned_edit``, which turns that refusal into a form that
keeps the user's input, edits from the stored version next, and lists what changed; the API
answers it with a 409 (``regie.core.api``).
"""

import enum
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, Any, NamedTuple, Protocol, runtime_checkable

from django import forms
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.http import QueryDict
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from regie.core.errors import Change, StaleEditError, versioned
from regie.core.forms import add_service_errors
from regie.core.history import ModelField, set_history_user, value_display

if TYPE_CHECKING:
    from regie.core.permissions import Actor


class Keep(enum.Enum):
    """An update's parameter that was left out: the field keeps its value (``None`` is a value)."""

    KEEP = "keep"


KEEP = Keep.KEEP


# Any: an update's values differ per field; ``save_versioned`` sets them on the record.
def given(**values: object) -> dict[str, Any]:
    """An update's changes: the typed keyword parameters that were given (not ``KEEP``).

    ``rule_update(*, …, title: str | Keep = KEEP, …)`` passes ``given(title=title, …)`` to
    ``save_versioned``."""
    return {name: value for name, value in values.items() if value is not KEEP}


# Any: the changes' values differ per field; they are set on the record and validated.
def save_versioned[M: models.Model](
    *, instance: M, changes: dict[str, Any], expected_version: int, actor: "Actor | None"
) -> M:
    """Apply ``changes`` to the stored row if nobody saved it since ``expected_version``.

    Validates the result with ``full_clean`` and records ``actor`` in the history.
    """
    with transaction.atomic():
        model = type(instance)
        current = model._default_manager.select_for_update().get(pk=instance.pk)
        if versioned(current).version != expected_version:
            raise StaleEditError(
                _(
                    "Someone else changed this record while you were editing it. "
                    "Your changes were not saved yet: check what changed, then save again."
                ),
                record=current,
                changes=changes_since(current, version=expected_version),
            )
        for field, value in changes.items():
            setattr(current, field, value)
        versioned(current).version += 1
        set_history_user(current, actor)
        current.full_clean()
        current.save()
        return current


def save_new[M: models.Model](*, instance: M, actor: "Actor | None") -> M:
    """Validate and insert ``instance``, recording ``actor`` as the author of the first version."""
    set_history_user(instance, actor)
    instance.full_clean()
    instance.save()
    return instance


def changes_since(record: models.Model, *, version: int) -> list[Change] | None:
    """What was saved in ``record`` since its ``version``, field by field, as people read it.

    ``None`` when the history does not hold that version (a record imported without history).
    Fields the history does not keep, and fields nobody edits (codes, hashes), are left out.
    """
    history = getattr(record, "history", None)
    if history is None:
        return None
    then = history.filter(version=version).order_by("-history_date", "-history_id").first()
    if then is None:
        return None
    changes = []
    for field in _edited_fields(record):
        if not hasattr(then, field.attname):  # excluded from the history
            continue
        old, new = getattr(then, field.attname), field.value_from_object(record)
        if old != new:
            changes.append(
                Change(
                    field=field.name,
                    label=capfirst(str(field.verbose_name)),
                    then=value_display(field, old),
                    now=value_display(field, new),
                )
            )
    return changes


def _edited_fields(record: models.Model) -> Iterator[ModelField]:
    for field in record._meta.concrete_fields:
        if field.editable and not field.primary_key and field.name != "version":
            yield field


# Edit views ----------------------------------------------------------------------------------


class StaleField(NamedTuple):
    """One row of the stale notice: a field as the user found it, as stored now, as typed."""

    label: str
    then: str
    now: str
    yours: str


@dataclass(frozen=True)
class VersionedEdit[R]:
    """What became of a submitted edit form.

    ``saved`` with the service's ``result``; otherwise the errors are on the form, and ``stale``
    (for ``components/stale_notice.html``) is set when the edit was refused as stale.
    """

    saved: bool
    result: R | None = None
    stale: list[StaleField] | None = None


@runtime_checkable
class NamesRecordFields(Protocol):
    """A form editing several records names their fields itself (``minutes_12``, ``version_12``).

    A form without this method edits one record under the records' own field names.
    """

    def field_name(self, record: models.Model, name: str) -> str: ...


def versioned_edit[R](form: forms.BaseForm, *, save: Callable[[], R]) -> VersionedEdit[R]:
    """Validate ``form`` and call ``save`` (the service, given the form's expected version).

    A rule that says no puts its messages beside the fields. A stale edit keeps the user's
    input, sets the version stored now in the form's hidden version field (so saving again
    applies the input), says why above the form, and lists in ``stale`` what was changed since
    the form was opened. An unbound form (a GET) is simply not saved.
    """
    if not form.is_bound or not form.is_valid():
        return VersionedEdit(saved=False)
    try:
        result = save()
    except StaleEditError as error:
        stale = _stale_fields(form, error)
        _edit_from_current_version(form, error.record)
        add_service_errors(form, error)
        return VersionedEdit(saved=False, stale=stale)
    except ValidationError as error:
        add_service_errors(form, error)
        return VersionedEdit(saved=False)
    return VersionedEdit(saved=True, result=result)


def _field_name(form: forms.BaseForm, record: models.Model, name: str) -> str:
    return form.field_name(record, name) if isinstance(form, NamesRecordFields) else name


def _stale_fields(form: forms.BaseForm, error: StaleEditError) -> list[StaleField]:
    """The form's fields someone changed since the user opened it; when the history does not
    say what the user saw, the fields where the input differs from what is stored now."""
    record = error.record
    changed = {change.field: change for change in error.changes or ()}
    rows = []
    for field in _edited_fields(record):
        name = _field_name(form, record, field.name)
        if name not in form.cleaned_data:
            continue
        yours = _as_stored(field, form.cleaned_data[name])
        if error.changes is not None:
            if field.name not in changed:
                continue
            then, now = changed[field.name].then, changed[field.name].now
        else:
            stored = field.value_from_object(record)
            if stored == yours:
                continue
            then, now = _("(unknown)"), value_display(field, stored)
        label = str(form.fields[name].label or capfirst(str(field.verbose_name)))
        rows.append(StaleField(label, then, now, value_display(field, yours)))
    return rows


def _as_stored(field: ModelField, value: object) -> object:
    """A form's value as the record stores it: a related record by its key, an amount with
    the field's decimals."""
    if isinstance(value, models.Model):
        return value.pk
    if isinstance(value, Decimal) and isinstance(field, models.DecimalField):
        return value.quantize(Decimal(1).scaleb(-field.decimal_places))
    return value


def _edit_from_current_version(form: forms.BaseForm, record: models.Model) -> None:
    # Any: a QueryDict is typed for strings, and the version is kept as the number it cleans to.
    data: Any = form.data.copy() if isinstance(form.data, QueryDict) else dict(form.data)
    data[form.add_prefix(_field_name(form, record, "version"))] = versioned(record).version
    form.data = data
