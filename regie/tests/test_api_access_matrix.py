"""Every API operation in the OpenAPI schema × every role, with the status each must get.

The cases are generated from ``api.get_openapi_schema()``: an operation without a row in
``EXPECTED`` fails, so a new endpoint cannot ship without deciding who may call it. Paths with
an ``{id}`` (or other path parameters, such as a region code) are called for a record in the
cast's home region (``home``) and for one in the outsider's region (``foreign``), which proves
that a record outside the scope answers 404.
"""

import json
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from django.core.cache import cache
from django.test import Client

from regie.accounts.models import User
from regie.accounts.tests.factories import UserFactory
from regie.api import api
from regie.clients.tests.world import client_world
from regie.core.permissions import Role
from regie.events.tests.factories import event_for
from regie.logistics.tests.factories import (
    OrderFactory,
    VanFactory,
    stored_plan,
    with_coordinates,
)
from regie.network.tests.factories import BodyFactory, MeetingFactory, MembershipFactory
from regie.plans.models import Action
from regie.plans.tests.factories import ActionFactory
from regie.registry.models import Organisation, Person
from regie.registry.tests.factories import (
    AffiliationFactory,
    OrganisationFactory,
    PersonFactory,
    SiteFactory,
)

ROLES = ("coordinator", "partner", "counsellor", "viewer", "admin", "outsider", "anonymous")
HOME, FOREIGN, NONE = "home", "foreign", ""
ORGANISATIONS = "/api/v1/organisations"
ORGANISATION = "/api/v1/organisations/{id}"
PEOPLE = "/api/v1/people"
MUNICIPALITIES = "/api/v1/municipalities"
MEASURES = "/api/v1/measures"
KNOWLEDGE = "/api/v1/knowledge"
EVENT_REGISTRATIONS = "/api/v1/events/{id}/registrations"
NETWORK_BODIES = "/api/v1/bodies"
NETWORK_MEETINGS = "/api/v1/meetings"
ACTIONS = "/api/v1/actions"
ACTION = "/api/v1/actions/{id}"
ACTION_STATUS = "/api/v1/actions/{id}/status"
BUDGET = "/api/v1/budgets/{region_code}/{year}"
CLIENTS = "/api/v1/clients"
CLIENT = "/api/v1/clients/{id}"
PROGRESSION = "/api/v1/progression"
ROUNDS_PLAN = "/api/v1/rounds/plan"
ROUND = "/api/v1/rounds/{id}"
# Query strings that a GET needs to be a real request (a search needs words).
QUERIES = {KNOWLEDGE: "?q=corona", PROGRESSION: "?region=w13&year=2020"}
# Aggregates, not lists: no pagination.
NOT_LISTS = {PROGRESSION}

