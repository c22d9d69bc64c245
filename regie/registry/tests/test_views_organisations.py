import csv
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from regie.registry.models import Organisation, OrganisationKind
from regie.registry.tests.factories import (
    OrganisationFactory,
    RecognitionFactory,
    SiteFactory,
    kbo_for,
)

pytestmark = pytest.mark.django_db


def test_list_shows_only_the_region(client, coordinator, partner_organisation, other_region):
    OrganisationFactory.create(region=other_region, name="Elders vzw")
    client.force_login(coordinator)
    response = client.get(reverse("registry:organisation_list"))
    assert response.status_code == 200
    assert "De Werkplaats" in response.text
    assert "Elders vzw" not in response.text


def test_partner_sees_only_their_own_organisation(client, partner, home_region):
    OrganisationFactory.create(region=home_region, name="Buren vzw")
    client.force_login(partner)
    response = client.get(reverse("registry:organisation_list"))
    assert "De Werkplaats" in response.text
    assert "Buren vzw" not in response.text


def test_filters_search_and_sort(client, coordinator, home_region, home_municipality):
    lde = OrganisationFactory.create(region=home_region, name="Zorgwerk", kind=OrganisationKind.LDE)
    SiteFactory.create(organisation=lde, municipality=home_municipality, postcode="8500")
    OrganisationFactory.create(region=home_region, name="Atelier", kind=OrganisationKind.WORK_CARE)
    client.force_login(coordinator)
    url = reverse("registry:organisation_list")
    assert "Atelier" not in client.get(url, {"kind": "lde"}).text
    assert "Zorgwerk" in client.get(url, {"municipality": "34022", "kind": "lde"}).text
    assert "Zorgwerk" not in client.get(url, {"q": "atel"}).text
    names = [o.name for o in client.get(url, {"sort": "-name"}).context["page"]]
    assert names == sorted(names, reverse=True)


def test_htmx_request_renders_only_the_results(client, coordinator, partner_organisation):
    client.force_login(coordinator)
    response = client.get(
        reverse("registry:organisation_list"), {"q": "werk"}, headers={"HX-Request": "true"}
    )
    assert response.text.lstrip().startswith('<div id="results"')
    assert "<html" not in response.text


def test_archived_are_hidden_unless_asked(client, coordinator, home_region):
    OrganisationFactory.create(region=home_region, name="Oud vzw", is_archived=True)
    client.force_login(coordinator)
    url = reverse("registry:organisation_list")
    assert "Oud vzw" not in client.get(url).text
    assert "Oud vzw" in client.get(url, {"archived": "archived"}).text


def test_export_contains_exactly_the_filtered_rows_and_no_formulas(
    client, coordinator, home_region
):
    OrganisationFactory.create(region=home_region, name="=HYPERLINK(1)", kind="lde")
    OrganisationFactory.create(region=home_region, name="Ander", kind="work_care")
    client.force_login(coordinator)
    url = reverse("registry:organisation_list")
    response = client.get(url, {"kind": "lde", "export": "csv"})
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    assert [row[0] for row in rows[1:]] == ["'=HYPERLINK(1)"]
    response = client.get(url, {"kind": "lde", "export": "xlsx"})
    sheet = load_workbook(io.BytesIO(response.content)).worksheets[0]
    values = [row[0] for row in sheet.iter_rows(min_row=2, values_only=True)]
    assert values == ["'=HYPERLINK(1)"]


def test_list_and_export_query_counts_do_not_grow_with_rows(
    client, coordinator, home_region, home_municipality
):
    def fill(count: int) -> None:
        for _ in range(count):
            organisation = OrganisationFactory.create(region=home_region)
            SiteFactory.create(
                organisation=organisation, municipality=home_municipality, postcode="8500"
            )
            RecognitionFactory.create(organisation=organisation)

    def queries(**params: str) -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url, params).status_code == 200
        return len(captured.captured_queries)

    client.force_login(coordinator)
    url = reverse("registry:organisation_list")
    fill(5)
    few = queries(), queries(export="csv"), queries(export="xlsx")
    fill(495)
    many = queries(), queries(export="csv"), queries(export="xlsx")
    assert few == many


def test_create_refuses_a_wrong_kbo_beside_the_field(client, coordinator):
    client.force_login(coordinator)
    response = client.post(
        reverse("registry:organisation_create"),
        {"name": "Nieuw", "kbo": "0403.170.702", "kind": "se_company", "version": 1},
    )
    assert response.status_code == 200
    assert response.context["form"].errors["kbo"]
    assert not Organisation.objects.filter(name="Nieuw").exists()


def test_create_and_history(client, coordinator, home_region):
    client.force_login(coordinator)
    response = client.post(
        reverse("registry:organisation_create"),
        {"name": "Nieuw", "kbo": "0403.170.701", "kind": "se_company", "version": 1},
    )
    organisation = Organisation.objects.get(name="Nieuw")
    assert response.url == reverse("registry:organisation_detail", args=[organisation.pk])
    assert organisation.kbo == "0403170701"
    assert organisation.region == home_region
    assert organisation.history.get().history_user == coordinator


def test_duplicate_kbo_in_region_is_refused(client, coordinator, partner_organisation):
    client.force_login(coordinator)
    response = client.post(
        reverse("registry:organisation_create"),
        {"name": "Dubbel", "kbo": partner_organisation.kbo, "kind": "se_company", "version": 1},
    )
    assert "kbo" in response.context["form"].errors


