"""Planning an import row by row: what would happen to each row, and why not."""

from collections import defaultdict
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import models
from django.utils.translation import gettext as _
from django.utils.translation import override

from regie.core.permissions import Actor
from regie.registry.imports.base import RowAction
from regie.registry.imports.columns import ColumnMap
from regie.registry.imports.files import header_key
from regie.registry.models import (
    Municipality,
    Region,
)

if TYPE_CHECKING:
    pass

# --- Planning -----------------------------------------------------------------------------------


@dataclass
class RowError:
    row: int
    column: str
    message: str
    code: str = "invalid"


@dataclass
class PlannedRow:
    number: int
    cells: list[str]
    action: str = RowAction.UNCHANGED
    errors: list[RowError] = field(default_factory=list)
    changes: list[str] = field(default_factory=list)
    apply: Callable[[Actor], None] | None = None
    failed: set[str] = field(default_factory=set)

    @property
    def action_label(self) -> str:
        return str(RowAction(self.action).label)

    def error(self, columns: ColumnMap, field_name: str, message: str, code: str) -> None:
        self.errors.append(RowError(self.number, columns.header(field_name), message, code))
        self.failed.add(field_name)

    def check_model(self, instance: models.Model, columns: ColumnMap, exclude: set[str]) -> None:
        """Apply the model's own rules (lengths, e-mail, URL, dates, ``clean``)."""
        try:
            instance.full_clean(
                exclude=self.failed | exclude, validate_unique=False, validate_constraints=False
            )
        except ValidationError as error:
            self.errors.extend(row_errors(error, number=self.number, columns=columns))
            self.failed.update(getattr(error, "error_dict", {}))


def row_errors(error: ValidationError, *, number: int, columns: ColumnMap) -> list[RowError]:
    found: list[RowError] = []
    if hasattr(error, "error_dict"):
        for name, items in error.error_dict.items():
            column = "" if name == NON_FIELD_ERRORS else columns.header(name)
            for item in items:
                found.extend(
                    RowError(number, column, message, item.code or "invalid")
                    for message in item.messages
                )
        return found
    return [RowError(number, "", message, error.code or "invalid") for message in error.messages]


@dataclass
class ImportPlan:
    kind: str
    region: Region
    columns: ColumnMap
    rows: list[PlannedRow]
    notices: list[str] = field(default_factory=list)

    @property
    def headers(self) -> list[str]:
        return [title for title, _position in self.columns.shown]

    @property
    def errors(self) -> list[RowError]:
        return [error for row in self.rows for error in row.errors]

    @property
    def has_errors(self) -> bool:
        return any(row.errors for row in self.rows)

    @property
    def error_rows(self) -> list[int]:
        return [row.number for row in self.rows if row.errors]

    def count(self, action: str) -> int:
        return sum(1 for row in self.rows if row.action == action)

    @property
    def count_new(self) -> int:
        return self.count(RowAction.NEW)

    @property
    def count_update(self) -> int:
        return self.count(RowAction.UPDATE)

    @property
    def count_unchanged(self) -> int:
        return self.count(RowAction.UNCHANGED)


def choice_lookup(choices: type[models.TextChoices], synonyms: dict[str, str]) -> dict[str, str]:
    """Codes, labels in English, Dutch and the current language, and the field's own words."""
    lookup = {header_key(code): code for code in choices.values}
    current = {header_key(str(label)): code for code, label in choices.choices}
    for language in ("en", "nl"):
        with override(language):
            lookup.update({header_key(str(label)): code for code, label in choices.choices})
    lookup.update(current)
    lookup.update(synonyms)
    return lookup


def words[K](table: Mapping[K, str]) -> dict[str, str]:
    return {word: str(code) for code, words in table.items() for word in words.split()}


class Places:
    """Every municipality with its postcodes, to resolve names, NIS codes and postcodes."""

    def __init__(self) -> None:
        self.by_nis: dict[str, Municipality] = {}
        self.by_name: dict[str, list[Municipality]] = defaultdict(list)
        self.by_postcode: dict[str, list[Municipality]] = defaultdict(list)
        self.codes: dict[int, set[str]] = {}
        for municipality in Municipality.objects.prefetch_related("postcodes"):
            self.by_nis[municipality.nis_code] = municipality
            self.by_name[header_key(municipality.name)].append(municipality)
            codes = {postcode.code for postcode in municipality.postcodes.all()}
            self.codes[municipality.pk] = codes
            for code in codes:
                self.by_postcode[code].append(municipality)

    def find(self, raw: str) -> tuple[Municipality | None, str]:
        if raw.isdigit() and len(raw) == 5:
            found = self.by_nis.get(raw)
            return found, "" if found else _("No municipality has NIS code %(nis)s.") % {"nis": raw}
        candidates = self.by_name.get(header_key(raw), [])
        if raw.isdigit() and len(raw) == 4:
            candidates = self.by_postcode.get(raw, [])
        if len(candidates) == 1:
            return candidates[0], ""
        if candidates:
            return None, _("“%(value)s” matches several municipalities: use the NIS code.") % {
                "value": raw
            }
        return None, _("Unknown municipality “%(value)s”.") % {"value": raw}


def differs(instance: models.Model, name: str, value: object) -> bool:
    if isinstance(value, models.Model):
        return bool(getattr(instance, f"{name}_id") != value.pk)
    return bool(getattr(instance, name) != value)


def field_label(model: type[models.Model], field_name: str) -> str:
    return str(getattr(model._meta.get_field(field_name), "verbose_name", field_name))
