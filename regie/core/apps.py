from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "regie.core"
    label = "core"
    verbose_name = _("Core")

    def ready(self) -> None:
        from django.db.models import fields

        # Django 6.1's empty choice of every dropdown ("- Select an option -") has no Dutch
        # translation: the project gives its own, once, for every form of every app.
        fields.BLANK_CHOICE_LABEL = _("– choose –")