# fmt: off
EXPECTED: dict[tuple[str, str], dict[str, tuple[int, ...]]] = {
    #                                   coordinator partner couns. viewer admin outsider anonymous
    ("GET", ORGANISATIONS):    {NONE:    (200,       200,    200,   200,   200,  200,     401)},
    ("POST", ORGANISATIONS):   {NONE:    (201,       403,    403,   403,   201,  403,     401)},
    ("GET", ORGANISATION):     {HOME:    (200,       200,    200,   404,   200,  404,     401),
                                FOREIGN: (404,       404,    404,   404,   200,  200,     401)},
    ("PATCH", ORGANISATION):   {HOME:    (200,       200,    404,   404,   200,  404,     401),
                                FOREIGN: (404,       404,    404,   404,   200,  200,     401)},
    ("GET", PEOPLE):           {NONE:    (200,       200,    200,   200,   200,  200,     401)},
    # The outsider names an organisation it cannot see: refused on that field, not created.
    ("POST", PEOPLE):          {NONE:    (201,       201,    403,   403,   201,  422,     401)},
    ("GET", MUNICIPALITIES):   {NONE:    (200,       200,    200,   200,   200,  200,     401)},
    ("GET", MEASURES):         {NONE:    (200,       200,    200,   200,   200,  200,     401)},
    ("GET", KNOWLEDGE):        {NONE:    (200,       200,    200,   200,   200,  200,     401)},
    ("GET", NETWORK_BODIES):   {NONE:    (200,       200,    200,   200,   200,  200,     401)},
    ("GET", NETWORK_MEETINGS): {NONE:    (200,       200,    200,   200,   200,  200,     401)},
    # Public, no account: the home target is an open event, the foreign one a meeting of the
    # other region that never opened registration (no event, so 404 for everyone).
    ("POST", EVENT_REGISTRATIONS): {HOME:    (201,       201,    201,   201,   201,  201,     201),
                                FOREIGN: (404,       404,    404,   404,   404,  404,     404)},
    # The plan: partners and counsellors read the actions their organisation is a partner in,
    # viewers those of their region; only coordinators (and admins) change them.
    ("GET", ACTIONS):          {NONE:    (200,       200,    200,   200,   200,  200,     401)},
    ("GET", ACTION):           {HOME:    (200,       200,    200,   200,   200,  404,     401),
                                FOREIGN: (404,       404,    404,   404,   200,  200,     401)},
    ("PATCH", ACTION):         {HOME:    (200,       404,    404,   404,   200,  404,     401),
                                FOREIGN: (404,       404,    404,   404,   200,  200,     401)},
    ("POST", ACTION_STATUS):   {HOME:    (200,       404,    404,   404,   200,  404,     401),
                                FOREIGN: (404,       404,    404,   404,   200,  200,     401)},
    # Budget totals: the region's coordinator and viewers; nothing for partners and counsellors.
    ("GET", BUDGET):           {HOME:    (200,       404,    404,   200,   200,  404,     401),
                                FOREIGN: (404,       404,    404,   404,   200,  200,     401)},
    # Client files: the coordinator's region, the counsellor's own clients, the partner's clients
    # with a step or referral there; viewers and the administrator none at all.
    ("GET", CLIENTS):          {NONE:    (200,       200,    200,   200,   200,  200,     401)},
    ("GET", CLIENT):           {HOME:    (200,       200,    200,   404,   404,  404,     401),
                                FOREIGN: (404,       404,    404,   404,   404,  200,     401)},
    # Suppressed aggregates of w13: everyone with a scope there; the outsider's scope is elsewhere.
    ("GET", PROGRESSION):      {NONE:    (200,       200,    200,   200,   200,  404,     401)},
    # Rounds: planned and read by the region's coordinator and the floor's own partner; the
    # outsider names orders and vans it cannot plan: refused on those fields.
    ("POST", ROUNDS_PLAN):     {NONE:    (202,       202,    403,   403,   403,  422,     401)},
    ("GET", ROUND):            {HOME:    (200,       200,    404,   404,   404,  404,     401),
                                FOREIGN: (404,       404,    404,   404,   404,  200,     401)},
}

# What each role finds in a list: the home record, the foreign one, both or none.
LISTED: dict[str, dict[str, set[str]]] = {
    ORGANISATIONS: {
        "coordinator": {HOME}, "partner": {HOME}, "counsellor": {HOME}, "viewer": set(),
        "admin": {HOME, FOREIGN}, "outsider": {FOREIGN},
    },
    PEOPLE: {
        "coordinator": {HOME}, "partner": {HOME}, "counsellor": {HOME}, "viewer": set(),
        "admin": {HOME, FOREIGN}, "outsider": {FOREIGN},
    },
    MUNICIPALITIES: {
        "coordinator": {HOME}, "partner": {HOME}, "counsellor": {HOME}, "viewer": {HOME},
        "admin": {HOME, FOREIGN}, "outsider": {FOREIGN},
    },
    # Partners and counsellors see the bodies their organisation sits in, viewers none.
    NETWORK_BODIES: {
        "coordinator": {HOME}, "partner": {HOME}, "counsellor": {HOME}, "viewer": set(),
        "admin": {HOME, FOREIGN}, "outsider": {FOREIGN},
    },
    NETWORK_MEETINGS: {
        "coordinator": {HOME}, "partner": {HOME}, "counsellor": {HOME}, "viewer": set(),
        "admin": {HOME, FOREIGN}, "outsider": {FOREIGN},
    },
    ACTIONS: {
        "coordinator": {HOME}, "partner": {HOME}, "counsellor": {HOME}, "viewer": {HOME},
        "admin": {HOME, FOREIGN}, "outsider": {FOREIGN},
    },
    CLIENTS: {
        "coordinator": {HOME}, "partner": {HOME}, "counsellor": {HOME}, "viewer": set(),
        "admin": set(), "outsider": {FOREIGN},
    },
}
# fmt: on

World = dict[str, dict[str, Any]]

