from django.apps import AppConfig
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from regie.core import plugins
from regie.core.permissions import FIELD_ROLES, Role

CONTRIBUTION = plugins.AppContribution(
    label="clients",
    urls=(plugins.UrlMount("clients/", "regie.clients.urls"),),
    api_routers=("regie.clients.api.router",),
    menu=(
        plugins.MenuEntry(
            key="clients",
            label=_("Clients"),
            url_name="clients:client_list",
            group="clients",
            order=10,
            visible=plugins.for_roles(*FIELD_ROLES),
        ),
        plugins.MenuEntry(
            key="client_follow_ups",
            label=_("My client follow-ups"),
            url_name="clients:follow_up_list",
            group="clients",
            order=20,
            visible=plugins.for_roles(Role.COUNSELLOR),
        ),
        plugins.MenuEntry(
            key="progression",
            label=_("Progression"),
            url_name="clients:progression",
            group="clients",
            order=30,
            visible=plugins.for_roles(Role.VIEWER, Role.ADMIN),
        ),
        plugins.MenuEntry(
            key="client_access_log",
            label=_("Access log"),
            url_name="clients:access_log",
            group="clients",
            order=40,
            visible=plugins.for_roles(Role.ADMIN),
        ),
    ),
)


class ClientsConfig(AppConfig):
    name = "regie.clients"
    label = "clients"
    verbose_name = _("Clients")

    def ready(self) -> None:
        # Without the key no national number can be stored or read: refuse to start at all.
        if not settings.DEBUG and getattr(settings, "REGIE_INSZ_KEY", None) is None:
            raise ImproperlyConfigured(
                "REGIE_INSZ_KEY must be set when DEBUG is off: base64 of 32 random bytes, e.g. "
                "python3 -c 'import base64, os; print(base64.b64encode(os.urandom(32)).decode())'"
            )
        plugins.register(CONTRIBUTION)
