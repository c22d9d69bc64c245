"""Login, logout, password change and reset, and the username lock of django-axes."""

import re
from typing import TYPE_CHECKING

import pytest
from django.conf import settings
from django.core.mail import EmailMessage
from django.test import Client
from django.urls import reverse
from django.utils import translation

from regie.accounts.forms import LoginForm
from regie.accounts.models import User
from regie.accounts.tests.factories import PASSWORD
from regie.core.permissions import Role

if TYPE_CHECKING:
    from django.test.client import _MonkeyPatchedWSGIResponse as Response

NEW_PASSWORD = "nieuw-wachtwoord-voor-regie-42"
ROLES = ["coordinator", "partner", "counsellor", "viewer", "admin_user"]


def log_in(
    client: Client,
    username: str,
    password: str = PASSWORD,
    *,
    remote_addr: str = "127.0.0.1",
    language: str = "nl",
) -> "Response":
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    return client.post(
        reverse("login"),
        {"username": username, "password": password},
        REMOTE_ADDR=remote_addr,
    )


def logged_in_user_id(client: Client) -> str | None:
    return client.session.get("_auth_user_id")


def invalid_login_message(language: str) -> str:
    with translation.override(language):
        form = LoginForm()
        return str(form.error_messages["invalid_login"]) % {
            "username": form.username_field.verbose_name
        }


@pytest.mark.parametrize("role", ROLES)
def test_each_role_logs_in_and_lands_on_the_overview(client, request, role):
    user: User = request.getfixturevalue(role)

    response = log_in(client, user.username)

    assert response.status_code == 302
    assert response["Location"] == reverse("home")
    assert logged_in_user_id(client) == str(user.pk)


def test_login_follows_a_safe_next_and_ignores_a_foreign_one(client, coordinator):
    response = client.post(
        reverse("login"),
        {"username": "coordinator", "password": PASSWORD, "next": "/registry/organisations/"},
    )
    assert response["Location"] == "/registry/organisations/"

    client.post(reverse("logout"))
    response = client.post(
        reverse("login"),
        {"username": "coordinator", "password": PASSWORD, "next": "https://evil.example/"},
    )
    assert response["Location"] == reverse("home")


def test_login_page_sends_a_logged_in_user_home(client, coordinator):
    client.force_login(coordinator)

    response = client.get(reverse("login"))

    assert response.status_code == 302
    assert response["Location"] == reverse("home")


def test_wrong_password_shows_a_translated_error_and_logs_nobody_in(client, coordinator):
    dutch, english = invalid_login_message("nl"), invalid_login_message("en")
    assert dutch != english

    response = log_in(client, "coordinator", "niet-het-wachtwoord")

    assert response.status_code == 200
    assert dutch in response.content.decode()
    assert logged_in_user_id(client) is None

    response = log_in(client, "coordinator", "niet-het-wachtwoord", language="en")

    assert english in response.content.decode()


def test_logout_refuses_get(client, coordinator):
    client.force_login(coordinator)

    response = client.get(reverse("logout"))

    assert response.status_code == 405
    assert logged_in_user_id(client) == str(coordinator.pk)


def test_logout_by_post_ends_the_session_and_shows_the_login_page(client, coordinator):
    client.force_login(coordinator)

    response = client.post(reverse("logout"))

    assert response.status_code == 302
    assert response["Location"] == reverse("login")
    assert logged_in_user_id(client) is None


