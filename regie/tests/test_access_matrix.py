"""Every web route × every role: the expected answer, generated from the URL resolver.

A route that is not in ``MATRIX`` fails ``test_every_route_is_in_the_matrix``: a new page must
say here who may open it. The API has its own matrix, built from the OpenAPI schema.
"""

import uuid
from collections.abc import Iterator
from typing import Any

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from regie.registry.tests.factories import AffiliationFactory, PersonFactory, RecognitionFactory

ROLES = ("anonymous", "coordinator", "partner", "counsellor", "viewer", "admin", "outsider")
SKIPPED_NAMESPACES = {"admin", "api"}  # Django's admin (staff only) and the API matrix

LOGIN = "login"  # anonymous users are sent to the login page
OK, MOVED, GONE, NOT_ALLOWED = 200, 302, 404, 405


def row(anonymous: Any = LOGIN, *, default: int = OK, **roles: int) -> dict[str, Any]:
    expected = dict.fromkeys(ROLES, default)
    expected["anonymous"] = anonymous
    expected.update(roles)
    return expected


REGION_READERS = row(viewer=GONE)
REGION_MANAGERS = row(partner=GONE, counsellor=GONE, viewer=GONE)
IN_SCOPE_READERS = row(viewer=GONE, outsider=GONE)
IN_SCOPE_EDITORS = row(counsellor=GONE, viewer=GONE, outsider=GONE)
IN_SCOPE_MANAGERS = row(partner=GONE, counsellor=GONE, viewer=GONE, outsider=GONE)
EVERYONE = row(anonymous=OK)

# route name → (method, URL kwargs from the world, expected status per role)
MATRIX: dict[str, tuple[str, Any, dict[str, Any]]] = {
    "home": ("get", None, row()),
    "login": ("get", None, row(anonymous=OK, default=MOVED)),
    "logout": ("post", None, row(anonymous=MOVED, default=MOVED)),
    "password_change": ("get", None, row()),
    "password_change_done": ("get", None, row()),
    "password_reset": ("get", None, EVERYONE),
    "password_reset_done": ("get", None, EVERYONE),
    "password_reset_confirm": (
        "get",
        lambda w: {"uidb64": "MQ", "token": "bad-token"},
        EVERYONE,
    ),
    "password_reset_complete": ("get", None, EVERYONE),
    "set_language": ("post", None, row(anonymous=MOVED, default=MOVED)),
    "registry:organisation_list": ("get", None, REGION_READERS),
    "registry:organisation_create": ("get", None, REGION_MANAGERS),
    "registry:organisation_detail": ("get", lambda w: {"pk": w["organisation"]}, IN_SCOPE_READERS),
    "registry:organisation_edit": ("get", lambda w: {"pk": w["organisation"]}, IN_SCOPE_EDITORS),
    "registry:organisation_contact": (
        "get",
        lambda w: {"pk": w["organisation"]},
        row(default=MOVED, counsellor=GONE, viewer=GONE, outsider=GONE),
    ),
    "registry:organisation_archive": (
        "post",
        lambda w: {"pk": w["organisation"]},
        row(default=MOVED, counsellor=GONE, viewer=GONE, outsider=GONE),
    ),
    "registry:site_create": ("get", lambda w: {"pk": w["organisation"]}, IN_SCOPE_EDITORS),
    "registry:site_edit": (
        "get",
        lambda w: {"pk": w["organisation"], "site_pk": w["site"]},
        IN_SCOPE_EDITORS,
    ),
    "registry:recognition_create": (
        "get",
        lambda w: {"pk": w["organisation"]},
        IN_SCOPE_MANAGERS,
    ),
    "registry:recognition_edit": (
        "get",
        lambda w: {"pk": w["organisation"], "recognition_pk": w["recognition"]},
        IN_SCOPE_MANAGERS,
    ),
    "registry:person_list": ("get", None, REGION_READERS),
    "registry:person_create": ("get", None, row(counsellor=GONE, viewer=GONE)),
    "registry:person_detail": ("get", lambda w: {"pk": w["person"]}, IN_SCOPE_READERS),
    "registry:person_edit": ("get", lambda w: {"pk": w["person"]}, IN_SCOPE_EDITORS),
    "registry:person_archive": (
        "post",
        lambda w: {"pk": w["person"]},
        row(default=MOVED, counsellor=GONE, viewer=GONE, outsider=GONE),
    ),
    "registry:affiliation_create": ("get", lambda w: {"pk": w["person"]}, IN_SCOPE_EDITORS),
    "registry:affiliation_edit": (
        "get",
        lambda w: {"pk": w["person"], "affiliation_pk": w["affiliation"]},
        IN_SCOPE_EDITORS,
    ),
    "registry:municipality_list": ("get", None, row()),
    "registry:import_upload": ("get", None, REGION_MANAGERS),
    "registry:import_preview": (
        "get",
        lambda w: {"token": uuid.uuid4()},
        row(default=GONE),
    ),
}


def _route_names(patterns: list[Any], namespace: str = "") -> Iterator[str]:
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            if pattern.namespace in SKIPPED_NAMESPACES:
                continue
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            yield from _route_names(pattern.url_patterns, inner)
        elif isinstance(pattern, URLPattern) and pattern.name:
            yield f"{namespace}{pattern.name}"


def test_every_route_is_in_the_matrix():
    routes = set(_route_names(get_resolver().url_patterns))
    assert routes - MATRIX.keys() == set(), "add these routes to MATRIX"
    assert MATRIX.keys() - routes == set(), "these MATRIX entries have no route any more"


@pytest.fixture
def world(cast, home_region, partner_organisation) -> dict[str, Any]:
    person = PersonFactory.create(region=home_region)
    affiliation = AffiliationFactory.create(person=person, organisation=partner_organisation)
    return {
        "organisation": partner_organisation.pk,
        "site": partner_organisation.sites.get().pk,
        "recognition": RecognitionFactory.create(organisation=partner_organisation).pk,
        "person": person.pk,
        "affiliation": affiliation.pk,
    }


@pytest.mark.parametrize(("route", "role"), [(route, role) for route in MATRIX for role in ROLES])
def test_access(client, cast, world, route, role):
    method, kwargs, expected = MATRIX[route]
    url = reverse(route, kwargs=kwargs(world) if kwargs else None)
    if role != "anonymous":
        client.force_login(cast[role])
    response = getattr(client, method)(url)
    want = expected[role]
    if want == LOGIN:
        assert response.status_code == 302, f"{route} as {role}"
        assert response.url.startswith(reverse("login")), f"{route} as {role}"
    else:
        assert response.status_code == want, f"{route} as {role}: {response.status_code}"


@pytest.mark.parametrize(
    ("role", "status"),
    [("anonymous", 302), ("coordinator", 302), ("viewer", 302), ("admin", 200)],
)
def test_django_admin_is_for_staff_only(client, cast, role, status):
    if role != "anonymous":
        client.force_login(cast[role])
    assert client.get(reverse("admin:index")).status_code == status