BODIES: dict[tuple[str, str], Callable[[World, str], dict[str, Any]]] = {
    ("POST", ORGANISATIONS): lambda world, target: {
        "name": "Matrix vzw",
        "kind": "other",
        "region": "w13",
    },
    ("PATCH", ORGANISATION): lambda world, target: {
        "version": Organisation.objects.get(pk=world[ORGANISATIONS][target]).version,
        "phone": "056 00 00 00",
    },
    ("POST", EVENT_REGISTRATIONS): lambda world, target: {
        "first_name": "Matrix",
        "last_name": "Deelnemer",
        "email": "matrix@example.org",
        "stakeholder_type": "other",
    },
    ("POST", PEOPLE): lambda world, target: {
        "first_name": "Matrix",
        "last_name": "Persoon",
        "affiliation": {"organisation": world[ORGANISATIONS][HOME], "function": "contact"},
    },
    ("PATCH", ACTION): lambda world, target: {
        "version": Action.objects.get(pk=world[ACTIONS][target]).version,
        "title": "Matrix-actie",
    },
    ("POST", ROUNDS_PLAN): lambda world, target: {
        "date": "2020-04-21",
        "orders": world[ROUNDS_PLAN][HOME]["orders"],
        "vans": world[ROUNDS_PLAN][HOME]["vans"],
        "time_limit": 1,
    },
    ("POST", ACTION_STATUS): lambda world, target: {
        "version": Action.objects.get(pk=world[ACTIONS][target]).version,
        "status": "running",
    },
}


def schema_operations() -> list[tuple[str, str]]:
    paths = api.get_openapi_schema()["paths"]
    return sorted((method.upper(), path) for path, methods in paths.items() for method in methods)


def cases() -> list[Any]:
    return list(_cases())


def _cases() -> Iterator[Any]:
    for method, path in schema_operations():
        targets = EXPECTED.get((method, path), {"missing": (0,) * len(ROLES)})
        for target, statuses in targets.items():
            for role, status in zip(ROLES, statuses, strict=True):
                name = f"{method} {path} {target or '-'} {role}"
                yield pytest.param(method, path, target, role, status, id=name)


@pytest.fixture(autouse=True)
def _fresh_rate_limit() -> None:
    cache.clear()  # the public registration endpoint counts requests per address


@pytest.fixture
def world(cast, partner_organisation, other_region, home_municipality, home_region) -> World:
    foreign_municipality = other_region.municipalities.get()
    foreign_organisation = OrganisationFactory.create(region=other_region, name="Elders vzw")
    SiteFactory.create(organisation=foreign_organisation, municipality=foreign_municipality)
    home_person = PersonFactory.create(region=home_region)
    AffiliationFactory.create(person=home_person, organisation=partner_organisation)
    foreign_person = PersonFactory.create(region=other_region)
    AffiliationFactory.create(person=foreign_person, organisation=foreign_organisation)
    home_body = BodyFactory.create(region=home_region)
    MembershipFactory.create(body=home_body, organisation=partner_organisation)
    foreign_body = BodyFactory.create(region=other_region)
    MembershipFactory.create(body=foreign_body, organisation=foreign_organisation)
    return {
        NETWORK_BODIES: {HOME: home_body.pk, FOREIGN: foreign_body.pk},
        NETWORK_MEETINGS: {
            HOME: MeetingFactory.create(body=home_body).pk,
            FOREIGN: MeetingFactory.create(body=foreign_body).pk,
        },
        ORGANISATIONS: {HOME: partner_organisation.pk, FOREIGN: foreign_organisation.pk},
        PEOPLE: {HOME: home_person.pk, FOREIGN: foreign_person.pk},
        MUNICIPALITIES: {HOME: home_municipality.nis_code, FOREIGN: foreign_municipality.nis_code},
        EVENT_REGISTRATIONS: {
            HOME: event_for(home_region, capacity=10).pk,
            FOREIGN: MeetingFactory.create(body=BodyFactory.create(region=other_region)).pk,
        },
        **_plans_world(partner_organisation, foreign_organisation),
        **_clients_world(partner_organisation, foreign_organisation),
        **_rounds_world(partner_organisation, foreign_organisation),
    }


def _plans_world(home_organisation: Organisation, foreign_organisation: Organisation) -> World:
    """An action in each region with that region's organisation as partner; both budgets."""
    actions = {
        HOME: ActionFactory.create(
            region=home_organisation.region, partner_organisations=[home_organisation]
        ).pk,
        FOREIGN: ActionFactory.create(
            region=foreign_organisation.region, partner_organisations=[foreign_organisation]
        ).pk,
    }
    return {
        ACTIONS: actions,
        ACTION_STATUS: actions,
        BUDGET: {
            HOME: {"region_code": home_organisation.region.code, "year": 2020},
            FOREIGN: {"region_code": foreign_organisation.region.code, "year": 2020},
        },
    }


