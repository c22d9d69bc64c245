"""The role vocabulary lives once, in ``core.permissions``, and code spells no role as a string."""

import ast
from pathlib import Path

import pytest
from django.contrib.auth.models import AnonymousUser

from regie.accounts.tests.factories import UserFactory
from regie.core.permissions import (
    FIELD_ROLES,
    MANAGERS,
    NETWORK_ROLES,
    Role,
    in_municipality,
    in_organisation,
    in_region,
    role_of,
)
from regie.registry.models import Organisation
from regie.registry.tests.factories import OrganisationFactory, RegionFactory

REGIE = Path(__file__).resolve().parents[2]
ROLE_VALUES = set(Role.values)
# Calls whose arguments are roles, and the functions whose result is one.
ROLE_ARGUMENTS = {"role_required", "for_roles", "client_page", "has_role"}
ROLE_RESULTS = {"role_of"}


def _name(node: ast.expr) -> str:
    if isinstance(node, ast.Attribute):
        return node.attr
    return node.id if isinstance(node, ast.Name) else ""


def _quoted_roles(tree: ast.AST) -> list[int]:
    """Lines where a role is a string: an argument of a role check, compared with ``role_of``,
    or an element of a tuple, list or set of role names."""
    lines = []
    for node in ast.walk(tree):
        strings: list[ast.expr] = []
        if isinstance(node, ast.Call) and _name(node.func) in ROLE_ARGUMENTS:
            strings = list(node.args)
        elif isinstance(node, ast.Compare) and any(
            isinstance(side, ast.Call) and _name(side.func) in ROLE_RESULTS
            for side in [node.left, *node.comparators]
        ):
            for side in [node.left, *node.comparators]:
                strings += list(side.elts) if isinstance(side, ast.Tuple | ast.Set) else [side]
        elif isinstance(node, ast.Tuple | ast.List | ast.Set) and len(node.elts) > 1:
            values = [e.value for e in node.elts if isinstance(e, ast.Constant)]
            if len(values) == len(node.elts) and set(values) <= ROLE_VALUES:
                strings = list(node.elts)
        lines += [
            s.lineno for s in strings if isinstance(s, ast.Constant) and s.value in ROLE_VALUES
        ]
    return lines


def test_no_module_spells_a_role_as_a_string():
    """``Role.PARTNER`` or a named set, never ``"partner"`` (tests and migrations aside)."""
    found = []
    for path in sorted(REGIE.rglob("*.py")):
        parts = path.relative_to(REGIE).parts
        if "tests" in parts or "migrations" in parts:
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        found += [f"{path.relative_to(REGIE.parent)}:{line}" for line in _quoted_roles(tree)]
    assert found == []


def test_the_check_finds_a_quoted_role():
    source = """
@role_required("coordinator", "admin")
def view(request): ...
READERS = ("admin", "coordinator")
if role_of(user) == "viewer": ...
if role_of(user) in {"partner", Role.ADMIN}: ...
"""
    assert _quoted_roles(ast.parse(source)) == [2, 2, 4, 4, 5, 6]


@pytest.mark.django_db
def test_role_of_reads_the_role_of_a_signed_in_active_user():
    coordinator = UserFactory.create(role=Role.COORDINATOR, region=RegionFactory.create())
    assert role_of(coordinator) is Role.COORDINATOR


@pytest.mark.django_db
def test_a_superuser_is_an_admin_whatever_their_stored_role():
    superuser = UserFactory.create(
        role=Role.COORDINATOR, region=RegionFactory.create(), is_superuser=True
    )
    assert role_of(superuser) is Role.ADMIN


@pytest.mark.django_db
def test_nobody_has_a_role():
    inactive = UserFactory.create(role=Role.COORDINATOR, region=RegionFactory.create())
    inactive.is_active = False
    assert role_of(inactive) is None
    assert role_of(AnonymousUser()) is None
    assert role_of(None) is None


def test_the_named_sets():
    assert {Role.ADMIN, Role.COORDINATOR} == MANAGERS
    assert set(Role) - {Role.VIEWER} == NETWORK_ROLES
    assert {Role.COORDINATOR, Role.PARTNER, Role.COUNSELLOR} == FIELD_ROLES


@pytest.mark.django_db
def test_a_binding_filters_on_it_and_matches_nothing_without_one():
    region = RegionFactory.create()
    own = OrganisationFactory.create(region=region)
    OrganisationFactory.create(region=RegionFactory.create())
    bound = UserFactory.create(role=Role.PARTNER, region=region, organisation=own)
    unbound = UserFactory.build(role=Role.PARTNER)  # as if the constraints were not there
    organisations = Organisation.objects.all()
    assert list(organisations.filter(in_region(bound))) == [own]
    assert list(organisations.filter(in_organisation(bound, "pk"))) == [own]
    assert not organisations.filter(in_region(unbound)).exists()
    assert not organisations.filter(in_organisation(unbound, "pk")).exists()
    assert not organisations.filter(in_municipality(bound, "sites__municipality_id")).exists()
