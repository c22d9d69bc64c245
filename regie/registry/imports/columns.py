"""The columns each kind of import accepts, and recognising them in a file's header."""

from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl.utils import get_column_letter

from regie.registry.imports.base import Cell, ImportFileError, ImportKind
from regie.registry.imports.files import Table, cell_shown, cell_text, header_key

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

# --- Columns ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ColumnSpec:
    field: str
    label: str  # the canonical header: part of the file format, so not translated
    aliases: str  # header keys (see ``header_key``), separated by spaces
    help: "StrOrPromise"
    required: bool = False
    ignored: bool = False

    @property
    def also_accepted(self) -> str:
        own = header_key(self.label)
        return ", ".join(alias for alias in self.aliases.split() if alias != own)


EMAIL_ALIASES = "email emailadres mail mailadres emailaddress"
PHONE_ALIASES = "telefoon telefoonnummer tel telnr gsm phone telephone"

ORGANISATION_COLUMNS = (
    ColumnSpec(
        "name",
        "naam",
        "naam organisatie organisatienaam name organisation organization",
        gettext_lazy("Name of the organisation."),
        required=True,
    ),
    ColumnSpec(
        "kbo",
        "kbo",
        "kbo kbonummer kbonr ondernemingsnummer ondernemingsnr enterprisenumber companynumber",
        gettext_lazy(
            "Enterprise number, e.g. 0123.456.749. A later import finds the organisation "
            "by this number and updates it."
        ),
        required=True,
    ),
    ColumnSpec(
        "kind",
        "soort",
        "soort soortorganisatie type organisatietype kind category",
        gettext_lazy("Kind, e.g. maatwerkbedrijf, LDE, arbeidszorg, OCMW, VDAB, school."),
        required=True,
    ),
    ColumnSpec("email", "e-mail", EMAIL_ALIASES, gettext_lazy("E-mail address.")),
    ColumnSpec("phone", "telefoon", PHONE_ALIASES, gettext_lazy("Phone number.")),
    ColumnSpec("website", "website", "website webadres webstek url", gettext_lazy("Website.")),
    ColumnSpec(
        "street",
        "straat",
        "straat straatennummer straatnr adres street address",
        gettext_lazy("Street and number of the main site."),
    ),
    ColumnSpec(
        "number",
        "huisnummer",
        "huisnummer nummer nr housenumber number",
        gettext_lazy("House number, when it is not in the street column."),
    ),
    ColumnSpec(
        "postcode",
        "postcode",
        "postcode postnummer zip zipcode postalcode",
        gettext_lazy("Postcode of the main site; it must belong to the municipality."),
    ),
    ColumnSpec(
        "place",
        "plaats",
        "plaats deelgemeente place locality",
        gettext_lazy("Place or borough, when it differs from the municipality."),
    ),
    ColumnSpec(
        "municipality",
        "gemeente",
        "gemeente niscode nis municipality city stad",
        gettext_lazy("Municipality of the main site: its name or NIS code."),
    ),
    ColumnSpec(
        "recognitions",
        "erkenningen",
        "erkenningen erkenning maatregelen recognitions measures",
        gettext_lazy("Not imported: record recognitions with their dates on the organisation."),
        ignored=True,
    ),
)

PERSON_COLUMNS = (
    ColumnSpec(
        "first_name",
        "voornaam",
        "voornaam firstname givenname",
        gettext_lazy("First name."),
        required=True,
    ),
    ColumnSpec(
        "last_name",
        "achternaam",
        "achternaam familienaam naam lastname surname familyname",
        gettext_lazy("Last name."),
        required=True,
    ),
    ColumnSpec(
        "email",
        "e-mail",
        EMAIL_ALIASES,
        gettext_lazy(
            "E-mail address. A later import finds the person in the region by this address "
            "and updates them."
        ),
    ),
    ColumnSpec("phone", "telefoon", PHONE_ALIASES, gettext_lazy("Phone number.")),
    ColumnSpec(
        "organisation",
        "organisatie",
        "organisatie kbo kbonummer ondernemingsnummer werkgever organisation organization employer",
        gettext_lazy("Enterprise number (or exact name) of an organisation in the region."),
    ),
    ColumnSpec(
        "function",
        "functie",
        "functie rol function role jobtitle",
        gettext_lazy(
            "Function, e.g. trajectbegeleider, toeleider, werkvloerbegeleider, "
            "werkplekarchitect, jobcoach, directeur, contactpersoon."
        ),
    ),
    ColumnSpec(
        "start",
        "van",
        "van vanaf sinds startdatum begindatum from start startdate",
        gettext_lazy("Start of the function: a date such as 01/09/2020."),
    ),
    ColumnSpec(
        "end",
        "tot",
        "tot totenmet tm einde einddatum to until end enddate",
        gettext_lazy("End of the function, when it has ended."),
    ),
)

