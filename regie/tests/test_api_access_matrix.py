"""Every API operation in the OpenAPI schema × every role, with the status each must get.

The cases are generated from ``api.get_openapi_schema()``: an operation without a row in
``EXPECTED`` fails, so a new endpoint cannot ship without deciding who may call it. Paths with
an ``{id}`` are called for a record in the cast's home region (``home``) and for one in the
outsider's region (``foreign``), which proves that a record outside the scope answers 404.
"""

import json
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from django.test import Client

from regie.accounts.models import User
from regie.api import api
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
    ("POST", PEOPLE): lambda world, target: {
        "first_name": "Matrix",
        "last_name": "Persoon",
        "affiliation": {"organisation": world[ORGANISATIONS][HOME], "function": "contact"},
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


@pytest.fixture
def world(partner_organisation, other_region, home_municipality, home_region) -> World:
    foreign_municipality = other_region.municipalities.get()
    foreign_organisation = OrganisationFactory.create(region=other_region, name="Elders vzw")
    SiteFactory.create(organisation=foreign_organisation, municipality=foreign_municipality)
    home_person = PersonFactory.create(region=home_region)
    AffiliationFactory.create(person=home_person, organisation=partner_organisation)
    foreign_person = PersonFactory.create(region=other_region)
    AffiliationFactory.create(person=foreign_person, organisation=foreign_organisation)
    return {
        ORGANISATIONS: {HOME: partner_organisation.pk, FOREIGN: foreign_organisation.pk},
        PEOPLE: {HOME: home_person.pk, FOREIGN: foreign_person.pk},
        MUNICIPALITIES: {HOME: home_municipality.nis_code, FOREIGN: foreign_municipality.nis_code},
    }


def client_for(cast: dict[str, User], role: str) -> Client:
    client = Client()
    if role != "anonymous":
        client.force_login(cast[role])
    return client


def url_for(path: str, target: str, world: World) -> str:
    if "{id}" not in path:
        return path
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
        expected_targets = {HOME, FOREIGN} if "{id}" in path else {NONE}
        assert set(targets) == expected_targets, path


def test_every_list_operation_is_paginated():
    paths = api.get_openapi_schema()["paths"]
    for (method, path), _targets in EXPECTED.items():
        if method == "GET" and "{id}" not in path:
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
