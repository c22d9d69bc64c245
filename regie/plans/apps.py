from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from regie.core import plugins
from regie.core.permissions import Role

CONTRIBUTION = plugins.AppContribution(
    label="plans",
    urls=(plugins.UrlMount("plans/", "regie.plans.urls"),),
    api_routers=("regie.plans.api.router",),
    menu=(
        plugins.MenuEntry(
            key="plans", label=_("Actions"), url_name="plans:home", group="plans", order=10
        ),
        plugins.MenuEntry(
            key="budget",
            label=_("Budget"),
            url_name="plans:budget_home",
            group="plans",
            order=20,
            visible=plugins.for_roles(Role.ADMIN, Role.COORDINATOR, Role.VIEWER),
        ),
    ),
)


class PlansConfig(AppConfig):
    name = "regie.plans"
    label = "plans"
    verbose_name = _("Action plan and budget")

    def ready(self) -> None:
        plugins.register(CONTRIBUTION)
