"""Import of organisations and people from the spreadsheets coordinators keep (CSV and XLSX).

``read_table`` turns the uploaded bytes into a header and numbered rows; ``import_preview`` checks
every row against the registry and the model rules and says what would happen to it;
``registry_import_commit`` plans again inside one transaction and writes through the registry
services only when no row has an error. Between preview and commit the file waits in a private
folder under ``MEDIA_ROOT/imports``, bound to the user who uploaded it.
"""

import codecs
import copy
import csv
import datetime
import io
import json
import re
import shutil
import unicodedata
import uuid
import zipfile
from collections import defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import charset_normalizer
from django.conf import settings
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import models, transaction
from django.db.models import Prefetch
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext, override
from openpyxl import load_workbook
from openpyxl.utils import get_column_letter
from openpyxl.utils.datetime import from_excel

from regie.accounts.models import User
from regie.core.audit import log_action
from regie.core.errors import DomainError
from regie.core.permissions import role_of
from regie.registry import services
from regie.registry.models import (
    Affiliation,
    Function,
    Municipality,
    Organisation,
    OrganisationKind,
    Person,
    Region,
    Site,
)
from regie.registry.validators import format_kbo, normalise_kbo

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

MAX_ROWS = 2000  # the commit writes through the services, about 6 ms per row
STALE_AFTER = datetime.timedelta(hours=24)
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # legacy .xls (and .doc) files
CONTROL_CHARS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
NON_ASCII_RUN = re.compile(r"[^\x00-\x7f]{2,}")
# Punctuation that sits beside a letter in Western text: «É», ’s, “Één”.
WORD_EDGE_PUNCTUATION = frozenset("«»‘’‚“”„–—…•·°€\xa0")
URL_SCHEME = re.compile(r"^[a-z][a-z0-9+.-]*://", re.IGNORECASE)
DATE_FORMATS = ("%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y", "%Y-%m-%d", "%d/%m/%y", "%d-%m-%y")

Cell = str | int | float | datetime.date | None


class ImportKind(models.TextChoices):
    ORGANISATIONS = "organisations", gettext_lazy("Organisations")
    PEOPLE = "people", gettext_lazy("People")


class RowAction(models.TextChoices):
    NEW = "new", gettext_lazy("new")
    UPDATE = "update", gettext_lazy("update")
    UNCHANGED = "unchanged", gettext_lazy("unchanged")
    ERROR = "error", gettext_lazy("error")


class ImportFileError(DomainError):
    """The file as a whole cannot be imported: not a spreadsheet, empty, wrong columns …"""


# --- Reading the file ---------------------------------------------------------------------------


@dataclass
class Table:
    """The first filled row is the header; ``rows`` holds (row number in the sheet, cells)."""

    header: list[str]
    rows: list[tuple[int, list[Cell]]]


def read_table(data: bytes) -> Table:
    """Read CSV (comma, semicolon or tab; UTF-8, UTF-16 or Windows-1252) or XLSX bytes."""
    limit = settings.REGIE_IMPORT_MAX_BYTES
    if len(data) > limit:
        raise ImportFileError(
            _("The file is %(size)s; the limit is %(limit)s.")
            % {"size": filesizeformat(len(data)), "limit": filesizeformat(limit)},
            code="too_large",
        )
    if data.startswith(b"PK\x03\x04"):
        records = _xlsx_records(data)
    elif data.startswith(OLE_MAGIC):
        raise ImportFileError(
            _(
                "This is an old Excel file (.xls). Save it as an Excel workbook (.xlsx) "
                "or as CSV and upload it again."
            ),
            code="xls",
        )
    else:
        records = _csv_records(_decode(data))

    header: list[str] | None = None
    rows: list[tuple[int, list[Cell]]] = []
    for number, cells in records:
        if not any(cell_text(cell) for cell in cells):
            continue
        if header is None:
            header = [cell_text(cell) for cell in cells]
            continue
        rows.append((number, cells))
        if len(rows) > MAX_ROWS:
            raise ImportFileError(
                _("The file has more than %(max)s rows; split it into smaller files.")
                % {"max": MAX_ROWS},
                code="too_many_rows",
            )
    if header is None:
        raise ImportFileError(_("The file is empty."), code="empty")
    if not rows:
        raise ImportFileError(
            _("The file has a header row but no rows below it to import."), code="no_rows"
        )
    return Table(header=header, rows=rows)


