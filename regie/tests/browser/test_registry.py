"""The registry in a real browser: filter the organisations, create one, fix a wrong KBO."""

import pytest
from django.urls import reverse
from playwright.sync_api import Page, expect

from regie.accounts.models import User
from regie.registry.models import Organisation, OrganisationKind
from regie.registry.tests.factories import OrganisationFactory, RecognitionFactory, SiteFactory
from regie.tests.browser.conftest import AxeCheck, Login, Screenshot, nl

pytestmark = pytest.mark.browser


@pytest.fixture
def organisations(home_region, home_municipality, partner_organisation):
    RecognitionFactory.create(organisation=partner_organisation)
    for name, kind in [
        ("Atelier Het Anker", OrganisationKind.WORK_CARE),
        ("Buurtdiensten De Brug", OrganisationKind.LDE),
        ("Groendienst Leieland", OrganisationKind.LDE),
    ]:
        organisation = OrganisationFactory.create(region=home_region, name=name, kind=kind)
        SiteFactory.create(organisation=organisation, municipality=home_municipality)


def test_coordinator_filters_and_creates_an_organisation(
    page: Page,
    live_server,
    coordinator: User,
    organisations,
    login: Login,
    axe: AxeCheck,
    screenshot: Screenshot,
):
    login(page, coordinator)
    page.get_by_role("button", name=nl("Registry")).click()
    page.get_by_role("link", name=nl("Organisations"), exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(nl("Organisations"))
    expect(page.get_by_test_id("result-count")).to_contain_text("4")
    axe(page)

    page.get_by_label(nl("Kind")).select_option("lde")
    expect(page.get_by_test_id("result-count")).to_contain_text("2")
    expect(page.get_by_role("link", name="Atelier Het Anker")).to_have_count(0)
    assert "kind=lde" in page.url  # the filter is in the address, so it can be shared
    page.get_by_label(nl("Search")).fill("brug")
    expect(page.get_by_test_id("result-count")).to_contain_text("1")
    expect(page.get_by_role("link", name="Buurtdiensten De Brug")).to_be_visible()
    screenshot(page, "organisation-list")

    page.get_by_role("link", name=nl("New organisation")).click()
    page.get_by_label(nl("name"), exact=False).first.fill("Fietsatelier Op Wielen")
    kbo = page.get_by_label(nl("enterprise number"))
    kbo.fill("0403.170.702")
    page.get_by_label(nl("kind")).select_option("se_company")
    page.get_by_role("button", name=nl("Save")).click()

    error = page.locator("#id_kbo_error")
    expect(error).to_contain_text(
        nl("This enterprise number is not valid: the check digits do not match.")
    )
    expect(kbo).to_have_attribute("aria-invalid", "true")
    assert not Organisation.objects.filter(name="Fietsatelier Op Wielen").exists()
    axe(page)

    kbo.fill("0403.170.701")
    page.get_by_role("button", name=nl("Save")).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Fietsatelier Op Wielen")
    expect(page.get_by_text("0403.170.701")).to_be_visible()
    axe(page)
    screenshot(page, "organisation-detail")
    assert Organisation.objects.get(name="Fietsatelier Op Wielen").kbo == "0403170701"


def test_contact_data_are_edited_inline(
    page: Page, partner: User, partner_organisation, login: Login, axe: AxeCheck
):
    login(page, partner)
    page.goto(reverse("registry:organisation_detail", args=[partner_organisation.pk]))
    page.get_by_role("button", name=nl("Edit contact data")).click()
    page.get_by_label(nl("phone")).fill("056 12 34 56")
    axe(page)
    page.get_by_role("button", name=nl("Save")).click()
    expect(page.locator("#contact")).to_contain_text("056 12 34 56")
    partner_organisation.refresh_from_db()
    assert partner_organisation.phone == "056 12 34 56"
