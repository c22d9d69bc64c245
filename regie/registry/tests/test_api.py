"""The registry API: shapes, filters, pagination, scoping, writes and every 4xx path."""

import datetime
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from regie.accounts.models import User
from regie.accounts.services import api_token_create
from regie.registry.models import (
    Affiliation,
    Function,
    Measure,
    Municipality,
    Organisation,
    OrganisationKind,
    Person,
    Recognition,
    RecognitionStatus,
    Region,
    Site,
)
from regie.registry.tests.factories import (
    AffiliationFactory,
    MunicipalityFactory,
    OrganisationFactory,
    PersonFactory,
    PostcodeFactory,
    RecognitionFactory,
    RegionMembershipFactory,
    SiteFactory,
    kbo_for,
)

ORGANISATIONS = "/api/v1/organisations"
PEOPLE = "/api/v1/people"
MUNICIPALITIES = "/api/v1/municipalities"
MEASURES = "/api/v1/measures"


def logged_in(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def post(client: Client, url: str, body: Any) -> Any:
    return client.post(url, body, content_type="application/json")


def patch(client: Client, url: str, body: Any) -> Any:
    return client.patch(url, body, content_type="application/json")


def ids(response: Any) -> list[int]:
    return [item["id"] for item in response.json()["items"]]


def measure(code: str) -> Measure:
    return Measure.objects.get(code=code)


@pytest.fixture
def foreign_organisation(other_region) -> Organisation:
    organisation = OrganisationFactory.create(region=other_region, name="Elders vzw")
    SiteFactory.create(organisation=organisation, municipality=other_region.municipalities.get())
    return organisation


@pytest.fixture
def menen(home_region) -> Municipality:
    municipality = MunicipalityFactory.create(nis_code="34027", name="Menen", postcode=None)
    PostcodeFactory.create(municipality=municipality, code="8930")
    RegionMembershipFactory.create(region=home_region, municipality=municipality)
    return municipality


# Organisations: reading


def test_organisation_json_names_main_site_and_current_recognitions(
    coordinator, partner_organisation, menen
):
    SiteFactory.create(organisation=partner_organisation, municipality=menen, is_main=False)
    RecognitionFactory.create(organisation=partner_organisation, measure=measure("CMW"))
    RecognitionFactory.create(organisation=partner_organisation, measure=measure("LDE"))
    RecognitionFactory.create(
        organisation=partner_organisation,
        measure=measure("SINE"),
        status=RecognitionStatus.ENDED,
    )

    response = logged_in(coordinator).get(f"{ORGANISATIONS}/{partner_organisation.pk}")

    assert response.status_code == 200
    body = response.json()
    assert body["id"] == partner_organisation.pk
    assert body["name"] == "De Werkplaats"
    assert body["kbo"] == partner_organisation.kbo
    assert len(body["kbo"]) == 10
    assert body["kind"] == "se_company"
    assert body["municipality"] == "34022"
    assert body["recognitions"] == ["CMW", "LDE"]
    assert body["region"] == "w13"
    assert body["is_archived"] is False
    assert body["version"] == 1
    assert {"email", "phone", "website", "notes", "updated_at"} <= body.keys()


def test_organisation_without_a_current_main_site_has_no_municipality(
    coordinator, home_region, home_municipality
):
    no_site = OrganisationFactory.create(region=home_region)
    archived_site = OrganisationFactory.create(region=home_region)
    SiteFactory.create(organisation=archived_site, municipality=home_municipality, is_archived=True)
    client = logged_in(coordinator)

    assert client.get(f"{ORGANISATIONS}/{no_site.pk}").json()["municipality"] is None
    assert client.get(f"{ORGANISATIONS}/{archived_site.pk}").json()["municipality"] is None


def test_foreign_organisation_answers_404(coordinator, foreign_organisation):
    response = logged_in(coordinator).get(f"{ORGANISATIONS}/{foreign_organisation.pk}")

    assert response.status_code == 404
    assert response.json() == {"detail": response.json()["detail"], "errors": {}}


def test_unknown_organisation_answers_404_like_a_foreign_one(coordinator):
    assert logged_in(coordinator).get(f"{ORGANISATIONS}/999999").status_code == 404


def test_list_holds_only_what_the_user_may_see(
    coordinator, partner, partner_organisation, foreign_organisation, home_region
):
    neighbour = OrganisationFactory.create(region=home_region, name="Buurman")

    assert set(ids(logged_in(coordinator).get(ORGANISATIONS))) == {
        partner_organisation.pk,
        neighbour.pk,
    }
    assert ids(logged_in(partner).get(ORGANISATIONS)) == [partner_organisation.pk]


def test_viewer_gets_an_empty_list_not_an_error(viewer, partner_organisation):
    response = logged_in(viewer).get(ORGANISATIONS)

    assert response.status_code == 200
    assert response.json() == {"items": [], "count": 0}


def test_lists_paginate_with_limit_and_offset(coordinator, home_region):
    for letter in "ABCDEFG":
        OrganisationFactory.create(region=home_region, name=f"{letter} vzw")

    response = logged_in(coordinator).get(ORGANISATIONS, {"limit": 3, "offset": 3})

    body = response.json()
    assert body["count"] == 7
    assert [item["name"] for item in body["items"]] == ["D vzw", "E vzw", "F vzw"]


def test_default_limit_is_50(coordinator, home_region):
    Organisation.objects.bulk_create(
        Organisation(region=home_region, name=f"Org {i:02d}", kind="other") for i in range(51)
    )

    body = logged_in(coordinator).get(ORGANISATIONS).json()

    assert (len(body["items"]), body["count"]) == (50, 51)


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ({"limit": 501}, "limit"),
        ({"limit": 0}, "limit"),
        ({"limit": "many"}, "limit"),
        ({"offset": -1}, "offset"),
    ],
)
def test_bad_pagination_names_the_parameter(coordinator, query, field, settings):
    assert settings.REGIE_API_MAX_LIMIT == 500
    for url in (ORGANISATIONS, PEOPLE, MUNICIPALITIES, MEASURES):
        response = logged_in(coordinator).get(url, query)

        assert response.status_code == 422
        assert list(response.json()["errors"]) == [field]


