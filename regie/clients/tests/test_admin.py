"""Django's admin holds no client file: the technical administrator sees devices, sessions,
legal bases of organisations and the access log (by client code), nothing else of clients."""

import pytest
from django.contrib import admin
from django.urls import reverse

from regie.clients import models
from regie.clients.access import access_record
from regie.clients.models import AccessAction

pytestmark = pytest.mark.django_db

PERSONAL = [
    models.Client,
    models.ClientCounsellor,
    models.SupportNeed,
    models.LegalBasis,
    models.Referral,
    models.Trajectory,
    models.Step,
    models.Contact,
    models.ClientFollowUp,
    models.Loan,
    models.Enrolment,
]


def test_no_client_record_is_registered_in_the_admin():
    registered = set(admin.site._registry)
    assert registered.isdisjoint(PERSONAL)
    assert registered.issuperset(
        {models.AccessLog, models.Device, models.SkillsSession, models.OrganisationLegalBasis}
    )


def test_the_access_log_in_the_admin_names_clients_by_code(client, admin_user, own_client):
    access_record(
        user=admin_user, clients=[own_client], action=AccessAction.VIEW, what="client file"
    )
    client.force_login(admin_user)
    page = client.get(reverse("admin:clients_accesslog_changelist"))
    assert own_client.code in page.text
    assert own_client.last_name not in page.text
    assert client.get(reverse("admin:clients_accesslog_add")).status_code == 403
