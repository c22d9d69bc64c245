"""The row plan of a people import: match by e-mail or name, with the person's function at an
organisation."""

import copy
import datetime
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from regie.core.permissions import Actor
from regie.registry import services
from regie.registry.imports.base import Cell, RowAction
from regie.registry.imports.columns import ColumnMap
from regie.registry.imports.files import cell_text, header_key, parse_date
from regie.registry.imports.plan import PlannedRow, choice_lookup, differs, field_label, words
from regie.registry.models import (
    Affiliation,
    Function,
    Organisation,
    Person,
    Region,
)
from regie.registry.validators import format_kbo, normalise_kbo

if TYPE_CHECKING:
    pass

FUNCTION_WORDS = {
    Function.COUNSELLOR: "trajectbegeleider trajectbegeleiding counselor",
    Function.REFERRER: "toeleider toeleiding",
    Function.FLOOR_SUPERVISOR: "werkvloerbegeleider werkleider floorsupervisor",
    Function.WORKPLACE_ARCHITECT: "werkplekarchitect workplacearchitect",
    Function.JOBCOACH: "jobcoach jobcoaching",
    Function.DIRECTOR: "directeur directrice directie zaakvoerder director",
    Function.CONTACT: "contactpersoon contact aanspreekpunt contactperson",
}


@dataclass
class FilePerson:
    row: int
    first_name: str
    last_name: str
    phone: str
    existing: Person | None