@pytest.fixture
def filter_world(home_region, home_municipality, menen) -> dict[str, Organisation]:
    shop = OrganisationFactory.create(region=home_region, name="Kringwinkel Leie")
    SiteFactory.create(organisation=shop, municipality=home_municipality)
    RecognitionFactory.create(organisation=shop, measure=measure("CMW"))
    services = OrganisationFactory.create(
        region=home_region, name="Buurtdiensten", kind=OrganisationKind.LDE
    )
    SiteFactory.create(organisation=services, municipality=menen)
    RecognitionFactory.create(organisation=services, measure=measure("LDE"))
    RecognitionFactory.create(
        organisation=services, measure=measure("SINE"), status=RecognitionStatus.ENDED
    )
    closed = OrganisationFactory.create(region=home_region, name="Oude Kringwinkel")
    closed.is_archived = True
    closed.save()
    return {"shop": shop, "services": services, "closed": closed}


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({}, {"shop", "services"}),
        ({"q": "kringwinkel"}, {"shop"}),
        ({"kind": "lde"}, {"services"}),
        ({"measure": "LDE"}, {"services"}),
        ({"measure": "cmw"}, {"shop"}),
        ({"measure": "SINE"}, set()),
        ({"municipality": "34027"}, {"services"}),
        ({"archived": "true"}, {"closed"}),
        ({"archived": "false", "q": "kringwinkel"}, {"shop"}),
    ],
)
def test_organisation_filters(coordinator, filter_world, query, expected):
    response = logged_in(coordinator).get(ORGANISATIONS, query)

    assert response.status_code == 200
    assert set(ids(response)) == {filter_world[name].pk for name in expected}


