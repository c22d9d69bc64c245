"""XLSX and CSV exports: no formula, and dates that read as Belgian dates in local time."""

import datetime
import io
from decimal import Decimal
from zoneinfo import ZoneInfo

from openpyxl import load_workbook

from regie.core.spreadsheets import xlsx_response


def test_dates_show_as_day_month_year_and_datetimes_in_local_time():
    registered = datetime.datetime(2020, 3, 16, 8, 30, tzinfo=datetime.UTC)

    response = xlsx_response(
        "inschrijvingen.xlsx",
        "Inschrijvingen",
        ["Naam", "Datum", "Ingeschreven op", "Bedrag"],
        [["=Ann", datetime.date(2020, 3, 16), registered, Decimal("12.50")]],
    )

    sheet = load_workbook(io.BytesIO(response.content)).active
    assert sheet is not None
    name, day, moment, amount = sheet[2]
    assert name.value == "'=Ann"
    assert day.value == datetime.datetime(2020, 3, 16)
    assert day.number_format == "DD/MM/YYYY"
    local = registered.astimezone(ZoneInfo("Europe/Brussels"))
    assert moment.value == local.replace(tzinfo=None)  # 09:30 in Brussels, not 08:30 UTC
    assert moment.number_format == "DD/MM/YYYY HH:MM"
    assert amount.number_format == "General"
    assert response["Content-Disposition"] == 'attachment; filename="inschrijvingen.xlsx"'
