import pytest
from django.urls import reverse

from regie.registry.models import Affiliation, Person
from regie.registry.tests.factories import AffiliationFactory, OrganisationFactory, PersonFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def colleague(home_region, partner_organisation):
    person = PersonFactory.create(region=home_region, first_name="Ann", last_name="Claes")
    AffiliationFactory.create(person=person, organisation=partner_organisation)
    return person


@pytest.fixture
def stranger(home_region):
    person = PersonFactory.create(region=home_region, first_name="Bart", last_name="Elders")
    AffiliationFactory.create(
        person=person, organisation=OrganisationFactory.create(region=home_region)
    )
    return person


def test_coordinator_sees_everyone_in_the_region(client, coordinator, colleague, stranger):
    client.force_login(coordinator)
    response = client.get(reverse("registry:person_list"))
    assert "Claes" in response.text
    assert "Elders" in response.text


def test_partner_sees_only_colleagues(client, partner, colleague, stranger):
    client.force_login(partner)
    response = client.get(reverse("registry:person_list"))
    assert "Claes" in response.text
    assert "Elders" not in response.text
    assert client.get(reverse("registry:person_detail", args=[stranger.pk])).status_code == 404


def test_viewer_has_no_people_pages(client, viewer, colleague):
    client.force_login(viewer)
    assert client.get(reverse("registry:person_list")).status_code == 404
    assert client.get(reverse("registry:person_detail", args=[colleague.pk])).status_code == 404


def test_partner_creates_a_colleague_with_a_function(client, partner, partner_organisation):
    client.force_login(partner)
    url = reverse("registry:person_create")
    missing = client.post(url, {"first_name": "Cas", "last_name": "Dewulf"})
    assert "organisation" in missing.context["form"].errors
    assert not Person.objects.filter(last_name="Dewulf").exists()
    client.post(
        url,
        {
            "first_name": "Cas",
            "last_name": "Dewulf",
            "email": "cas@example.org",
            "organisation": partner_organisation.pk,
            "function": "floor_supervisor",
        },
    )
    person = Person.objects.get(last_name="Dewulf")
    assert person.affiliations.get().function == "floor_supervisor"
    assert client.get(reverse("registry:person_detail", args=[person.pk])).status_code == 200


def test_bad_email_is_refused_beside_the_field(client, coordinator):
    client.force_login(coordinator)
    response = client.post(
        reverse("registry:person_create"),
        {"first_name": "Dirk", "last_name": "Fout", "email": "geen-mail"},
    )
    assert "email" in response.context["form"].errors
    assert not Person.objects.filter(last_name="Fout").exists()


def test_affiliation_end_before_start_is_refused(
    client, coordinator, colleague, partner_organisation
):
    client.force_login(coordinator)
    response = client.post(
        reverse("registry:affiliation_create", args=[colleague.pk]),
        {
            "organisation": partner_organisation.pk,
            "function": "jobcoach",
            "start": "2020-05-01",
            "end": "2020-01-01",
            "version": 1,
        },
    )
    assert "end" in response.context["form"].errors
    assert colleague.affiliations.count() == 1


def test_stale_person_edit_is_refused(client, coordinator, colleague):
    client.force_login(coordinator)
    Person.objects.filter(pk=colleague.pk).update(phone="1", version=5)
    response = client.post(
        reverse("registry:person_edit", args=[colleague.pk]),
        {"first_name": "Ann", "last_name": "Claes", "phone": "2", "version": 1},
    )
    assert response.context["stale"] is not None
    colleague.refresh_from_db()
    assert colleague.phone == "1"


def test_person_history_and_archive(client, coordinator, colleague):
    client.force_login(coordinator)
    client.post(
        reverse("registry:person_edit", args=[colleague.pk]),
        {"first_name": "Anna", "last_name": "Claes", "version": 1},
    )
    client.post(
        reverse("registry:person_archive", args=[colleague.pk]), {"version": 2, "archived": "1"}
    )
    colleague.refresh_from_db()
    assert colleague.is_archived
    assert colleague.history.count() == 3
    detail = client.get(reverse("registry:person_detail", args=[colleague.pk]))
    assert detail.context["history"][0].who == "coordinator"


def test_people_export_csv(client, coordinator, colleague):
    client.force_login(coordinator)
    response = client.get(reverse("registry:person_list"), {"export": "csv"})
    assert response["Content-Type"].startswith("text/csv")
    assert "Claes" in response.content.decode("utf-8-sig")


def test_affiliations_are_counted_once_per_person(
    client, coordinator, colleague, partner_organisation
):
    AffiliationFactory.create(
        person=colleague, organisation=partner_organisation, function="jobcoach"
    )
    client.force_login(coordinator)
    response = client.get(
        reverse("registry:person_list"), {"organisation": partner_organisation.pk}
    )
    assert response.context["page"].paginator.count == 1
    assert Affiliation.objects.filter(person=colleague).count() == 2