def test_search_finds_a_kbo_number_written_with_dots(coordinator, filter_world):
    kbo = filter_world["services"].kbo
    dotted = f"{kbo[:4]}.{kbo[4:7]}.{kbo[7:]}"

    response = logged_in(coordinator).get(ORGANISATIONS, {"q": dotted})

    assert ids(response) == [filter_world["services"].pk]


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ({"kind": "castle"}, "kind"),
        ({"measure": "XYZ"}, "measure"),
        ({"municipality": "99999"}, "municipality"),
        ({"archived": "perhaps"}, "archived"),
    ],
)
def test_bad_organisation_filter_names_the_parameter(coordinator, query, field):
    response = logged_in(coordinator).get(ORGANISATIONS, query)

    assert response.status_code == 422
    body = response.json()
    assert list(body["errors"]) == [field]
    assert body["detail"]
    assert all(isinstance(message, str) for message in body["errors"][field])


# Organisations: creating


def count_rows() -> tuple[int, int, int]:
    return Organisation.objects.count(), Person.objects.count(), Affiliation.objects.count()


def test_coordinator_creates_in_own_region(coordinator, home_region):
    kbo = kbo_for(901)
    body = {
        "name": "Nieuwe Kringwinkel",
        "kind": "se_company",
        "kbo": f"BE {kbo[:4]}.{kbo[4:7]}.{kbo[7:]}",
        "email": "info@kringwinkel.be",
        "website": "https://kringwinkel.be",
    }

    response = post(logged_in(coordinator), ORGANISATIONS, body)

    assert response.status_code == 201
    created = Organisation.objects.get(pk=response.json()["id"])
    assert created.region == home_region
    assert created.kbo == kbo
    assert response.json()["kbo"] == kbo
    assert response.json()["municipality"] is None
    assert response.json()["recognitions"] == []
    assert created.history.get().history_user == coordinator


@pytest.mark.parametrize(
    ("body", "fields"),
    [
        ({"name": "X", "kind": "se_company", "kbo": "0203.201.341"}, {"kbo"}),
        ({"name": "X", "kind": "se_company", "kbo": "0203.201"}, {"kbo"}),
        ({"name": "X", "kind": "se_company", "kbo": "ABC"}, {"kbo"}),
        ({"kind": "se_company"}, {"name"}),
        ({"name": "X"}, {"kind"}),
        ({"name": "X", "kind": "castle"}, {"kind"}),
        ({"name": "", "kind": "se_company"}, {"name"}),
        ({"name": "X", "kind": "se_company", "email": "not-an-address"}, {"email"}),
        ({"name": "X", "kind": "se_company", "website": "nowhere"}, {"website"}),
        ({"name": "X" * 201, "kind": "se_company"}, {"name"}),
        ({"name": "X", "kind": "se_company", "colour": "red"}, {"colour"}),
        ({"name": 12, "kind": "se_company"}, {"name"}),
    ],
)
def test_bad_organisation_is_refused_naming_the_field(coordinator, home_region, body, fields):
    before = count_rows()

    response = post(logged_in(coordinator), ORGANISATIONS, body)

    assert response.status_code == 422
    assert set(response.json()["errors"]) == fields
    assert count_rows() == before


def test_coordinator_may_not_create_in_another_region(coordinator, other_region):
    before = count_rows()

    response = post(
        logged_in(coordinator), ORGANISATIONS, {"name": "X", "kind": "other", "region": "other"}
    )

    assert response.status_code == 403
    assert count_rows() == before


def test_wrong_check_digit_is_explained(coordinator, home_region):
    response = post(
        logged_in(coordinator),
        ORGANISATIONS,
        {"name": "X", "kind": "se_company", "kbo": "0203.201.341"},
    )

    assert "controlecijfers" in response.json()["errors"]["kbo"][0]  # Dutch first


