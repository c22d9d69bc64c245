"""Writing CSV and XLSX exports safely: no cell is ever read as a formula, and dates read as
Belgian dates (dd/mm/jjjj) in local time."""

import csv
import io
from collections.abc import Iterable, Sequence
from datetime import date, datetime
from decimal import Decimal

from django.http import HttpResponse
from django.utils import timezone
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.worksheet._write_only import WriteOnlyWorksheet

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
DATE_FORMAT = "DD/MM/YYYY"
DATETIME_FORMAT = "DD/MM/YYYY HH:MM"

Cell = str | int | float | Decimal | date | datetime | None


def neutralise(value: Cell) -> Cell:
    """Prefix text that a spreadsheet would evaluate with a quote (OWASP CSV injection)."""
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


def csv_response(
    filename: str, header: Sequence[str], rows: Iterable[Sequence[Cell]]
) -> HttpResponse:
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response.write("\ufeff")  # Excel opens UTF-8 correctly only with a BOM
    writer = csv.writer(response, delimiter=";")
    writer.writerow([neutralise(h) for h in header])
    for row in rows:
        writer.writerow(["" if v is None else neutralise(v) for v in row])
    return response


def xlsx_response(
    filename: str, sheet: str, header: Sequence[str], rows: Iterable[Sequence[Cell]]
) -> HttpResponse:
    workbook = Workbook(write_only=True)
    worksheet = workbook.create_sheet(title=sheet[:31])
    worksheet.append([neutralise(h) for h in header])
    for row in rows:
        worksheet.append([_xlsx_cell(worksheet, v) for v in row])
    buffer = io.BytesIO()
    workbook.save(buffer)
    response = HttpResponse(
        buffer.getvalue(),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def xlsx_value(value: Cell) -> Cell:
    """A value as a workbook stores it: neutralised, an aware datetime in local time."""
    if isinstance(value, datetime) and value.tzinfo is not None:
        return timezone.localtime(value).replace(tzinfo=None)
    return neutralise(value)


def date_number_format(value: object) -> str | None:
    """The Belgian number format of a date or datetime cell; ``None`` for other values."""
    if isinstance(value, datetime):
        return DATETIME_FORMAT
    if isinstance(value, date):
        return DATE_FORMAT
    return None


def _xlsx_cell(worksheet: WriteOnlyWorksheet, value: Cell) -> object:
    value = xlsx_value(value)
    number_format = date_number_format(value)
    if number_format is None:
        return value
    cell = WriteOnlyCell(worksheet)
    cell.value = value
    cell.number_format = number_format
    return cell
