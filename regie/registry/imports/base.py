"""Shared pieces of the import: the kinds, row actions, limits and the file-level error."""

import datetime
import re
from typing import TYPE_CHECKING

from django.db import models
from django.utils.translation import gettext_lazy

from regie.core.errors import DomainError

if TYPE_CHECKING:
    pass

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