def test_duplicate_kbo_in_region_is_refused(coordinator, partner_organisation):
    before = count_rows()

    response = post(
        logged_in(coordinator),
        ORGANISATIONS,
        {"name": "Dubbel", "kind": "se_company", "kbo": partner_organisation.kbo},
    )

    assert response.status_code == 422
    assert list(response.json()["errors"]) == ["kbo"]
    assert count_rows() == before


def test_body_that_is_not_json_gets_400(coordinator):
    client = logged_in(coordinator)

    response = client.post(ORGANISATIONS, "{name:", content_type="application/json")

    assert response.status_code == 400
    assert response.json()["errors"] == {"__all__": [response.json()["detail"]]}


def test_empty_body_names_the_required_fields(coordinator):
    response = logged_in(coordinator).post(ORGANISATIONS, content_type="application/json")

    assert response.status_code == 422
    assert set(response.json()["errors"]) == {"name", "kind"}


@pytest.mark.parametrize("body", [[], '"name"', "12"])
def test_body_that_is_not_an_object_gets_422(coordinator, body):
    response = post(logged_in(coordinator), ORGANISATIONS, body)

    assert response.status_code == 422
    assert list(response.json()["errors"]) == ["__all__"]


def test_admin_must_name_the_region(admin_user, other_region):
    client = logged_in(admin_user)

    missing = post(client, ORGANISATIONS, {"name": "X", "kind": "other"})
    unknown = post(client, ORGANISATIONS, {"name": "X", "kind": "other", "region": "zz"})
    named = post(client, ORGANISATIONS, {"name": "X", "kind": "other", "region": "other"})

    assert (missing.status_code, list(missing.json()["errors"])) == (422, ["region"])
    assert (unknown.status_code, list(unknown.json()["errors"])) == (422, ["region"])
    assert named.status_code == 201
    assert named.json()["region"] == "other"


@pytest.mark.parametrize("role", ["partner", "counsellor", "viewer"])
def test_roles_without_registry_rights_may_not_create_organisations(cast, role):
    response = post(logged_in(cast[role]), ORGANISATIONS, {"name": "X", "kind": "other"})

    assert response.status_code == 403
    assert response.json()["detail"]
    assert not Organisation.objects.filter(name="X").exists()


# Organisations: changing


def test_coordinator_changes_an_organisation(coordinator, partner_organisation):
    kbo = kbo_for(902)

    response = patch(
        logged_in(coordinator),
        f"{ORGANISATIONS}/{partner_organisation.pk}",
        {"version": 1, "name": "De Nieuwe Werkplaats", "kbo": kbo, "email": None},
    )

    assert response.status_code == 200
    assert response.json()["version"] == 2
    assert response.json()["municipality"] == "34022"
    partner_organisation.refresh_from_db()
    assert (partner_organisation.name, partner_organisation.kbo) == ("De Nieuwe Werkplaats", kbo)
    assert partner_organisation.version == 2
    assert partner_organisation.history.latest().history_user == coordinator


def test_partner_changes_own_organisation_with_a_token(client, partner, partner_organisation):
    token = api_token_create(user=partner)

    response = client.patch(
        f"{ORGANISATIONS}/{partner_organisation.pk}",
        {"version": 1, "phone": "056 12 34 56"},
        content_type="application/json",
        headers={"Authorization": f"Bearer {token}"},
    )

    assert response.status_code == 200
    assert partner_organisation.history.latest().history_user == partner


def test_stale_version_answers_409_and_writes_nothing(coordinator, partner_organisation):
    client = logged_in(coordinator)
    url = f"{ORGANISATIONS}/{partner_organisation.pk}"
    assert patch(client, url, {"version": 1, "name": "Eerste"}).status_code == 200

    response = patch(client, url, {"version": 1, "name": "Tweede", "phone": "123"})

    assert response.status_code == 409
    body = response.json()
    assert "niets opgeslagen" in body["detail"]
    assert list(body["errors"]) == ["version"]
    partner_organisation.refresh_from_db()
    assert (partner_organisation.name, partner_organisation.phone) == ("Eerste", "")
    assert partner_organisation.version == 2
    assert partner_organisation.history.count() == 2


