from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from regie.core import plugins
from regie.core.permissions import NETWORK_ROLES

CONTRIBUTION = plugins.AppContribution(
    label="knowledge",
    urls=(plugins.UrlMount("knowledge/", "regie.knowledge.urls"),),
    api_routers=("regie.knowledge.api.router",),
    menu=(
        plugins.MenuEntry(
            key="knowledge",
            label=_("Knowledge base"),
            url_name="knowledge:home",
            group="networks",
            order=30,
            visible=plugins.for_roles(*NETWORK_ROLES),
        ),
    ),
)


class KnowledgeConfig(AppConfig):
    name = "regie.knowledge"
    label = "knowledge"
    verbose_name = _("Knowledge base")

    def ready(self) -> None:
        plugins.register(CONTRIBUTION)