def _not_a_spreadsheet() -> ImportFileError:
    return ImportFileError(
        _("This file is not a spreadsheet. Upload a CSV file or an Excel workbook (.xlsx)."),
        code="not_a_spreadsheet",
    )


def _encoding_error() -> ImportFileError:
    return ImportFileError(
        _(
            "The characters in this file could not be read. Save it from Excel as "
            "“CSV UTF-8” or as an Excel workbook (.xlsx) and upload it again."
        ),
        code="encoding",
    )


def _decode(data: bytes) -> str:
    """UTF-8 (with or without BOM) or UTF-16 with BOM, else Windows-1252 if it reads as such.

    Any byte string decodes as Windows-1252, so a file in another encoding (Shift-JIS, GBK …)
    would be stored garbled: it is refused unless it looks like Western text.
    """
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            text = data.decode("utf-16")
        except UnicodeDecodeError:
            raise _encoding_error() from None
    elif b"\x00" in data:
        raise _encoding_error() if _looks_like_utf16(data) else _not_a_spreadsheet()
    else:
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError:
            text = _decode_cp1252(data)
    if CONTROL_CHARS.search(text):
        raise _not_a_spreadsheet()
    return text.removeprefix("\ufeff")


def _looks_like_utf16(data: bytes) -> bool:
    """UTF-16 without BOM: the zero bytes of its ASCII characters fall on one side of a pair."""
    if len(data) % 2:
        return False
    even, odd = data[0::2].count(0), data[1::2].count(0)
    if max(even, odd) < 2 or min(even, odd) * 10 > max(even, odd):
        return False
    try:
        text = data.decode("utf-16-be" if even else "utf-16-le")
    except UnicodeDecodeError:
        return False
    return not CONTROL_CHARS.search(text)


def _decode_cp1252(data: bytes) -> str:
    try:
        text = data.decode("cp1252")
    except UnicodeDecodeError:
        raise _encoding_error() from None
    if CONTROL_CHARS.search(text):
        raise _not_a_spreadsheet()
    if not _plausible_cp1252(data, text):
        raise _encoding_error()
    return text


def _plausible_cp1252(data: bytes, text: str) -> bool:
    """Whether bytes that are not UTF-8 read as Windows-1252 text rather than as garbage.

    A double-byte encoding (Shift-JIS, GBK, Big5, EUC) decoded as Windows-1252 gives runs of
    symbols (‘¾˜Y); Western text has a lone accented letter, at most two in a row (créée).
    charset-normalizer's chaos measure catches the rest (Cyrillic and the like).
    """
    for run in NON_ASCII_RUN.findall(text):
        letters = sum(char.isalpha() for char in run)
        if letters > 2 or any(
            not char.isalpha() and char not in WORD_EDGE_PUNCTUATION for char in run
        ):
            return False
    return charset_normalizer.from_bytes(data, cp_isolation=["cp1252"]).best() is not None


def _csv_records(text: str) -> Iterator[tuple[int, list[Cell]]]:
    first_line = next((line for line in text.splitlines() if line.strip()), "")
    delimiter = max(";,\t", key=first_line.count)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        for number, record in enumerate(reader, start=1):
            yield number, list(record)
    except csv.Error:
        raise _not_a_spreadsheet() from None


def _xlsx_records(data: bytes) -> Iterator[tuple[int, list[Cell]]]:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = set(archive.namelist())
            unpacked = sum(info.file_size for info in archive.infolist())
    except zipfile.BadZipFile:
        raise _not_a_spreadsheet() from None
    if "xl/workbook.xml" not in names:
        raise ImportFileError(
            _(
                "This is a ZIP file but not an Excel workbook. Save the sheet as .xlsx or CSV "
                "and upload it again."
            ),
            code="not_xlsx",
        )
    if unpacked > 20 * settings.REGIE_IMPORT_MAX_BYTES:
        raise ImportFileError(
            _("This workbook is too large once unpacked; split it into smaller files."),
            code="too_large",
        )
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception:  # openpyxl raises many kinds of errors on a damaged workbook
        raise ImportFileError(
            _("This Excel workbook could not be read. Open it in Excel, save it again and retry."),
            code="xlsx_unreadable",
        ) from None
    try:
        sheet = workbook.worksheets[0]
        sheet.reset_dimensions()  # some writers store wrong dimensions
        for number, values in enumerate(sheet.iter_rows(values_only=True), start=1):
            yield number, [_xlsx_value(value) for value in values]
    finally:
        workbook.close()


