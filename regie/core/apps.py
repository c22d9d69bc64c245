from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from regie.core import plugins


def _is_staff(actor: plugins.Actor) -> bool:
    return bool(getattr(actor, "is_staff", False))


# Django's admin (users, tokens, the audit trail) opens for staff only.
CONTRIBUTION = plugins.AppContribution(
    label="core",
    menu=(
        plugins.MenuEntry(
            key="admin",
            label=_("Administration"),
            url_name="admin:index",
            group="administration",
            order=10,
            visible=_is_staff,
        ),
    ),
)


class CoreConfig(AppConfig):
    name = "regie.core"
    label = "core"
    verbose_name = _("Core")

    def ready(self) -> None:
        from django.db.models import fields

        # Django 6.1's empty choice of every dropdown ("- Select an option -") has no Dutch
        # translation: the project gives its own, once, for every form of every app.
        fields.BLANK_CHOICE_LABEL = _("– choose –")
        plugins.register(CONTRIBUTION)