def test_a_stale_409_names_the_version_to_send_and_what_changed(coordinator, partner_organisation):
    client = logged_in(coordinator)
    url = f"{ORGANISATIONS}/{partner_organisation.pk}"
    first = patch(client, url, {"version": 1, "name": "Eerste", "phone": "056 11 22 33"})
    assert first.status_code == 200

    response = patch(client, url, {"version": 1, "name": "Tweede"})

    assert response.status_code == 409
    body = response.json()
    assert body["current_version"] == 2
    assert body["changed"] == [
        {"field": "name", "label": "Naam", "then": "De Werkplaats", "now": "Eerste"},
        {"field": "phone", "label": "Telefoon", "then": "—", "now": "056 11 22 33"},
    ]
    again = patch(client, url, {"version": body["current_version"], "name": "Tweede"})
    assert again.status_code == 200
    partner_organisation.refresh_from_db()
    assert (partner_organisation.name, partner_organisation.phone) == ("Tweede", "056 11 22 33")


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"name": "Zonder versie"}, "version"),
        ({"version": "one", "name": "X"}, "version"),
        ({"version": 1, "kbo": "0203.201.341"}, "kbo"),
        ({"version": 1, "kind": "castle"}, "kind"),
        ({"version": 1, "name": None}, "name"),
        ({"version": 1, "region": "other"}, "region"),
        ({"version": 1, "is_archived": True}, "is_archived"),
    ],
)
def test_bad_change_names_the_field_and_writes_nothing(
    coordinator, partner_organisation, body, field
):
    response = patch(logged_in(coordinator), f"{ORGANISATIONS}/{partner_organisation.pk}", body)

    assert response.status_code == 422
    assert list(response.json()["errors"]) == [field]
    partner_organisation.refresh_from_db()
    assert (partner_organisation.name, partner_organisation.version) == ("De Werkplaats", 1)


@pytest.mark.parametrize("role", ["counsellor", "viewer", "outsider"])
def test_organisation_outside_edit_scope_answers_404(cast, partner_organisation, role):
    response = patch(
        logged_in(cast[role]), f"{ORGANISATIONS}/{partner_organisation.pk}", {"version": 1}
    )

    assert response.status_code == 404
    partner_organisation.refresh_from_db()
    assert partner_organisation.version == 1


# People


@pytest.fixture
def colleague(home_region, partner_organisation, foreign_organisation) -> Person:
    person = PersonFactory.create(region=home_region, first_name="Ann", last_name="Claes")
    AffiliationFactory.create(
        person=person, organisation=partner_organisation, function=Function.COUNSELLOR
    )
    AffiliationFactory.create(person=person, organisation=foreign_organisation)
    return person


def test_person_json_with_affiliations(coordinator, colleague, partner_organisation):
    body = logged_in(coordinator).get(PEOPLE).json()

    assert body["count"] == 1
    person = body["items"][0]
    assert person == {
        "id": colleague.pk,
        "first_name": "Ann",
        "last_name": "Claes",
        "email": colleague.email,
        "phone": "",
        "region": "w13",
        "affiliations": [
            {
                "organisation": partner_organisation.pk,
                "organisation_name": "De Werkplaats",
                "function": "counsellor",
                "start": "2018-01-01",
                "end": None,
            }
        ],
        "is_archived": False,
        "version": 1,
    }


def test_admin_sees_every_affiliation(admin_user, colleague):
    person = logged_in(admin_user).get(PEOPLE).json()["items"][0]

    assert len(person["affiliations"]) == 2


