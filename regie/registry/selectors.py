"""Page-level reads of the registry: what a page or export needs, in a fixed number of queries."""

import datetime
from dataclasses import dataclass

from django.db.models import Count, F, OuterRef, Prefetch, Q, QuerySet, Subquery

from regie.core.permissions import Actor, Role, in_municipality, role_of
from regie.registry.models import (
    Affiliation,
    Measure,
    Municipality,
    Organisation,
    Person,
    Population,
    Recognition,
    RecognitionStatus,
    Region,
    RegionMembership,
    Site,
)

ORGANISATION_SORTS = {
    "name": ("name",),
    "-name": ("-name",),
    "kind": ("kind", "name"),
    "-kind": ("-kind", "name"),
    "municipality": (F("main_municipality_name").asc(nulls_last=True), "name"),
    "-municipality": (F("main_municipality_name").desc(nulls_last=True), "name"),
    "updated": ("-updated_at",),
}

PERSON_SORTS = {
    "name": ("last_name", "first_name"),
    "-name": ("-last_name", "-first_name"),
    "email": ("email",),
    "-email": ("-email",),
    "updated": ("-updated_at",),
}


def _main_site() -> QuerySet[Site]:
    return Site.objects.filter(
        organisation=OuterRef("pk"), is_main=True, is_archived=False
    ).select_related("municipality")


def organisation_list(
    *,
    user: Actor,
    q: str = "",
    kind: str = "",
    measure: Measure | None = None,
    municipality: Municipality | None = None,
    archived: str = "active",
    sort: str = "name",
) -> QuerySet[Organisation]:
    """The organisations a user may see, filtered and sorted, ready for a table or export."""
    organisations = (
        Organisation.objects.visible_to(user)
        .select_related("region")
        .annotate(
            main_municipality_name=Subquery(_main_site().values("municipality__name")[:1]),
            main_municipality_nis=Subquery(_main_site().values("municipality__nis_code")[:1]),
        )
        .prefetch_related(
            Prefetch(
                "recognitions",
                queryset=Recognition.objects.select_related("measure").order_by(
                    "measure__sort_order", "-valid_from"
                ),
            )
        )
    )
    if q:
        digits = "".join(c for c in q if c.isdigit())
        match = Q(name__icontains=q) | Q(email__icontains=q)
        if len(digits) >= 4:
            match |= Q(kbo__contains=digits)
        organisations = organisations.filter(match)
    if kind:
        organisations = organisations.filter(kind=kind)
    if measure is not None:
        organisations = organisations.filter(
            pk__in=Recognition.objects.filter(measure=measure)
            .exclude(status=RecognitionStatus.ENDED)
            .values("organisation")
        )
    if municipality is not None:
        organisations = organisations.filter(
            pk__in=Site.objects.filter(municipality=municipality, is_archived=False).values(
                "organisation"
            )
        )
    if archived == "active":
        organisations = organisations.filter(is_archived=False)
    elif archived == "archived":
        organisations = organisations.filter(is_archived=True)
    return organisations.order_by(*ORGANISATION_SORTS.get(sort, ORGANISATION_SORTS["name"]))


def organisation_detail(*, user: Actor, pk: int) -> Organisation:
    """One organisation with its sites, recognitions and the affiliations the user may see."""
    return (
        Organisation.objects.visible_to(user)
        .select_related("region")
        .prefetch_related(
            Prefetch(
                "sites",
                queryset=Site.objects.select_related("municipality").order_by(
                    "is_archived", "-is_main", "name"
                ),
            ),
            Prefetch("recognitions", queryset=Recognition.objects.select_related("measure")),
            Prefetch(
                "affiliations",
                queryset=Affiliation.objects.visible_to(user)
                .select_related("person")
                .order_by("person__last_name", "person__first_name"),
                to_attr="visible_affiliations",
            ),
        )
        .get(pk=pk)
    )


