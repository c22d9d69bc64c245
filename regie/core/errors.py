"""Domain errors raised by services; views and the API turn them into messages."""

from django.core.exceptions import ValidationError


class DomainError(ValidationError):
    """A business rule said no. Carries field-level messages like ``ValidationError``."""


class StaleEditError(DomainError):
    """The record changed since the user loaded it; the edit would overwrite someone's work."""
