import importlib
from collections.abc import Iterator
from typing import Any, Protocol

from django.apps import apps
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction

from regie.registry.demo import (
    REGION_CODE,
    REGION_NAME,
    DemoContext,
    DemoSummary,
    demo_region_load,
)


class DemoLoad(Protocol):
    """An app's ``demo.demo_load``: loads its demo data, says what it loaded in one line."""

    def __call__(self, *, context: DemoContext) -> str: ...


def demo_loaders() -> Iterator[DemoLoad]:
    """The ``demo_load`` of every Regie app after the registry, in INSTALLED_APPS order.

    Discovered rather than imported, so the registry depends on no app to its right.
    """
    for config in apps.get_app_configs():
        if not config.name.startswith("regie.") or config.name == "regie.registry":
            continue
        module_name = f"{config.name}.demo"
        try:
            module = importlib.import_module(module_name)
        except ModuleNotFoundError as error:
            if error.name == module_name:
                continue
            raise
        if hasattr(module, "demo_load"):
            yield module.demo_load


class Command(BaseCommand):
    help = (
        "Load the demo region Welzijn13 of 2020 (fictional organisations and people) and print "
        "the demo logins. Idempotent: running it again updates in place and resets the demo "
        "passwords."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--force",
            action="store_true",
            help="Load even with DEBUG off (the demo logins have published passwords).",
        )

    def handle(self, *args: Any, **options: Any) -> None:  # Any: Django's signature
        if not settings.DEBUG and not options["force"]:
            raise CommandError(
                "DEBUG is off: this looks like a production database, and the demo logins have "
                "published passwords. Pass --force to load the demo anyway."
            )
        with transaction.atomic():
            summary = demo_region_load()
            self.stdout.write(self._counts(summary))
            for load in demo_loaders():
                self.stdout.write(f"  {load(context=summary.context)}")
        self.stdout.write("")
        self.stdout.write(self.style.MIGRATE_HEADING("Demo logins"))
        self.stdout.write(self._logins(summary))

    def _counts(self, summary: DemoSummary) -> str:
        return "\n".join(
            [
                f"Demo region {REGION_NAME} ({REGION_CODE}) loaded.",
                f"  municipalities  {summary.municipalities} ({summary.members} current members)",
                f"  organisations   {summary.organisations} "
                f"({summary.se_organisations} fictional social-economy organisations)",
                f"  sites           {summary.sites}",
                f"  recognitions    {summary.recognitions}",
                f"  people          {summary.people} ({summary.affiliations} affiliations)",
                f"  this run        {summary.created} rows created, {summary.updated} updated",
            ]
        )

    def _logins(self, summary: DemoSummary) -> str:
        logins = [*summary.logins, *summary.context.logins]
        rows = [("username", "password", "role", "scope")] + [
            (login.username, login.password, login.role, login.scope) for login in logins
        ]
        widths = [max(len(row[column]) for row in rows) for column in range(3)]
        return "\n".join(
            "  ".join(cell.ljust(width) for cell, width in zip(row[:3], widths, strict=True))
            + "  "
            + row[3]
            for row in rows
        )
