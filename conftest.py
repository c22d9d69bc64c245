"""The shared cast: one user per role, in one region, so every permission test speaks alike.

``coordinator``, ``partner``, ``counsellor`` and ``viewer`` work in region ``home_region``;
``outsider`` is a coordinator of another region; ``admin`` is the technical administrator.
"""

import pytest

from regie.accounts.models import User
from regie.accounts.tests.factories import UserFactory
from regie.core.permissions import Role
from regie.registry.models import Municipality, Organisation, Region
from regie.registry.tests.factories import (
    MunicipalityFactory,
    OrganisationFactory,
    RegionFactory,
    RegionMembershipFactory,
    SiteFactory,
)
from regie.tests import n_plus_one, undefined_variables


def pytest_configure(config: pytest.Config) -> None:
    """A template variable that does not exist fails the test (see ``undefined_variables``), and
    so does an N+1 in a request (see ``n_plus_one``)."""
    undefined_variables.install()
    n_plus_one.install()


@pytest.fixture
def home_municipality(db) -> Municipality:
    return MunicipalityFactory.create(nis_code="34022", name="Kortrijk", postcode="8500")


@pytest.fixture
def home_region(db, home_municipality) -> Region:
    region = RegionFactory.create(code="w13", name="Welzijn13")
    RegionMembershipFactory.create(region=region, municipality=home_municipality)
    return region


@pytest.fixture
def other_region(db) -> Region:
    region = RegionFactory.create(code="other", name="Andere regio")
    RegionMembershipFactory.create(region=region)
    return region


@pytest.fixture
def partner_organisation(home_region, home_municipality) -> Organisation:
    organisation = OrganisationFactory.create(region=home_region, name="De Werkplaats")
    SiteFactory.create(organisation=organisation, municipality=home_municipality, postcode="8500")
    return organisation


@pytest.fixture
def coordinator(home_region) -> User:
    return UserFactory.create(username="coordinator", role=Role.COORDINATOR, region=home_region)


@pytest.fixture
def partner(home_region, partner_organisation) -> User:
    return UserFactory.create(
        username="partner",
        role=Role.PARTNER,
        region=home_region,
        organisation=partner_organisation,
    )


@pytest.fixture
def counsellor(home_region, partner_organisation) -> User:
    return UserFactory.create(
        username="counsellor",
        role=Role.COUNSELLOR,
        region=home_region,
        organisation=partner_organisation,
    )


@pytest.fixture
def viewer(home_region, home_municipality) -> User:
    return UserFactory.create(
        username="viewer", role=Role.VIEWER, region=home_region, municipality=home_municipality
    )


@pytest.fixture
def admin_user(db) -> User:
    return UserFactory.create(username="admin", role=Role.ADMIN, is_staff=True, is_superuser=True)


@pytest.fixture
def outsider(other_region) -> User:
    return UserFactory.create(username="outsider", role=Role.COORDINATOR, region=other_region)


@pytest.fixture
def cast(coordinator, partner, counsellor, viewer, admin_user, outsider) -> dict[str, User]:
    return {
        "coordinator": coordinator,
        "partner": partner,
        "counsellor": counsellor,
        "viewer": viewer,
        "admin": admin_user,
        "outsider": outsider,
    }


@pytest.fixture(autouse=True)
def _erasure_log(settings, tmp_path):
    """A test's erasures go to its own log, never to the developer's ``var/erasures``."""
    settings.REGIE_ERASURE_LOG = tmp_path / "erasures.jsonl"


@pytest.fixture(autouse=True)
def _dutch_by_default():
    """Every test starts in the site's language: a request in English (a language cookie)
    leaves its language active in the thread, which must not reach the next test."""
    from django.conf import settings
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture(autouse=True)
def _empty_cache():
    """Rate limits and other cached state never leak from one test into the next."""
    from django.core.cache import cache

    cache.clear()


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
