"""Domain errors raised by services; views and the API turn them into messages."""

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol, cast

from django.core.exceptions import ValidationError
from django.db import models


class Versioned(Protocol):
    """A record with optimistic locking: its ``version`` counts the saves."""

    version: int


def versioned(record: models.Model) -> Versioned:
    """``record``'s ``version`` for the type checker, which sees no fields on ``models.Model``
    (every record an edit names has one)."""
    return cast(Versioned, record)


class DomainError(ValidationError):
    """A business rule said no. Carries field-level messages like ``ValidationError``."""


@dataclass(frozen=True)
class Change:
    """A field someone saved since the version an edit started from, as people read it."""

    field: str
    label: str
    then: str
    now: str


class StaleEditError(DomainError):
    """The record changed since the user loaded it; the edit would overwrite someone's work.

    ``record`` is the record as stored now (its ``version`` is the one to edit from next);
    ``changes`` what was saved since the version the edit started from, or ``None`` when the
    history does not hold that version (the user saw no record yet, or it was imported).
    """

    def __init__(
        self,
        message: str,
        *,
        record: models.Model,
        changes: Sequence[Change] | None,
        code: str = "stale",
    ) -> None:
        super().__init__(message, code=code)
        self.record = record
        self.changes = tuple(changes) if changes is not None else None

    @property
    def current_version(self) -> int:
        return int(versioned(self.record).version)