def _xlsx_value(value: object) -> Cell:
    if value is None or isinstance(value, str | float | datetime.date):
        return value
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, int):
        return value
    return str(value)


def cell_text(value: Cell) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime.datetime):
        if value.time() == datetime.time(0, 0):
            return value.date().isoformat()
        return value.isoformat(sep=" ")
    if isinstance(value, datetime.date):
        return value.isoformat()
    return str(value).strip()


def _shown(value: Cell) -> str:
    """A cell as the preview shows it: dates in the user's format, the rest as text."""
    if isinstance(value, datetime.date):
        day = value.date() if isinstance(value, datetime.datetime) else value
        return date_format(day, "SHORT_DATE_FORMAT")
    return cell_text(value)


def parse_date(value: Cell) -> datetime.date:
    """A real Excel date, an Excel serial number, or text as d/m/yyyy, d-m-yyyy or yyyy-mm-dd."""
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    if isinstance(value, int | float):
        if 1 <= value < 2958466:
            converted = from_excel(value)
            if isinstance(converted, datetime.datetime):
                return converted.date()
        raise ValueError(value)
    text = cell_text(value).split(" ")[0].split("T")[0]
    for pattern in DATE_FORMATS:
        try:
            day = datetime.datetime.strptime(text, pattern).date()
        except ValueError:
            continue
        if 1900 <= day.year <= 2200:
            return day
    raise ValueError(value)


def header_key(text: str) -> str:
    """Compare names without case, accents, spaces or punctuation: "E-mail" == "email"."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(char for char in decomposed if char.isalnum())


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
        return [_shown(cells[pos]) if pos < len(cells) else "" for _title, pos in self.shown]

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
    apply: Callable[[User], None] | None = None
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
            self.errors.extend(_row_errors(error, number=self.number, columns=columns))
            self.failed.update(getattr(error, "error_dict", {}))


def _row_errors(error: ValidationError, *, number: int, columns: ColumnMap) -> list[RowError]:
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


def _choice_lookup(choices: type[models.TextChoices], synonyms: dict[str, str]) -> dict[str, str]:
    """Codes, labels in English, Dutch and the current language, and the field's own words."""
    lookup = {header_key(code): code for code in choices.values}
    current = {header_key(str(label)): code for code, label in choices.choices}
    for language in ("en", "nl"):
        with override(language):
            lookup.update({header_key(str(label)): code for code, label in choices.choices})
    lookup.update(current)
    lookup.update(synonyms)
    return lookup


KIND_WORDS = {
    OrganisationKind.SE_COMPANY: (
        "maatwerkbedrijf socialeeconomiebedrijf socialeeconomie sebedrijf socialeonderneming "
        "maatwerkafdeling sinebedrijf"
    ),
    OrganisationKind.LDE: (
        "lde lokalediensteneconomie ldeorganisatie ldeinitiatief diensteneconomie"
    ),
    OrganisationKind.WORK_CARE: (
        "arbeidszorg arbeidszorginitiatief arbeidszorgcentrum ama arbeidsmatigeactiviteiten"
    ),
    OrganisationKind.LOCAL_GOVERNMENT: (
        "lokaalbestuur lokaleoverheid gemeente gemeentebestuur stad stadsbestuur"
    ),
    OrganisationKind.OCMW: "ocmw openbaarcentrumvoormaatschappelijkwelzijn",
    OrganisationKind.VDAB: "vdab gtb vdabgtb vdabkantoor gtbkantoor",
    OrganisationKind.EMPLOYERS_NETWORK: (
        "werkgeversnetwerk werkgeversorganisatie ondernemersnetwerk"
    ),
    OrganisationKind.SCHOOL: "school onderwijs onderwijsinstelling hogeschool",
    OrganisationKind.INTERCOMMUNALE: "intercommunale",
    OrganisationKind.GOVERNMENT: (
        "overheid overheidsdienst departement overheidsdepartement agentschap"
    ),
    OrganisationKind.OTHER: "andere anders ander overige",
}