class PersonRows:
    def __init__(self, *, actor: Actor, region: Region, columns: ColumnMap) -> None:
        self.region = region
        self.columns = columns
        organisations = list(Organisation.objects.editable_by(actor).filter(region=region))
        self.organisation_by_kbo = {o.kbo: o for o in organisations if o.kbo}
        self.organisation_by_name: dict[str, list[Organisation]] = defaultdict(list)
        for organisation in organisations:
            self.organisation_by_name[header_key(organisation.name)].append(organisation)
        self.people_by_email: dict[str, list[Person]] = defaultdict(list)
        people = (
            Person.objects.editable_by(actor)
            .filter(region=region)
            .exclude(email="")
            .prefetch_related("affiliations")
        )
        for person in people:
            self.people_by_email[person.email.lower()].append(person)
        self.functions = choice_lookup(Function, words(FUNCTION_WORDS))
        self.in_file: dict[str, FilePerson] = {}
        self.affiliations_seen: dict[tuple[str, int, str], int] = {}
        self.created: dict[str, Person] = {}

    # C901 until refactored: one branch per column of the row; to split per column.
    def plan(self, number: int, cells: list[Cell]) -> PlannedRow:  # noqa: C901
        columns = self.columns
        row = PlannedRow(number=number, cells=columns.shown_cells(cells))
        person_fields = {
            "first_name": columns.text(cells, "first_name"),
            "last_name": columns.text(cells, "last_name"),
            "email": columns.text(cells, "email"),
            "phone": columns.text(cells, "phone"),
        }
        if not person_fields["first_name"]:
            row.error(columns, "first_name", _("The first name is missing."), "required")
        if not person_fields["last_name"]:
            row.error(columns, "last_name", _("The last name is missing."), "required")
        row.check_model(Person(region=self.region, **person_fields), columns, {"region"})

        organisation = self._organisation(row, columns.text(cells, "organisation"))
        function = self._function(row, columns.text(cells, "function"))
        start = self._date(row, cells, "start")
        end = self._date(row, cells, "end")
        if (function or start or end) and organisation is None and "organisation" not in row.failed:
            row.error(
                columns,
                "organisation",
                _("A function or dates need the organisation (its enterprise number)."),
                "required",
            )
        if organisation is not None and not function and "function" not in row.failed:
            row.error(
                columns,
                "function",
                _("The function is missing: say what this person does at the organisation."),
                "required",
            )

        key = "" if "email" in row.failed else person_fields["email"].lower()
        existing, first_row = self._identify(row, key, person_fields)

        person_changes: dict[str, Any] = {}
        if existing is not None and first_row:
            person_changes = {
                name: value
                for name, value in person_fields.items()
                if value and differs(existing, name, value)
            }
            # Found by this address, so it can differ only in upper and lower case.
            person_changes.pop("email", None)

        affiliation_fields: dict[str, Any] | None = None
        current: Affiliation | None = None
        affiliation_changes: dict[str, Any] = {}
        if organisation is not None and function:
            affiliation_fields = {"organisation": organisation, "function": function}
            if start:
                affiliation_fields["start"] = start
            if end:
                affiliation_fields["end"] = end
            seen_key = (key or f"#{number}", organisation.pk, function)
            if seen_key in self.affiliations_seen:
                row.error(
                    columns,
                    "function",
                    _("Row %(row)s already gives this person this function at this organisation.")
                    % {"row": self.affiliations_seen[seen_key]},
                    "duplicate",
                )
            self.affiliations_seen.setdefault(seen_key, number)
            current = matching_affiliation(existing, organisation, function)
            if current is None:
                affiliation = Affiliation(**affiliation_fields)
            else:
                affiliation_changes = {
                    name: affiliation_fields[name]
                    for name in ("start", "end")
                    if name in affiliation_fields
                    and differs(current, name, affiliation_fields[name])
                }
                affiliation = copy.copy(current)
                for name, value in affiliation_changes.items():
                    setattr(affiliation, name, value)
            row.check_model(affiliation, columns, {"person", "organisation"})

        if row.errors:
            row.action = RowAction.ERROR
            return row
        if existing is None:
            row.action = RowAction.NEW
        else:
            row.changes = [field_label(Person, name) for name in person_changes]
            row.changes += [field_label(Affiliation, name) for name in affiliation_changes]
            if affiliation_fields and current is None:
                row.changes.append(
                    _("new function: %(function)s at %(organisation)s")
                    % {"function": Function(function).label, "organisation": organisation}
                )
            if not row.changes:
                return row
            row.action = RowAction.UPDATE
        row.apply = self._apply(
            key=key,
            first_row=first_row,
            existing=existing,
            person_fields=person_fields,
            person_changes=person_changes,
            affiliation_fields=affiliation_fields,
            current=current,
            affiliation_changes=affiliation_changes,
        )
        return row

    def _identify(
        self, row: PlannedRow, key: str, person_fields: dict[str, str]
    ) -> tuple[Person | None, bool]:
        """The stored person with this e-mail address, and whether this is its first row."""
        if not key:
            return None, True
        earlier = self.in_file.get(key)
        if earlier is not None:
            same_name = (earlier.first_name.casefold(), earlier.last_name.casefold()) == (
                person_fields["first_name"].casefold(),
                person_fields["last_name"].casefold(),
            )
            phone = person_fields["phone"]
            if not same_name or (phone and earlier.phone and phone != earlier.phone):
                row.error(
                    self.columns,
                    "email",
                    _("Row %(row)s has this e-mail address with another name or phone number.")
                    % {"row": earlier.row},
                    "duplicate",
                )
            return earlier.existing, False
        matches = self.people_by_email.get(key, [])
        if len(matches) > 1:
            row.error(
                self.columns,
                "email",
                _(
                    "Several people in %(region)s have this e-mail address; "
                    "correct them in the registry first."
                )
                % {"region": self.region},
                "ambiguous",
            )
        existing = matches[0] if len(matches) == 1 else None
        self.in_file[key] = FilePerson(
            row=row.number,
            first_name=person_fields["first_name"],
            last_name=person_fields["last_name"],
            phone=person_fields["phone"],
            existing=existing,
        )
        return existing, True

    def _organisation(self, row: PlannedRow, raw: str) -> Organisation | None:
        if not raw:
            return None
        if any(char.isalpha() for char in raw.removeprefix("BE").removeprefix("be")):
            matches = self.organisation_by_name.get(header_key(raw), [])
            if len(matches) == 1:
                return matches[0]
            message = (
                _(
                    "Several organisations in %(region)s are called “%(value)s”: "
                    "use the enterprise number."
                )
                if matches
                else _("No organisation called “%(value)s” in %(region)s.")
            )
            row.error(
                self.columns,
                "organisation",
                message % {"value": raw, "region": self.region},
                "not_found",
            )
            return None
        try:
            kbo = normalise_kbo(raw)
        except ValidationError as error:
            row.error(self.columns, "organisation", error.messages[0], error.code or "invalid")
            return None
        organisation = self.organisation_by_kbo.get(kbo)
        if organisation is None:
            row.error(
                self.columns,
                "organisation",
                _(
                    "No organisation with enterprise number %(kbo)s in %(region)s. "
                    "Import or add the organisation first."
                )
                % {"kbo": format_kbo(kbo), "region": self.region},
                "not_found",
            )
        return organisation

    def _function(self, row: PlannedRow, raw: str) -> str:
        if not raw:
            return ""
        function = self.functions.get(header_key(raw))
        if function is None:
            row.error(
                self.columns,
                "function",
                _("Unknown function “%(value)s”. Use one of: %(choices)s.")
                % {"value": raw, "choices": ", ".join(str(label) for label in Function.labels)},
                "invalid_choice",
            )
            return ""
        return function

    def _date(self, row: PlannedRow, cells: list[Cell], name: str) -> datetime.date | None:
        value = self.columns.value(cells, name)
        if not cell_text(value):
            return None
        try:
            return parse_date(value)
        except (ValueError, OverflowError):
            row.error(
                self.columns,
                name,
                _("“%(value)s” is not a date; write it as 31/12/2020.")
                % {"value": cell_text(value)},
                "invalid_date",
            )
            return None

    # Any: a row's values differ per field (text, dates, an organisation); the services take them.
    def _apply(
        self,
        *,
        key: str,
        first_row: bool,
        existing: Person | None,
        person_fields: dict[str, str],
        person_changes: dict[str, Any],
        affiliation_fields: dict[str, Any] | None,
        current: Affiliation | None,
        affiliation_changes: dict[str, Any],
    ) -> Callable[[Actor], None]:
        region, created = self.region, self.created

        def apply(actor: Actor) -> None:
            if existing is None and first_row:
                person = services.person_create(
                    actor=actor,
                    region=region,
                    affiliation=(
                        services.NewAffiliation(**affiliation_fields)
                        if affiliation_fields
                        else None
                    ),
                    **person_fields,
                )
                if key:
                    created[key] = person
                return
            person = existing if existing is not None else created[key]
            if person_changes:
                person = services.person_update(
                    actor=actor, person=person, expected_version=person.version, **person_changes
                )
            if current is not None and affiliation_changes:
                services.affiliation_update(
                    actor=actor,
                    affiliation=current,
                    expected_version=current.version,
                    **affiliation_changes,
                )
            elif current is None and affiliation_fields:
                services.affiliation_create(actor=actor, person=person, **affiliation_fields)

        return apply


def matching_affiliation(
    person: Person | None, organisation: Organisation, function: str
) -> Affiliation | None:
    if person is None:
        return None
    candidates = [
        affiliation
        for affiliation in person.affiliations.all()
        if affiliation.organisation_id == organisation.pk and affiliation.function == function
    ]
    # The open-ended, most recent one is the one a spreadsheet row describes.
    candidates.sort(key=lambda a: (a.end is None, a.start or datetime.date.min, a.pk), reverse=True)
    return candidates[0] if candidates else None
