from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PlansConfig(AppConfig):
    name = "regie.plans"
    label = "plans"
    verbose_name = _("Action plan and budget")