FUNCTION_WORDS = {
    Function.COUNSELLOR: "trajectbegeleider trajectbegeleiding counselor",
    Function.REFERRER: "toeleider toeleiding",
    Function.FLOOR_SUPERVISOR: "werkvloerbegeleider werkleider floorsupervisor",
    Function.WORKPLACE_ARCHITECT: "werkplekarchitect workplacearchitect",
    Function.JOBCOACH: "jobcoach jobcoaching",
    Function.DIRECTOR: "directeur directrice directie zaakvoerder director",
    Function.CONTACT: "contactpersoon contact aanspreekpunt contactperson",
}


def _words(table: dict[Any, str]) -> dict[str, str]:
    return {word: str(code) for code, words in table.items() for word in words.split()}


class _Places:
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


def _differs(instance: models.Model, name: str, value: Any) -> bool:
    if isinstance(value, models.Model):
        return bool(getattr(instance, f"{name}_id") != value.pk)
    return bool(getattr(instance, name) != value)


def _label(model: type[models.Model], field_name: str) -> str:
    return str(getattr(model._meta.get_field(field_name), "verbose_name", field_name))


class _OrganisationRows:
    def __init__(self, *, actor: User, region: Region, columns: ColumnMap) -> None:
        self.region = region
        self.columns = columns
        main_sites = Prefetch(
            "sites",
            queryset=Site.objects.filter(is_main=True, is_archived=False),
            to_attr="main_sites",
        )
        self.existing = {
            organisation.kbo: organisation
            for organisation in Organisation.objects.editable_by(actor)
            .filter(region=region)
            .exclude(kbo="")
            .prefetch_related(main_sites)
        }
        self.places = _Places()
        self.kinds = _choice_lookup(OrganisationKind, _words(KIND_WORDS))
        self.seen: dict[str, int] = {}

    def plan(self, number: int, cells: list[Cell]) -> PlannedRow:
        columns = self.columns
        row = PlannedRow(number=number, cells=columns.shown_cells(cells))
        fields: dict[str, Any] = {}
        name = columns.text(cells, "name")
        if name:
            fields["name"] = name
        else:
            row.error(columns, "name", _("The name is missing."), "required")

        kbo = self._kbo(row, columns.text(cells, "kbo"))
        existing = self.existing.get(kbo) if kbo else None

        raw_kind = columns.text(cells, "kind")
        if raw_kind:
            kind = self.kinds.get(header_key(raw_kind))
            if kind:
                fields["kind"] = kind
            else:
                row.error(
                    columns,
                    "kind",
                    _("Unknown kind “%(value)s”. Use one of: %(choices)s.")
                    % {
                        "value": raw_kind,
                        "choices": ", ".join(str(label) for label in OrganisationKind.labels),
                    },
                    "invalid_choice",
                )
        elif existing is None:
            row.error(columns, "kind", _("The kind is missing."), "required")

        for name_ in ("email", "phone", "website"):
            value = columns.text(cells, name_)
            if value:
                fields[name_] = value
        if "website" in fields and not URL_SCHEME.match(fields["website"]):
            fields["website"] = "https://" + fields["website"]

        if existing is None:
            candidate = Organisation(region=self.region, kbo=kbo, **fields)
        else:
            candidate = copy.copy(existing)
            for key, value in fields.items():
                setattr(candidate, key, value)
        row.check_model(candidate, columns, exclude={"region", "kbo"})

        site_fields = self._site(row, cells)
        main: Site | None = next(iter(getattr(existing, "main_sites", [])), None)

        if row.errors:
            row.action = RowAction.ERROR
            return row
        if existing is None:
            row.action = RowAction.NEW
            row.apply = self._create(kbo=kbo, fields=fields, site_fields=site_fields)
            return row

        changes = {key: value for key, value in fields.items() if _differs(existing, key, value)}
        site_changes = {
            key: value
            for key, value in (site_fields or {}).items()
            if main is None or _differs(main, key, value)
        }
        row.changes = [_label(Organisation, key) for key in changes]
        if site_changes:
            row.changes.append(_("address"))
        if changes or site_changes:
            row.action = RowAction.UPDATE
            row.apply = self._update(
                organisation=existing, changes=changes, main=main, site_changes=site_changes
            )
        return row

    def _kbo(self, row: PlannedRow, raw: str) -> str:
        if not raw:
            row.error(
                self.columns,
                "kbo",
                _("The enterprise number is missing: a later import finds the organisation by it."),
                "required",
            )
            return ""
        try:
            kbo = normalise_kbo(raw)
        except ValidationError as error:
            row.error(self.columns, "kbo", error.messages[0], error.code or "invalid")
            return ""
        if kbo in self.seen:
            row.error(
                self.columns,
                "kbo",
                _("Enterprise number %(kbo)s is also on row %(row)s.")
                % {"kbo": format_kbo(kbo), "row": self.seen[kbo]},
                "duplicate",
            )
            return ""
        self.seen[kbo] = row.number
        return kbo

    def _site(self, row: PlannedRow, cells: list[Cell]) -> dict[str, Any] | None:
        columns = self.columns
        street = columns.text(cells, "street")
        house_number = columns.text(cells, "number")
        postcode = columns.text(cells, "postcode")
        place = columns.text(cells, "place")
        raw_municipality = columns.text(cells, "municipality")
        if not any((street, house_number, postcode, place, raw_municipality)):
            return None
        address_needs = _("An address needs a street, a postcode and a municipality.")
        if not street:
            row.error(columns, "street", address_needs, "required")
        elif house_number:
            street = f"{street} {house_number}"
        if not postcode:
            row.error(columns, "postcode", address_needs, "required")
        municipality: Municipality | None = None
        if raw_municipality:
            municipality, problem = self.places.find(raw_municipality)
            if problem:
                row.error(columns, "municipality", problem, "invalid")
        else:
            candidates = self.places.by_postcode.get(postcode, [])
            if len(candidates) == 1:
                municipality = candidates[0]
            elif postcode:
                row.error(columns, "municipality", address_needs, "required")
        if municipality and postcode and postcode not in self.places.codes[municipality.pk]:
            row.error(
                columns,
                "postcode",
                _("Postcode %(postcode)s does not belong to %(municipality)s.")
                % {"postcode": postcode, "municipality": municipality},
                "postcode_mismatch",
            )
        if row.failed & {"street", "postcode", "municipality", "place"}:
            return None
        site_fields: dict[str, Any] = {
            "street": street,
            "postcode": postcode,
            "municipality": municipality,
        }
        if place:
            site_fields["place"] = place
        row.check_model(
            Site(is_main=True, **site_fields), columns, {"organisation", "municipality"}
        )
        return site_fields

    def _create(
        self, *, kbo: str, fields: dict[str, Any], site_fields: dict[str, Any] | None
    ) -> Callable[[User], None]:
        region = self.region

        def apply(actor: User) -> None:
            organisation = services.organisation_create(
                actor=actor, region=region, kbo=kbo, **fields
            )
            if site_fields:
                services.site_create(
                    actor=actor, organisation=organisation, is_main=True, **site_fields
                )

        return apply

    @staticmethod
    def _update(
        *,
        organisation: Organisation,
        changes: dict[str, Any],
        main: Site | None,
        site_changes: dict[str, Any],
    ) -> Callable[[User], None]:
        def apply(actor: User) -> None:
            if changes:
                services.organisation_update(
                    actor=actor,
                    organisation=organisation,
                    expected_version=organisation.version,
                    **changes,
                )
            if main is not None and site_changes:
                services.site_update(
                    actor=actor, site=main, expected_version=main.version, **site_changes
                )
            elif site_changes:
                services.site_create(
                    actor=actor, organisation=organisation, is_main=True, **site_changes
                )

        return apply


