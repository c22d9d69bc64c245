from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from regie.core import plugins
from regie.core.permissions import MANAGERS, NETWORK_ROLES

READERS = plugins.for_roles(*NETWORK_ROLES)

CONTRIBUTION = plugins.AppContribution(
    label="registry",
    urls=(plugins.UrlMount("registry/", "regie.registry.urls"),),
    api_routers=("regie.registry.api.router",),
    home_view="regie.registry.views.home",
    menu=(
        plugins.MenuEntry(
            key="home", label=_("Overview"), url_name="home", group="overview", order=10
        ),
        plugins.MenuEntry(
            key="organisations",
            label=_("Organisations"),
            url_name="registry:organisation_list",
            group="registry",
            order=10,
            visible=READERS,
        ),
        plugins.MenuEntry(
            key="people",
            label=_("People"),
            url_name="registry:person_list",
            group="registry",
            order=20,
            visible=READERS,
        ),
        plugins.MenuEntry(
            key="municipalities",
            label=_("Municipalities"),
            url_name="registry:municipality_list",
            group="registry",
            order=30,
        ),
        plugins.MenuEntry(
            key="import",
            label=_("Import"),
            url_name="registry:import_upload",
            group="registry",
            order=40,
            visible=plugins.for_roles(*MANAGERS),
        ),
    ),
)


class RegistryConfig(AppConfig):
    name = "regie.registry"
    label = "registry"
    verbose_name = _("Registry")

    def ready(self) -> None:
        plugins.register(CONTRIBUTION)
