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
