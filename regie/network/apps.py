from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from regie.core import plugins
from regie.core.permissions import NETWORK_ROLES

READERS = plugins.for_roles(*NETWORK_ROLES)

CONTRIBUTION = plugins.AppContribution(
    label="network",
    urls=(plugins.UrlMount("network/", "regie.network.urls"),),
    api_routers=("regie.network.api.router",),
    menu=(
        plugins.MenuEntry(
            key="bodies",
            label=_("Bodies and meetings"),
            url_name="network:body_list",
            group="networks",
            order=10,
            visible=READERS,
        ),
        plugins.MenuEntry(
            key="my_follow_ups",
            label=_("My follow-ups"),
            url_name="network:my_follow_ups",
            group="networks",
            order=20,
            visible=READERS,
        ),
    ),
)


class NetworkConfig(AppConfig):
    name = "regie.network"
    label = "network"
    verbose_name = _("Networks")

    def ready(self) -> None:
        plugins.register(CONTRIBUTION)