def _clients_world(home_organisation: Organisation, foreign_organisation: Organisation) -> World:
    """A client in each region, followed by a counsellor of that region, with a step at that
    region's organisation (regie/clients/tests/world.py)."""
    home = client_world(
        organisation=home_organisation,
        municipality=home_organisation.sites.get().municipality,
        counsellor=User.objects.get(username="counsellor"),
        actor=User.objects.get(username="coordinator"),
        serial="201",
    )
    foreign_region = foreign_organisation.region
    foreign = client_world(
        organisation=foreign_organisation,
        municipality=foreign_organisation.sites.get().municipality,
        counsellor=UserFactory.create(
            role=Role.COUNSELLOR, region=foreign_region, organisation=foreign_organisation
        ),
        actor=User.objects.get(username="outsider"),
        serial="202",
    )
    return {CLIENTS: {HOME: home["client"], FOREIGN: foreign["client"]}}


def _rounds_world(home_organisation: Organisation, foreign_organisation: Organisation) -> World:
    """A finished round plan in each region (stored, no solver) and open orders to plan."""
    plans: dict[str, Any] = {}
    for target, organisation in ((HOME, home_organisation), (FOREIGN, foreign_organisation)):
        with_coordinates(organisation.sites.get())
        van = VanFactory.create(organisation=organisation)
        orders = OrderFactory.create_batch(2, assignment__organisation=organisation)
        plans[target] = {
            "plan": stored_plan(orders=orders, van=van).pk,
            "orders": [order.pk for order in orders],
            "vans": [van.pk],
        }
    return {
        "/api/v1/rounds": {target: made["plan"] for target, made in plans.items()},
        ROUNDS_PLAN: plans,
    }


def client_for(cast: dict[str, User], role: str) -> Client:
    client = Client()
    if role != "anonymous":
        client.force_login(cast[role])
    return client


def url_for(path: str, target: str, world: World) -> str:
    if "{" not in path:
        return path + QUERIES.get(path, "")
    if "{id}" not in path:  # named by other parameters, e.g. a region code and a year
        return path.format(**world[path][target])
    collection = path.removesuffix("/{id}")
    return path.replace("{id}", str(world[collection][target]))


def listed(response: Any, path: str, world: World) -> set[str]:
    key = "nis" if path == MUNICIPALITIES else "id"
    found = {item[key] for item in response.json()["items"]}
    return {target for target, value in world[path].items() if value in found}


@pytest.mark.parametrize(("method", "path", "target", "role", "status"), cases())
def test_api_access(cast, world, method, path, target, role, status):
    if target == "missing":
        pytest.fail(f"{method} {path} has no row in EXPECTED: decide who may call it")
    make_body = BODIES.get((method, path))
    body = make_body(world, target) if make_body else None
    before = (Organisation.objects.count(), Person.objects.count())

    response = client_for(cast, role).generic(
        method,
        url_for(path, target, world),
        data="" if body is None else json.dumps(body),
        content_type="application/json",
    )

    assert response.status_code == status, response.content
    assert response.headers["Content-Type"].startswith("application/json")
    if status >= 400:
        assert set(response.json()) == {"detail", "errors"}
        assert (Organisation.objects.count(), Person.objects.count()) == before
    if method == "GET" and status == 200 and path in LISTED:
        assert listed(response, path, world) == LISTED[path][role]


def test_every_row_of_the_table_is_a_schema_operation():
    assert set(EXPECTED) <= set(schema_operations())


def test_paths_with_an_id_are_called_inside_and_outside_the_scope():
    for (_method, path), targets in EXPECTED.items():
        expected_targets = {HOME, FOREIGN} if "{" in path else {NONE}
        assert set(targets) == expected_targets, path


def test_every_list_operation_is_paginated():
    paths = api.get_openapi_schema()["paths"]
    for (method, path), _targets in EXPECTED.items():
        if method == "GET" and "{" not in path and path not in NOT_LISTS:
            names = {parameter["name"] for parameter in paths[path]["get"]["parameters"]}
            assert {"limit", "offset"} <= names, path


@pytest.mark.parametrize("role", ROLES)
def test_docs_and_schema_need_a_login(cast, role):
    client = client_for(cast, role)

    docs = client.get("/api/v1/docs")
    schema = client.get("/api/v1/openapi.json")

    if role == "anonymous":
        assert (docs.status_code, schema.status_code) == (302, 401)
    else:
        assert (docs.status_code, schema.status_code) == (200, 200)
