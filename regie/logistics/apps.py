from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from regie.core import plugins
from regie.core.permissions import FIELD_ROLES
from regie.logistics.querysets import PLANNERS

ROUND_PLANNERS = plugins.for_roles(*PLANNERS)
_ON_A_ROUND = plugins.for_roles(*FIELD_ROLES)


def _has_rounds(actor: plugins.Actor) -> bool:
    """Rounds are a person's: the account must be linked to a person in the registry."""
    return _ON_A_ROUND(actor) and bool(getattr(actor, "person_id", None))


CONTRIBUTION = plugins.AppContribution(
    label="logistics",
    urls=(plugins.UrlMount("rounds/", "regie.logistics.urls"),),
    api_routers=("regie.logistics.api.router",),
    menu=(
        plugins.MenuEntry(
            key="rounds",
            label=_("Rounds"),
            url_name="logistics:plan_list",
            group="home_work",
            order=10,
            visible=ROUND_PLANNERS,
        ),
        plugins.MenuEntry(
            key="orders",
            label=_("Orders"),
            url_name="logistics:order_list",
            group="home_work",
            order=20,
            visible=ROUND_PLANNERS,
        ),
        plugins.MenuEntry(
            key="home_work",
            label=_("Home workers"),
            url_name="logistics:assignment_list",
            group="home_work",
            order=30,
            visible=ROUND_PLANNERS,
        ),
        plugins.MenuEntry(
            key="vans",
            label=_("Vans"),
            url_name="logistics:van_list",
            group="home_work",
            order=40,
            visible=ROUND_PLANNERS,
        ),
        plugins.MenuEntry(
            key="my_rounds",
            label=_("My rounds"),
            url_name="logistics:my_rounds",
            group="home_work",
            order=50,
            visible=_has_rounds,
        ),
    ),
)


class LogisticsConfig(AppConfig):
    name = "regie.logistics"
    label = "logistics"
    verbose_name = _("Home work and rounds")

    def ready(self) -> None:
        plugins.register(CONTRIBUTION)