def test_edit_records_history_shown_on_detail(client, coordinator, partner_organisation):
    client.force_login(coordinator)
    client.post(
        reverse("registry:organisation_edit", args=[partner_organisation.pk]),
        {
            "name": "De Nieuwe Werkplaats",
            "kbo": partner_organisation.kbo,
            "kind": "lde",
            "version": partner_organisation.version,
        },
    )
    partner_organisation.refresh_from_db()
    assert partner_organisation.name == "De Nieuwe Werkplaats"
    assert partner_organisation.version == 2
    detail = client.get(reverse("registry:organisation_detail", args=[partner_organisation.pk]))
    assert "De Werkplaats" in detail.text  # the old value, in the history
    assert detail.context["history"][0].who == "coordinator"


def test_stale_edit_is_refused_and_keeps_the_input(client, coordinator, partner_organisation):
    client.force_login(coordinator)
    url = reverse("registry:organisation_edit", args=[partner_organisation.pk])
    stale_version = partner_organisation.version
    Organisation.objects.filter(pk=partner_organisation.pk).update(name="Iemand anders", version=2)
    response = client.post(
        url,
        {
            "name": "Mijn versie",
            "kbo": partner_organisation.kbo,
            "kind": "se_company",
            "version": stale_version,
        },
    )
    assert response.status_code == 200
    assert "Mijn versie" in response.text
    assert response.context["stale"] == [("Naam", "De Werkplaats", "Iemand anders", "Mijn versie")]
    assert "Iemand anders" in response.text  # what is stored now, shown beside the input
    assert response.context["form"].data["version"] == 2
    partner_organisation.refresh_from_db()
    assert partner_organisation.name == "Iemand anders"
    # Saving again, now on the version shown, goes through.
    response = client.post(
        url,
        {
            "name": "Mijn versie",
            "kbo": partner_organisation.kbo,
            "kind": "se_company",
            "version": 2,
        },
    )
    partner_organisation.refresh_from_db()
    assert partner_organisation.name == "Mijn versie"


def test_archive_and_restore(client, coordinator, partner_organisation):
    client.force_login(coordinator)
    url = reverse("registry:organisation_archive", args=[partner_organisation.pk])
    assert client.get(url).status_code == 405
    client.post(url, {"version": partner_organisation.version, "archived": "1"})
    partner_organisation.refresh_from_db()
    assert partner_organisation.is_archived
    client.post(url, {"version": partner_organisation.version, "archived": "0"})
    partner_organisation.refresh_from_db()
    assert not partner_organisation.is_archived
    assert Organisation.objects.filter(pk=partner_organisation.pk).exists()


def test_inline_contact_edit(client, partner, partner_organisation):
    client.force_login(partner)
    url = reverse("registry:organisation_contact", args=[partner_organisation.pk])
    form = client.get(url, {"edit": "1"}, headers={"HX-Request": "true"})
    assert 'name="email"' in form.text
    bad = client.post(
        url,
        {"email": "geen-adres", "phone": "", "website": "", "version": 1},
        headers={"HX-Request": "true"},
    )
    assert "is-invalid" in bad.text
    saved = client.post(
        url,
        {"email": "info@werkplaats.example", "phone": "056 11 22 33", "website": "", "version": 1},
        headers={"HX-Request": "true"},
    )
    assert "info@werkplaats.example" in saved.text
    partner_organisation.refresh_from_db()
    assert partner_organisation.phone == "056 11 22 33"


def test_foreign_organisation_answers_404(client, outsider, partner_organisation):
    client.force_login(outsider)
    for name in ("organisation_detail", "organisation_edit", "organisation_contact"):
        url = reverse(f"registry:{name}", args=[partner_organisation.pk])
        assert client.get(url).status_code == 404


def test_counsellor_reads_but_cannot_edit(client, counsellor, partner_organisation):
    client.force_login(counsellor)
    detail = reverse("registry:organisation_detail", args=[partner_organisation.pk])
    assert client.get(detail).status_code == 200
    edit = reverse("registry:organisation_edit", args=[partner_organisation.pk])
    assert client.get(edit).status_code == 404


def test_recognition_must_start_within_the_measure(client, coordinator, partner_organisation):
    from regie.registry.models import Measure

    client.force_login(coordinator)
    lde = Measure.objects.get(code="LDE")
    response = client.post(
        reverse("registry:recognition_create", args=[partner_organisation.pk]),
        {
            "measure": lde.pk,
            "valid_from": "2024-01-01",
            "capacity": "5",
            "capacity_unit": "fte",
            "status": "active",
            "version": 1,
        },
    )
    assert "valid_from" in response.context["form"].errors
    assert not partner_organisation.recognitions.exists()


def test_site_postcode_must_belong_to_municipality(
    client, coordinator, partner_organisation, home_municipality
):
    client.force_login(coordinator)
    response = client.post(
        reverse("registry:site_create", args=[partner_organisation.pk]),
        {
            "street": "Kerkstraat 1",
            "postcode": "9000",
            "municipality": home_municipality.pk,
            "version": 1,
        },
    )
    assert "postcode" in response.context["form"].errors
    assert partner_organisation.sites.count() == 1


def test_new_main_site_demotes_the_old_one(
    client, coordinator, partner_organisation, home_municipality
):
    client.force_login(coordinator)
    client.post(
        reverse("registry:site_create", args=[partner_organisation.pk]),
        {
            "street": "Kerkstraat 1",
            "postcode": "8500",
            "municipality": home_municipality.pk,
            "is_main": "on",
            "version": 1,
        },
    )
    assert partner_organisation.sites.filter(is_main=True).count() == 1
    assert partner_organisation.sites.get(is_main=True).street == "Kerkstraat 1"


def test_kbo_factory_numbers_are_valid():
    from regie.registry.validators import normalise_kbo

    assert normalise_kbo(kbo_for(123)) == kbo_for(123)
