"""Reading an uploaded spreadsheet (CSV in UTF-8 or Windows-1252, XLSX) into a header and
numbered rows; refusing what is not one, or not in an encoding we can read without garbling."""

import codecs
import csv
import datetime
import io
import unicodedata
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING

import charset_normalizer
from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from openpyxl import load_workbook
from openpyxl.utils.datetime import from_excel

from regie.registry.imports.base import (
    CONTROL_CHARS,
    DATE_FORMATS,
    NON_ASCII_RUN,
    OLE_MAGIC,
    WORD_EDGE_PUNCTUATION,
    Cell,
    ImportFileError,
)

if TYPE_CHECKING:
    pass


MAX_ROWS = 2000  # the commit writes through the services, about 6 ms per row

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


def cell_shown(value: Cell) -> str:
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
