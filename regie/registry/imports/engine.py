"""Preview and commit: plan every row, and write through the registry services only when no row
has an error (all or nothing)."""

from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from regie.core.audit import log_action
from regie.core.errors import DomainError
from regie.core.permissions import Actor
from regie.registry.imports.base import ImportKind, RowAction
from regie.registry.imports.columns import map_columns
from regie.registry.imports.files import Table, read_table
from regie.registry.imports.organisations import OrganisationRows
from regie.registry.imports.people import PersonRows
from regie.registry.imports.plan import ImportPlan, row_errors
from regie.registry.models import (
    Region,
)

if TYPE_CHECKING:
    pass


def _plan(*, actor: Actor, region: Region, kind: str, table: Table) -> ImportPlan:
    columns = map_columns(table, kind)
    planner: OrganisationRows | PersonRows
    if kind == ImportKind.ORGANISATIONS:
        planner = OrganisationRows(actor=actor, region=region, columns=columns)
    else:
        planner = PersonRows(actor=actor, region=region, columns=columns)
    rows = [planner.plan(number, cells) for number, cells in table.rows]
    notices = [
        _("Column “%(column)s” is not imported. %(reason)s")
        % {"column": columns.titles[spec.field], "reason": spec.help}
        for spec in columns.specs
        if spec.ignored and spec.field in columns.titles
    ]
    return ImportPlan(
        kind=kind,
        region=region,
        columns=columns,
        rows=rows,
        notices=notices,
    )


def import_check(*, kind: str, data: bytes) -> None:
    """Raise ``ImportFileError`` when the file as a whole cannot be imported."""
    map_columns(read_table(data), kind)


def import_preview(*, actor: Actor, region: Region, kind: str, data: bytes) -> ImportPlan:
    """What an import would do, row by row, without writing anything."""
    return _plan(actor=actor, region=region, kind=kind, table=read_table(data))


# --- Committing ---------------------------------------------------------------------------------


class ImportRejected(DomainError):
    """At least one row has an error, so nothing was imported. ``plan`` names the rows."""

    def __init__(self, plan: ImportPlan) -> None:
        rows = ", ".join(str(number) for number in plan.error_rows)
        message = ngettext(
            "Nothing was imported: row %(rows)s has errors.",
            "Nothing was imported: rows %(rows)s have errors.",
            len(plan.error_rows),
        )
        super().__init__(message % {"rows": rows}, code="rows_invalid")
        self.plan = plan


@dataclass(frozen=True)
class ImportResult:
    kind: str
    new: int
    updated: int
    unchanged: int


def registry_import_commit(
    *, actor: Actor, region: Region, kind: str, data: bytes, filename: str = ""
) -> ImportResult:
    """Import every row or none: create new records and update those matched in the region."""
    table = read_table(data)
    with transaction.atomic():
        plan = _plan(actor=actor, region=region, kind=kind, table=table)
        if plan.has_errors:
            raise ImportRejected(plan)
        for row in plan.rows:
            if row.apply is None:
                continue
            try:
                row.apply(actor)
            except ValidationError as error:  # a rule the plan could not foresee, or a race
                row.errors = row_errors(error, number=row.number, columns=plan.columns)
                row.action = RowAction.ERROR
                raise ImportRejected(plan) from None
        result = ImportResult(
            kind=kind,
            new=plan.count_new,
            updated=plan.count_update,
            unchanged=plan.count_unchanged,
        )
        log_action(
            actor=actor,
            action="registry.import",
            target=region,
            details={
                "kind": kind,
                "file": filename,
                "rows": len(plan.rows),
                "new": result.new,
                "updated": result.updated,
                "unchanged": result.unchanged,
            },
        )
    return result