def test_password_change_needs_a_login(client):
    response = client.get(reverse("password_change"))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_password_change_keeps_the_user_logged_in(client, coordinator):
    client.force_login(coordinator)

    response = client.post(
        reverse("password_change"),
        {"old_password": PASSWORD, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )

    assert response.status_code == 302
    assert response["Location"] == reverse("password_change_done")
    coordinator.refresh_from_db()
    assert coordinator.check_password(NEW_PASSWORD)
    assert logged_in_user_id(client) == str(coordinator.pk)
    assert client.get(reverse("password_change_done")).status_code == 200


def test_password_change_with_a_wrong_old_password_changes_nothing(client, coordinator):
    client.force_login(coordinator)

    response = client.post(
        reverse("password_change"),
        {"old_password": "fout", "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )

    assert response.status_code == 200
    assert "old_password" in response.context["form"].errors
    coordinator.refresh_from_db()
    assert coordinator.check_password(PASSWORD)


def test_tests_capture_mail_in_memory():
    assert settings.MAILERS["default"]["BACKEND"] == "django.core.mail.backends.locmem.EmailBackend"


def test_password_reset_mails_a_link_that_sets_a_new_password(
    client, coordinator, mailoutbox: list[EmailMessage]
):
    response = client.post(reverse("password_reset"), {"email": coordinator.email})

    assert response.status_code == 302
    assert response["Location"] == reverse("password_reset_done")
    assert len(mailoutbox) == 1
    message = mailoutbox[0]
    assert message.to == [coordinator.email]
    assert message.from_email == settings.DEFAULT_FROM_EMAIL
    match = re.search(r"https?://testserver(/\S+/)", str(message.body))
    assert match, message.body
    link = match.group(1)

    form_page = client.get(link, follow=True)
    assert form_page.context["validlink"] is True
    set_password_url = form_page.redirect_chain[-1][0]

    response = client.post(
        set_password_url, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD}
    )

    assert response.status_code == 302
    assert response["Location"] == reverse("password_reset_complete")
    assert log_in(client, "coordinator", NEW_PASSWORD).status_code == 302
    client.post(reverse("logout"))
    assert client.get(link, follow=True).context["validlink"] is False


def test_password_reset_for_an_unknown_address_sends_nothing_and_says_the_same(
    client, coordinator, mailoutbox: list[EmailMessage]
):
    response = client.post(reverse("password_reset"), {"email": "niemand@example.org"})

    assert response.status_code == 302
    assert response["Location"] == reverse("password_reset_done")
    assert mailoutbox == []


def test_four_failures_do_not_lock(client, coordinator):
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        log_in(client, "coordinator", "fout")

    response = log_in(client, "coordinator")

    assert response.status_code == 302
    assert logged_in_user_id(client) == str(coordinator.pk)


def test_five_failures_lock_the_username_but_not_the_address(client, coordinator, partner):
    assert settings.AXES_FAILURE_LIMIT == 5
    for _ in range(5):
        log_in(client, "coordinator", "fout")

    response = log_in(client, "coordinator")

    assert response.status_code == 429
    assert "registration/locked_out.html" in [t.name for t in response.templates]
    assert logged_in_user_id(client) is None

    response = log_in(client, "partner")

    assert response.status_code == 302
    assert logged_in_user_id(client) == str(partner.pk)


def test_the_lock_holds_for_the_user_name_from_that_address_only(client, coordinator):
    """Knowing the coordinator's user name is not enough to lock the coordinator out."""
    for _ in range(5):
        log_in(client, "coordinator", "fout", remote_addr="10.0.0.1")

    assert log_in(client, "coordinator", remote_addr="10.0.0.1").status_code == 429
    response = log_in(client, "coordinator", remote_addr="10.0.0.2")

    assert response.status_code == 302
    assert logged_in_user_id(client) == str(coordinator.pk)


def test_the_user_name_is_counted_case_folded(client, coordinator):
    for username in ["coordinator", "Coordinator", "COORDINATOR", "coordinator", "Coordinator"]:
        log_in(client, username, "fout")

    assert log_in(client, "coordinator").status_code == 429


def test_a_forged_forwarding_header_does_not_change_the_counted_address(client, coordinator):
    def through_the_proxy(forwarded: str, password: str = "fout") -> "Response":
        return client.post(
            reverse("login"),
            {"username": "coordinator", "password": password},
            REMOTE_ADDR="127.0.0.1",  # the proxy, which appends the address it saw
            HTTP_X_FORWARDED_FOR=forwarded,
        )

    for forged in ["1.1.1.1", "2.2.2.2", "3.3.3.3", "4.4.4.4", "5.5.5.5"]:
        through_the_proxy(f"{forged}, 81.82.83.84")

    assert through_the_proxy("9.9.9.9, 81.82.83.84", PASSWORD).status_code == 429
    assert through_the_proxy("81.82.83.84, 91.92.93.94", PASSWORD).status_code == 302


def test_failures_during_a_lock_out_do_not_extend_it(client, coordinator, settings):
    from axes.models import AccessAttempt

    for _ in range(5):
        log_in(client, "coordinator", "fout")
    locked_since = AccessAttempt.objects.get().attempt_time
    for _ in range(3):
        log_in(client, "coordinator", "fout")

    assert AccessAttempt.objects.get().attempt_time == locked_since


def test_spraying_from_one_address_meets_the_ceiling_without_locking_accounts(
    client, coordinator, partner, settings
):
    from django.core.cache import cache

    cache.clear()
    settings.REGIE_LOGIN_ADDRESS_RATE = (6, 900)
    for number in range(6):
        log_in(client, f"gebruiker{number}", "fout", remote_addr="81.82.83.84")

    refused = log_in(client, "partner", remote_addr="81.82.83.84")

    assert refused.status_code == 200
    assert refused.context["form"].has_error("__all__", code="address_blocked")
    assert logged_in_user_id(client) is None
    assert log_in(client, "partner", remote_addr="10.0.0.9").status_code == 302
    cache.clear()


def test_createsuperuser_makes_an_administrator(db):
    from django.core.management import call_command

    call_command(
        "createsuperuser", username="beheer", email="beheer@example.org", interactive=False
    )
    user = User.objects.get(username="beheer")
    assert user.role == Role.ADMIN
    assert user.is_superuser
