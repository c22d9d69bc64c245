from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from regie.core import plugins

# Log in and out, passwords (Django's views under their Django names) and the API's tokens.
CONTRIBUTION = plugins.AppContribution(
    label="accounts",
    urls=(plugins.UrlMount("accounts/", "regie.accounts.urls"),),
    api_token_check="regie.accounts.services.api_token_authenticate",
)


class AccountsConfig(AppConfig):
    name = "regie.accounts"
    label = "accounts"
    verbose_name = _("Accounts")

    def ready(self) -> None:
        plugins.register(CONTRIBUTION)
        from django.contrib.auth.signals import user_login_failed

        from regie.accounts import throttling

        # Django's own sign-in hook (axes counts through it too): failures per address.
        user_login_failed.connect(throttling.count_failure, dispatch_uid="regie-login-address")