@dataclass
class _FilePerson:
    row: int
    first_name: str
    last_name: str
    phone: str
    existing: Person | None


class _PersonRows:
    def __init__(self, *, actor: User, region: Region, columns: ColumnMap) -> None:
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
        self.functions = _choice_lookup(Function, _words(FUNCTION_WORDS))
        self.in_file: dict[str, _FilePerson] = {}
        self.affiliations_seen: dict[tuple[str, int, str], int] = {}
        self.created: dict[str, Person] = {}

    def plan(self, number: int, cells: list[Cell]) -> PlannedRow:
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
                if value and _differs(existing, name, value)
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
            current = _matching_affiliation(existing, organisation, function)
            if current is None:
                affiliation = Affiliation(**affiliation_fields)
            else:
                affiliation_changes = {
                    name: affiliation_fields[name]
                    for name in ("start", "end")
                    if name in affiliation_fields
                    and _differs(current, name, affiliation_fields[name])
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
            row.changes = [_label(Person, name) for name in person_changes]
            row.changes += [_label(Affiliation, name) for name in affiliation_changes]
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
        self.in_file[key] = _FilePerson(
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
    ) -> Callable[[User], None]:
        region, created = self.region, self.created

        def apply(actor: User) -> None:
            if existing is None and first_row:
                person = services.person_create(
                    actor=actor, region=region, affiliation=affiliation_fields, **person_fields
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


def _matching_affiliation(
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


def _plan(*, actor: User, region: Region, kind: str, table: Table) -> ImportPlan:
    columns = map_columns(table, kind)
    planner: _OrganisationRows | _PersonRows
    if kind == ImportKind.ORGANISATIONS:
        planner = _OrganisationRows(actor=actor, region=region, columns=columns)
    else:
        planner = _PersonRows(actor=actor, region=region, columns=columns)
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


def import_preview(*, actor: User, region: Region, kind: str, data: bytes) -> ImportPlan:
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
    *, actor: User, region: Region, kind: str, data: bytes, filename: str = ""
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
                row.errors = _row_errors(error, number=row.number, columns=plan.columns)
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


# --- The uploaded file between preview and commit ---------------------------------------------


@dataclass(frozen=True)
class StagedImport:
    token: uuid.UUID
    folder: Path
    user_id: int
    region: Region
    kind: str
    filename: str
    size: int
    uploaded_at: datetime.datetime

    def read(self) -> bytes:
        return (self.folder / "upload").read_bytes()


def _staging_root() -> Path:
    return Path(settings.MEDIA_ROOT) / "imports"


def import_stage(
    *, actor: User, region: Region, kind: str, filename: str, data: bytes
) -> StagedImport:
    """Keep the upload in a private folder until the user commits or abandons it."""
    import_purge_stale()
    token = uuid.uuid4()
    folder = _staging_root() / str(token)
    folder.mkdir(mode=0o700, parents=True)
    upload = folder / "upload"
    upload.write_bytes(data)
    upload.chmod(0o600)
    uploaded_at = timezone.now()
    meta: dict[str, Any] = {
        "user": actor.pk,
        "region": region.pk,
        "kind": str(kind),
        "filename": Path(filename).name[:200],
        "size": len(data),
        "uploaded_at": uploaded_at.isoformat(),
    }
    (folder / "meta.json").write_text(json.dumps(meta), encoding="utf-8")
    return StagedImport(
        token=token,
        folder=folder,
        user_id=actor.pk,
        region=region,
        kind=meta["kind"],
        filename=meta["filename"],
        size=len(data),
        uploaded_at=uploaded_at,
    )


def staged_import(*, token: uuid.UUID, actor: User) -> StagedImport | None:
    """The upload behind ``token`` if ``actor`` made it (and still works in its region)."""
    folder = _staging_root() / str(token)
    try:
        meta = json.loads((folder / "meta.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if meta.get("user") != actor.pk:
        return None
    if role_of(actor) != "admin" and meta.get("region") != actor.region_id:
        return None
    region = Region.objects.filter(pk=meta.get("region")).first()
    if region is None or meta.get("kind") not in ImportKind.values:
        return None
    return StagedImport(
        token=token,
        folder=folder,
        user_id=actor.pk,
        region=region,
        kind=meta["kind"],
        filename=meta.get("filename", ""),
        size=meta.get("size", 0),
        uploaded_at=datetime.datetime.fromisoformat(meta["uploaded_at"]),
    )


def import_discard(*, staged: StagedImport) -> None:
    shutil.rmtree(staged.folder, ignore_errors=True)


def import_purge_stale(*, older_than: datetime.timedelta = STALE_AFTER) -> int:
    """Remove uploads nobody committed or cancelled; returns how many were removed."""
    root = _staging_root()
    if not root.is_dir():
        return 0
    cutoff = (timezone.now() - older_than).timestamp()
    removed = 0
    for folder in root.iterdir():
        if folder.is_dir() and folder.stat().st_mtime < cutoff:
            shutil.rmtree(folder, ignore_errors=True)
            removed += 1
    return removed