def test_partner_sees_colleagues_only(partner, colleague, home_region):
    PersonFactory.create(region=home_region, last_name="Onbekend")

    response = logged_in(partner).get(PEOPLE)

    assert ids(response) == [colleague.pk]


@pytest.mark.parametrize("role", ["viewer", "outsider"])
def test_people_outside_scope_are_not_listed(cast, colleague, role):
    assert logged_in(cast[role]).get(PEOPLE).json() == {"items": [], "count": 0}


def test_people_filters(coordinator, colleague, partner_organisation, home_region):
    other = PersonFactory.create(region=home_region, first_name="Bert", last_name="Desmet")
    archived = PersonFactory.create(region=home_region, last_name="Vroeger", is_archived=True)
    client = logged_in(coordinator)

    assert ids(client.get(PEOPLE, {"q": "desm"})) == [other.pk]
    assert ids(client.get(PEOPLE, {"organisation": partner_organisation.pk})) == [colleague.pk]
    assert ids(client.get(PEOPLE, {"function": "counsellor"})) == [colleague.pk]
    assert ids(client.get(PEOPLE, {"archived": "true"})) == [archived.pk]


@pytest.mark.parametrize(
    ("query", "field"),
    [({"function": "wizard"}, "function"), ({"organisation": 0}, "organisation")],
)
def test_bad_people_filter_names_the_parameter(coordinator, query, field):
    response = logged_in(coordinator).get(PEOPLE, query)

    assert response.status_code == 422
    assert list(response.json()["errors"]) == [field]


def test_filter_on_a_foreign_organisation_is_refused(coordinator, foreign_organisation):
    response = logged_in(coordinator).get(PEOPLE, {"organisation": foreign_organisation.pk})

    assert response.status_code == 422
    assert list(response.json()["errors"]) == ["organisation"]


def test_coordinator_adds_a_person_in_own_region(coordinator, home_region, partner_organisation):
    response = post(
        logged_in(coordinator),
        PEOPLE,
        {
            "first_name": "Els",
            "last_name": "Vermeulen",
            "email": "els@example.org",
            "affiliation": {
                "organisation": partner_organisation.pk,
                "function": "jobcoach",
                "start": "2020-03-01",
            },
        },
    )

    assert response.status_code == 201
    person = Person.objects.get(pk=response.json()["id"])
    assert person.region == home_region
    assert response.json()["affiliations"][0]["function"] == "jobcoach"
    assert person.affiliations.get().start == datetime.date(2020, 3, 1)


def test_coordinator_adds_a_person_without_affiliation(coordinator, home_region):
    response = post(logged_in(coordinator), PEOPLE, {"first_name": "Jo", "last_name": "Peeters"})

    assert response.status_code == 201
    assert response.json()["affiliations"] == []


def test_partner_adds_a_colleague(partner, partner_organisation):
    response = post(
        logged_in(partner),
        PEOPLE,
        {
            "first_name": "Nieuwe",
            "last_name": "Collega",
            "affiliation": {"organisation": partner_organisation.pk, "function": "contact"},
        },
    )

    assert response.status_code == 201
    assert response.json()["region"] == "w13"
    assert ids(logged_in(partner).get(PEOPLE)) == [response.json()["id"]]


@pytest.fixture
def neighbour(home_region) -> Organisation:
    return OrganisationFactory.create(region=home_region, name="Buren vzw")