COLUMNS = {ImportKind.ORGANISATIONS: ORGANISATION_COLUMNS, ImportKind.PEOPLE: PERSON_COLUMNS}


def column_guide() -> list[tuple[str, tuple[ColumnSpec, ...]]]:
    """What the upload page explains: per kind, the accepted columns."""
    return [(str(ImportKind(kind).label), specs) for kind, specs in COLUMNS.items()]


@dataclass
class ColumnMap:
    specs: tuple[ColumnSpec, ...]
    index: dict[str, int]  # field -> position in the row
    titles: dict[str, str]  # field -> header as written in the file

    def header(self, field_name: str) -> str:
        if field_name in self.titles:
            return self.titles[field_name]
        return next((spec.label for spec in self.specs if spec.field == field_name), "")

    def text(self, cells: list[Cell], field_name: str) -> str:
        return cell_text(self.value(cells, field_name))

    def value(self, cells: list[Cell], field_name: str) -> Cell:
        position = self.index.get(field_name)
        if position is None or position >= len(cells):
            return None
        return cells[position]

    def shown_cells(self, cells: list[Cell]) -> list[str]:
        return [cell_shown(cells[pos]) if pos < len(cells) else "" for _title, pos in self.shown]

    @property
    def shown(self) -> list[tuple[str, int]]:
        """The imported columns in file order, for the preview table."""
        ignored = {spec.field for spec in self.specs if spec.ignored}
        pairs = [
            (self.titles[name], pos) for name, pos in self.index.items() if name not in ignored
        ]
        return sorted(pairs, key=lambda pair: pair[1])


def map_columns(table: Table, kind: str) -> ColumnMap:
    """Recognise each header; name the missing, unknown, doubled or unnamed columns."""
    specs = COLUMNS[ImportKind(kind)]
    mapped, problems = _match_headers(table, specs)
    if problems:
        hint = _other_kind_hint(table, kind)
        raise ImportFileError([*problems, *hint])
    index, titles = mapped
    return ColumnMap(specs=specs, index=index, titles=titles)


def _match_headers(
    table: Table, specs: tuple[ColumnSpec, ...]
) -> tuple[tuple[dict[str, int], dict[str, str]], list[ValidationError]]:
    by_alias = {alias: spec for spec in specs for alias in spec.aliases.split()}
    index: dict[str, int] = {}
    titles: dict[str, str] = {}
    unknown: list[str] = []
    doubled: list[str] = []
    unnamed: list[str] = []
    for position, title in enumerate(table.header):
        key = header_key(title)
        if not key:
            if any(
                position < len(cells) and cell_text(cells[position]) for _n, cells in table.rows
            ):
                unnamed.append(get_column_letter(position + 1))
            continue
        spec = by_alias.get(key)
        if spec is None:
            unknown.append(title)
        elif spec.field in index:
            doubled.append(title)
        else:
            index[spec.field] = position
            titles[spec.field] = title
    problems: list[ValidationError] = []
    missing = [spec.label for spec in specs if spec.required and spec.field not in index]
    if missing:
        problems.append(
            ValidationError(
                _("Required columns are missing: %(columns)s.") % {"columns": ", ".join(missing)},
                code="missing_columns",
            )
        )
    if unknown:
        problems.append(
            ValidationError(
                _("Unknown columns: %(columns)s. The columns this import knows are: %(known)s.")
                % {
                    "columns": ", ".join(f"“{title}”" for title in unknown),
                    "known": ", ".join(spec.label for spec in specs),
                },
                code="unknown_columns",
            )
        )
    if doubled:
        problems.append(
            ValidationError(
                _("These columns say the same as another column: %(columns)s.")
                % {"columns": ", ".join(f"“{title}”" for title in doubled)},
                code="duplicate_columns",
            )
        )
    if unnamed:
        problems.append(
            ValidationError(
                _("Column %(columns)s has values but no name in the header row.")
                % {"columns": ", ".join(unnamed)},
                code="unnamed_columns",
            )
        )
    return (index, titles), problems


def _other_kind_hint(table: Table, kind: str) -> list[ValidationError]:
    for other, specs in COLUMNS.items():
        if other != kind and not _match_headers(table, specs)[1]:
            return [
                ValidationError(
                    _("This looks like a file of %(kind)s: choose that kind and upload it again.")
                    % {"kind": str(other.label).lower()},
                    code="other_kind",
                )
            ]
    return []
