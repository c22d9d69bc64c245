"""The row plan of an organisation import: match by KBO number or name, then create or update."""

import copy
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db.models import Prefetch
from django.utils.translation import gettext as _

from regie.core.permissions import Actor
from regie.registry import services
from regie.registry.imports.base import URL_SCHEME, Cell, RowAction
from regie.registry.imports.columns import ColumnMap
from regie.registry.imports.files import header_key
from regie.registry.imports.plan import (
    Places,
    PlannedRow,
    choice_lookup,
    differs,
    field_label,
    words,
)
from regie.registry.models import (
    Municipality,
    Organisation,
    OrganisationKind,
    Region,
    Site,
)
from regie.registry.validators import format_kbo, normalise_kbo

if TYPE_CHECKING:
    pass

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


class OrganisationRows:
    def __init__(self, *, actor: Actor, region: Region, columns: ColumnMap) -> None:
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
        self.places = Places()
        self.kinds = choice_lookup(OrganisationKind, words(KIND_WORDS))
        self.seen: dict[str, int] = {}

    # C901 until refactored: one branch per column of the row; to split per column.
    def plan(self, number: int, cells: list[Cell]) -> PlannedRow:  # noqa: C901
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

        changes = {key: value for key, value in fields.items() if differs(existing, key, value)}
        site_changes = {
            key: value
            for key, value in (site_fields or {}).items()
            if main is None or differs(main, key, value)
        }
        row.changes = [field_label(Organisation, key) for key in changes]
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

    # Any: a row's values differ per field (text, a municipality); the services take them.
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

    # Any: a row's values differ per field (text, a municipality); the services take them.
    def _create(
        self, *, kbo: str, fields: dict[str, Any], site_fields: dict[str, Any] | None
    ) -> Callable[[Actor], None]:
        region = self.region

        def apply(actor: Actor) -> None:
            organisation = services.organisation_create(
                actor=actor, region=region, kbo=kbo, **fields
            )
            if site_fields:
                services.site_create(
                    actor=actor, organisation=organisation, is_main=True, **site_fields
                )

        return apply

    # Any: a row's values differ per field (text, a municipality); the services take them.
    @staticmethod
    def _update(
        *,
        organisation: Organisation,
        changes: dict[str, Any],
        main: Site | None,
        site_changes: dict[str, Any],
    ) -> Callable[[Actor], None]:
        def apply(actor: Actor) -> None:
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