@pytest.mark.parametrize(
    ("affiliation", "field"),
    [
        (None, "affiliation"),
        ("neighbour", "affiliation.organisation"),
        ("foreign", "affiliation.organisation"),
    ],
)
def test_partner_adds_colleagues_of_own_organisation_only(
    partner, neighbour, foreign_organisation, affiliation, field
):
    body: dict[str, Any] = {"first_name": "X", "last_name": "Y"}
    target = {"neighbour": neighbour, "foreign": foreign_organisation}.get(affiliation or "")
    if target is not None:
        body["affiliation"] = {"organisation": target.pk, "function": "contact"}
    before = count_rows()

    response = post(logged_in(partner), PEOPLE, body)

    assert response.status_code == 422
    assert list(response.json()["errors"]) == [field]
    assert count_rows() == before


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"last_name": "Y"}, "first_name"),
        ({"first_name": "X", "last_name": "Y", "email": "nope"}, "email"),
        ({"first_name": "X", "last_name": "Y", "affiliation": {"function": "contact"}}, None),
        (
            {
                "first_name": "X",
                "last_name": "Y",
                "affiliation": {"organisation": 1, "function": "contact", "start": "01/02"},
            },
            "affiliation.start",
        ),
    ],
)
def test_bad_person_names_the_field(coordinator, partner_organisation, body, field):
    before = count_rows()

    response = post(logged_in(coordinator), PEOPLE, body)

    assert response.status_code == 422
    assert list(response.json()["errors"]) == [field or "affiliation.organisation"]
    assert count_rows() == before


def test_failing_affiliation_leaves_no_person_behind(coordinator, partner_organisation):
    before = count_rows()

    response = post(
        logged_in(coordinator),
        PEOPLE,
        {
            "first_name": "Half",
            "last_name": "Geschreven",
            "affiliation": {
                "organisation": partner_organisation.pk,
                "function": "contact",
                "start": "2021-01-01",
                "end": "2020-01-01",
            },
        },
    )

    assert response.status_code == 422
    assert "end" in response.json()["errors"]
    assert count_rows() == before


def test_admin_adds_a_person_in_the_region_of_the_organisation(admin_user, foreign_organisation):
    response = post(
        logged_in(admin_user),
        PEOPLE,
        {
            "first_name": "A",
            "last_name": "B",
            "affiliation": {"organisation": foreign_organisation.pk, "function": "director"},
        },
    )

    assert response.status_code == 201
    assert response.json()["region"] == "other"


@pytest.mark.parametrize("role", ["counsellor", "viewer"])
def test_counsellor_and_viewer_may_not_add_people(cast, partner_organisation, role):
    response = post(
        logged_in(cast[role]),
        PEOPLE,
        {
            "first_name": "X",
            "last_name": "Y",
            "affiliation": {"organisation": partner_organisation.pk, "function": "contact"},
        },
    )

    assert response.status_code == 403
    assert not Person.objects.exists()


# Municipalities and measures


def test_municipality_json(coordinator, home_municipality):
    home_municipality.is_centre_city = True
    home_municipality.save()
    PostcodeFactory.create(municipality=home_municipality, code="8501")
    home_municipality.populations.create(year=2019, inhabitants=76_000)
    home_municipality.populations.create(year=2020, inhabitants=77_000)

    body = logged_in(coordinator).get(MUNICIPALITIES).json()

    assert body == {
        "items": [
            {
                "nis": "34022",
                "name": "Kortrijk",
                "postcodes": ["8500", "8501"],
                "is_centre_city": True,
                "latitude": 50.8,
                "longitude": 3.26,
                "population": 77_000,
                "population_year": 2020,
            }
        ],
        "count": 1,
    }


def test_municipalities_of_the_users_region(coordinator, admin_user, menen, other_region):
    def names(user: User, **query: str) -> list[str]:
        response = logged_in(user).get(MUNICIPALITIES, query)
        return [item["name"] for item in response.json()["items"]]

    assert names(coordinator) == ["Kortrijk", "Menen"]
    assert names(coordinator, q="8930") == ["Menen"]
    assert names(coordinator, q="34022") == ["Kortrijk"]
    assert len(names(admin_user)) == Municipality.objects.count() == 3


def test_measures_list_the_reference_data(viewer):
    body = logged_in(viewer).get(MEASURES).json()

    assert body["count"] == Measure.objects.count()
    lde = next(item for item in body["items"] if item["code"] == "LDE")
    assert lde == {
        "code": "LDE",
        "name": "Lokale diensteneconomie",
        "valid_from": "2015-04-01",
        "valid_until": "2023-06-30",
    }


