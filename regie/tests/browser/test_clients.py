"""Client files in a real browser: a worrying doorstep talk becomes a follow-up for the
counsellor, a colleague who does not follow the client gets a 404, the coordinator reveals a
national number with a reason and finds it in the access log, a viewer sees suppressed
figures."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse
from playwright.sync_api import Page, expect

from regie.accounts.models import User
from regie.accounts.tests.factories import UserFactory
from regie.clients import services
from regie.clients.models import Client, ClientCounsellor, ClientFollowUp
from regie.clients.tests import factories
from regie.core.permissions import Role
from regie.tests.browser.conftest import AxeCheck, Login, Screenshot, nl

pytestmark = pytest.mark.browser


@pytest.fixture
def followed_client(home_region, home_municipality, partner_organisation, counsellor) -> Client:
    """A client the counsellor follows, in AZ at the partner's organisation since 2019."""
    client = factories.ClientFactory.create(
        region=home_region,
        organisation=partner_organisation,
        municipality=home_municipality,
        first_name="Fatima",
        last_name="Vandenberghe",
        street="Leiestraat 12",
        postcode="8500",
        phone="0471 23 45 67",
    )
    ClientCounsellor.objects.create(
        client=client, counsellor=counsellor, start=datetime.date(2019, 1, 1)
    )
    factories.StepFactory.create(
        trajectory=factories.TrajectoryFactory.create(client=client),
        organisation=partner_organisation,
        hours_per_week=Decimal("16"),
    )
    for number in range(3):
        other = factories.ClientFactory.create(
            region=home_region,
            organisation=partner_organisation,
            municipality=home_municipality,
            first_name=["Jonas", "Sofie", "Mehmet"][number],
            last_name=["Declercq", "Maes", "Yilmaz"][number],
        )
        ClientCounsellor.objects.create(
            client=other, counsellor=counsellor, start=datetime.date(2019, 1, 1)
        )
    return client


def test_a_counsellor_records_a_worrying_doorstep_talk_and_finds_the_follow_up(
    page: Page,
    counsellor: User,
    followed_client: Client,
    home_region,
    partner_organisation,
    login: Login,
    axe: AxeCheck,
    screenshot: Screenshot,
):
    login(page, counsellor)
    page.get_by_role("button", name=nl("Clients"), exact=True).click()
    page.get_by_role("link", name=nl("Clients"), exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(nl("Clients"))
    expect(page.get_by_test_id("result-count")).to_contain_text("4")
    axe(page)
    page.get_by_label(nl("Search"), exact=True).fill("vanden")
    expect(page.get_by_test_id("result-count")).to_contain_text("1")
    screenshot(page, "clients-list")

    page.get_by_role("link", name="Vandenberghe, Fatima").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Fatima Vandenberghe")
    axe(page)
    screenshot(page, "clients-detail")

    page.get_by_role("link", name=nl("New contact")).first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text(nl("New contact"))
    page.locator("#id_kind").select_option("doorstep")
    page.locator("#id_on").fill("2020-04-16")
    page.locator("#id_note").fill("Voelt zich alleen thuis; mist de collega's.")
    page.locator("#id_wellbeing_flag").check()
    axe(page)
    screenshot(page, "clients-contact")
    page.get_by_role("button", name=nl("Save")).click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Fatima Vandenberghe")
    expect(page.get_by_role("alert")).to_contain_text(
        nl("A follow-up was created for the client's counsellor.")
    )
    expect(page.get_by_text("Voelt zich alleen thuis; mist de collega's.")).to_be_visible()
    axe(page)
    follow_up = ClientFollowUp.objects.get()
    assert follow_up.assignee == counsellor

    page.get_by_role("button", name=nl("Clients"), exact=True).click()
    page.get_by_role("link", name=nl("My client follow-ups")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(nl("My client follow-ups"))
    row = page.get_by_role("row").filter(has_text="Fatima Vandenberghe")
    expect(row).to_be_visible()
    axe(page)
    screenshot(page, "clients-follow-ups")
    row.get_by_role("button").click()
    expect(page.get_by_text(nl("No open follow-ups."))).to_be_visible()
    follow_up.refresh_from_db()
    assert follow_up.status == "done"

    # A colleague of another organisation who does not follow the client: 404.
    stranger = UserFactory.create(
        username="stranger",
        role=Role.COUNSELLOR,
        region=home_region,
        organisation=factories.OrganisationFactory.create(region=home_region),
    )
    page.context.clear_cookies()
    login(page, stranger)
    response = page.goto(reverse("clients:client_detail", args=[followed_client.pk]))
    assert response is not None
    assert response.status == 404
    expect(page.get_by_text("Fatima")).to_have_count(0)


def test_the_coordinator_reveals_a_national_number_and_reads_the_access_log(
    page: Page,
    coordinator: User,
    followed_client: Client,
    partner_organisation,
    login: Login,
    axe: AxeCheck,
    screenshot: Screenshot,
):
    factories.OrganisationLegalBasisFactory.create(organisation=partner_organisation)
    number = factories.synthetic_insz(datetime.date(1985, 7, 30), 33)
    services.client_national_number_set(
        actor=coordinator, client=followed_client, national_number=number
    )
    login(page, coordinator)
    page.goto(reverse("clients:client_detail", args=[followed_client.pk]))
    masked = page.get_by_test_id("national-number-masked")
    expect(masked).to_have_text("INSZ ••.••.••-033.••")

    page.get_by_role("link", name=nl("Show the full number…")).click()
    page.get_by_label(nl("Why do you need the full number?")).fill("Attest voor de RVA")
    axe(page)
    page.get_by_role("button", name=nl("Show the full number")).click()
    expect(page.get_by_test_id("national-number")).to_have_text(number)
    axe(page)
    screenshot(page, "clients-national-number")
    page.get_by_role("link", name=nl("Hide")).click()
    expect(page.get_by_test_id("national-number")).to_have_count(0)
    assert number not in page.url

    page.get_by_role("link", name=nl("Access log")).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(nl("Access log"))
    expect(page.get_by_role("cell", name="Attest voor de RVA")).to_be_visible()
    axe(page)
    screenshot(page, "clients-access-log")


def test_a_viewer_sees_only_suppressed_figures(
    page: Page,
    viewer: User,
    followed_client: Client,
    login: Login,
    axe: AxeCheck,
    screenshot: Screenshot,
):
    login(page, viewer)
    page.get_by_role("link", name=nl("Progression")).click()  # the viewer's only client page
    page.get_by_label(nl("Year")).select_option("2019")
    page.get_by_role("button", name=nl("Show"), exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(nl("Progression"))
    expect(page.get_by_text("Vandenberghe")).to_have_count(0)
    expect(page.locator("abbr", has_text=nl("suppressed")).first).to_be_visible()
    axe(page)
    screenshot(page, "clients-progression")
    page.goto(reverse("clients:client_list"))
    assert "Vandenberghe" not in page.content()
