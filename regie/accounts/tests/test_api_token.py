"""Personal API tokens: made by ``create_api_token``, sent as ``Authorization: Bearer``."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.test import Client
from django.utils import timezone

from regie.accounts.models import ApiToken, User
from regie.core.models import AuditEntry
from regie.registry.models import Organisation

ORGANISATIONS = "/api/v1/organisations"


def create_token(username: str) -> str:
    out = StringIO()
    call_command("create_api_token", username, stdout=out)
    return out.getvalue().strip()


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def test_command_prints_a_token_that_works(client, partner, partner_organisation):
    token = create_token("partner")

    response = client.get(ORGANISATIONS, headers=bearer(token))

    assert token.startswith(ApiToken.PREFIX)
    assert response.status_code == 200
    assert [item["id"] for item in response.json()["items"]] == [partner_organisation.pk]


def test_only_a_hash_of_the_token_is_stored(partner):
    token = create_token("partner")

    stored = ApiToken.objects.get(user=partner)

    assert stored.key_hash == ApiToken.hash(token)
    assert token not in stored.key_hash
    assert AuditEntry.objects.filter(action="api_token.create", actor=partner).exists()


def test_command_names_an_unknown_user(db):
    with pytest.raises(CommandError, match="nobody"):
        call_command("create_api_token", "nobody", stdout=StringIO())


def test_use_of_a_token_is_recorded(client, partner):
    token = create_token("partner")

    client.get(ORGANISATIONS, headers=bearer(token))

    assert ApiToken.objects.get(user=partner).last_used_at is not None


def test_revoked_token_gets_401(client, partner):
    token = create_token("partner")
    ApiToken.objects.filter(user=partner).update(revoked_at=timezone.now())

    response = client.get(ORGANISATIONS, headers=bearer(token))

    assert response.status_code == 401
    assert response.json()["detail"]
    assert response.headers["WWW-Authenticate"] == "Bearer"


def test_wrong_token_gets_401(client, partner):
    create_token("partner")

    response = client.get(ORGANISATIONS, headers=bearer(ApiToken.generate_key()))

    assert response.status_code == 401


def test_token_of_a_deactivated_user_gets_401(client, partner):
    token = create_token("partner")
    User.objects.filter(pk=partner.pk).update(is_active=False)

    response = client.get(ORGANISATIONS, headers=bearer(token))

    assert response.status_code == 401


@pytest.mark.parametrize("header", ["Token {token}", "{token}", "Bearer", "Basic {token}"])
def test_malformed_authorization_header_gets_401(client, partner, header):
    token = create_token("partner")

    response = client.get(ORGANISATIONS, headers={"Authorization": header.format(token=token)})

    assert response.status_code == 401


def test_no_credentials_get_401_json(client, db):
    response = client.get(ORGANISATIONS)

    assert response.status_code == 401
    assert response.headers["Content-Type"].startswith("application/json")
    assert response.json() == {"detail": response.json()["detail"], "errors": {}}


def test_token_writes_need_no_csrf_token(coordinator, home_region):
    token = create_token("coordinator")
    client = Client(enforce_csrf_checks=True)

    response = client.post(
        ORGANISATIONS,
        {"name": "Kringwinkel Token", "kind": "se_company"},
        content_type="application/json",
        headers=bearer(token),
    )

    assert response.status_code == 201
    created = Organisation.objects.get(pk=response.json()["id"])
    assert created.history.get().history_user == coordinator


def test_session_writes_need_the_csrf_token(coordinator, home_region):
    client = Client(enforce_csrf_checks=True)
    client.force_login(coordinator)
    body = {"name": "Kringwinkel Sessie", "kind": "se_company"}

    refused = client.post(ORGANISATIONS, body, content_type="application/json")
    client.get("/api/v1/docs")  # sets the csrftoken cookie, as a page would
    csrf = client.cookies["csrftoken"].value
    accepted = client.post(
        ORGANISATIONS, body, content_type="application/json", headers={"X-CSRFToken": csrf}
    )

    assert refused.status_code == 403
    assert "CSRF" in refused.json()["detail"]
    assert accepted.status_code == 201
    assert Organisation.objects.filter(name="Kringwinkel Sessie").count() == 1


def test_session_reads_need_no_csrf_token(coordinator):
    client = Client(enforce_csrf_checks=True)
    client.force_login(coordinator)

    assert client.get(ORGANISATIONS).status_code == 200


def test_anonymous_write_gets_401_not_a_csrf_error(db):
    client = Client(enforce_csrf_checks=True)

    response = client.post(
        ORGANISATIONS, {"name": "X", "kind": "se_company"}, content_type="application/json"
    )

    assert response.status_code == 401