def test_measures_open_on_a_day(viewer):
    response = logged_in(viewer).get(MEASURES, {"valid_on": "2020-06-01"})

    codes = {item["code"] for item in response.json()["items"]}
    assert {"CMW", "LDE", "AZ", "SINE", "WW"} <= codes
    assert not codes & {"AMA", "IMW"}
    assert logged_in(viewer).get(MEASURES, {"valid_on": "june"}).status_code == 422


# A fixed number of queries, whatever the number of rows


def make_organisations(region: Region, municipality: Municipality, start: int, end: int) -> None:
    organisations = Organisation.objects.bulk_create(
        Organisation(region=region, name=f"Org {i:04d}", kbo=kbo_for(10_000 + i), kind="other")
        for i in range(start, end)
    )
    Site.objects.bulk_create(
        Site(organisation=o, municipality=municipality, street="Straat 1", postcode="8500")
        for o in organisations
    )
    cmw, lde = measure("CMW"), measure("LDE")
    Recognition.objects.bulk_create(
        Recognition(organisation=o, measure=m, valid_from=datetime.date(2019, 1, 1))
        for o in organisations
        for m in (cmw, lde)
    )


def make_people(region: Region, organisation: Organisation, count: int) -> None:
    people = Person.objects.bulk_create(
        Person(region=region, first_name="P", last_name=f"{i:04d}") for i in range(count)
    )
    Affiliation.objects.bulk_create(
        Affiliation(person=p, organisation=organisation, function="contact") for p in people
    )


def queries_for(client: Client, url: str) -> tuple[int, int]:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, {"limit": 500})
    assert response.status_code == 200
    return len(queries), len(response.json()["items"])


def test_organisation_list_runs_a_fixed_number_of_queries(
    coordinator, home_region, home_municipality
):
    client = logged_in(coordinator)
    make_organisations(home_region, home_municipality, 0, 5)
    few, shown_few = queries_for(client, ORGANISATIONS)
    make_organisations(home_region, home_municipality, 5, 500)
    many, shown_many = queries_for(client, ORGANISATIONS)

    assert (shown_few, shown_many) == (5, 500)
    assert few == many
    assert many <= 6


def test_person_list_runs_a_fixed_number_of_queries(coordinator, home_region):
    client = logged_in(coordinator)
    organisation = OrganisationFactory.create(region=home_region)
    make_people(home_region, organisation, 5)
    few, shown_few = queries_for(client, PEOPLE)
    make_people(home_region, organisation, 495)
    many, shown_many = queries_for(client, PEOPLE)

    assert (shown_few, shown_many) == (5, 500)
    assert few == many


# Docs and schema


def test_docs_and_schema_are_for_logged_in_users(client, coordinator):
    anonymous_docs = client.get("/api/v1/docs")
    anonymous_schema = client.get("/api/v1/openapi.json")
    client.force_login(coordinator)

    assert anonymous_docs.status_code == 302
    assert anonymous_docs["Location"].startswith("/accounts/login/")
    assert anonymous_schema.status_code == 401
    assert anonymous_schema.json()["detail"]
    assert client.get("/api/v1/docs").status_code == 200
    assert client.get("/api/v1/openapi.json").json()["info"]["title"] == "Regie API"


def test_schema_can_be_fetched_with_a_token(client, coordinator):
    token = api_token_create(user=coordinator)

    response = client.get("/api/v1/openapi.json", headers={"Authorization": f"Bearer {token}"})

    assert response.status_code == 200
    assert "/api/v1/organisations" in response.json()["paths"]


def test_docs_load_nothing_from_a_cdn(coordinator):
    page = logged_in(coordinator).get("/api/v1/docs").content.decode()

    assert "cdn." not in page
    assert "/static/ninja/swagger-ui-bundle.js" in page