def person_list(
    *,
    user: Actor,
    q: str = "",
    organisation: Organisation | None = None,
    function: str = "",
    archived: str = "active",
    sort: str = "name",
) -> QuerySet[Person]:
    people = Person.objects.visible_to(user).prefetch_related(
        Prefetch(
            "affiliations",
            queryset=Affiliation.objects.visible_to(user)
            .select_related("organisation")
            .order_by(F("end").desc(nulls_first=True), "organisation__name"),
        )
    )
    if q:
        people = people.filter(
            Q(first_name__icontains=q)
            | Q(last_name__icontains=q)
            | Q(email__icontains=q)
            | Q(phone__icontains=q)
        )
    if organisation is not None:
        people = people.filter(affiliations__organisation=organisation)
    if function:
        people = people.filter(affiliations__function=function)
    if organisation is not None or function:
        people = people.distinct()
    if archived == "active":
        people = people.filter(is_archived=False)
    elif archived == "archived":
        people = people.filter(is_archived=True)
    return people.order_by(*PERSON_SORTS.get(sort, PERSON_SORTS["name"]))


def person_detail(*, user: Actor, pk: int) -> Person:
    return (
        Person.objects.visible_to(user)
        .select_related("region")
        .prefetch_related(
            Prefetch(
                "affiliations",
                queryset=Affiliation.objects.visible_to(user).select_related("organisation"),
                to_attr="visible_affiliations",
            )
        )
        .get(pk=pk)
    )


def municipality_list(*, user: Actor) -> QuerySet[Municipality]:
    """Municipalities of the user's region (all for an admin), with postcodes and population."""
    latest_population = Population.objects.filter(municipality=OuterRef("pk")).order_by("-year")
    municipalities = Municipality.objects.annotate(
        population=Subquery(latest_population.values("inhabitants")[:1]),
        population_year=Subquery(latest_population.values("year")[:1]),
    ).prefetch_related("postcodes")
    region_id = getattr(user, "region_id", None)
    if role_of(user) != Role.ADMIN and region_id:
        municipalities = municipalities.filter(memberships__region_id=region_id).distinct()
    return municipalities.order_by("name")


@dataclass
class Dashboard:
    year: int
    day: datetime.date
    measures: list[Measure]
    rows: list[tuple[Municipality, list[int], int]]
    totals: list[int]
    organisation_count: int
    people_count: int | None
    region: Region | None


def dashboard(*, user: Actor, year: int) -> Dashboard:
    """Organisations with a recognition in force per municipality and measure on a day of ``year``.

    Counts are aggregates: a viewer sees those of their municipality and nothing personal.
    """
    today = datetime.date.today()
    day = today if year == today.year else datetime.date(year, 12, 31)
    role = role_of(user)
    region = getattr(user, "region", None)
    members = RegionMembership.objects.on(day).select_related("municipality")
    if role == Role.VIEWER:
        members = members.filter(in_municipality(user))
    elif role != Role.ADMIN or region is not None:
        members = members.filter(region=region)
    municipalities = sorted({m.municipality for m in members}, key=lambda m: m.name)
    measures = list(Measure.objects.exclude(code="REG"))
    recognitions = (
        Recognition.objects.active_on(day)
        .filter(
            organisation__is_archived=False,
            organisation__sites__is_main=True,
            organisation__sites__is_archived=False,
            organisation__sites__municipality__in=municipalities,
        )
        .exclude(status=RecognitionStatus.ENDED)
        .values("measure_id", "organisation__sites__municipality_id")
        .annotate(organisations=Count("organisation", distinct=True))
    )
    counts = {
        (row["organisation__sites__municipality_id"], row["measure_id"]): row["organisations"]
        for row in recognitions
    }
    rows = []
    for municipality in municipalities:
        cells = [counts.get((municipality.pk, measure.pk), 0) for measure in measures]
        rows.append((municipality, cells, sum(cells)))
    totals = [sum(row[1][i] for row in rows) for i in range(len(measures))]
    if role == Role.VIEWER:
        organisations = Organisation.objects.filter(
            in_municipality(user, "sites__municipality_id"),
            is_archived=False,
            sites__is_main=True,
            sites__is_archived=False,
        ).distinct()
    else:
        organisations = Organisation.objects.visible_to(user).filter(is_archived=False)
    return Dashboard(
        year=year,
        day=day,
        measures=measures,
        rows=rows,
        totals=totals,
        organisation_count=organisations.count(),
        people_count=None
        if role == Role.VIEWER
        else Person.objects.visible_to(user).filter(is_archived=False).count(),
        region=region,
    )
