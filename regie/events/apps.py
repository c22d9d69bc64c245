from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from regie.core import plugins

CONTRIBUTION = plugins.AppContribution(
    label="events",
    # Namespace ``events``: the public event pages, the organiser's invitation, registration and
    # check-in pages of a meeting, and the routes of the networks' calendar (``events:calendar``
    # …, named so before the apps were split; the views are ``network.views``).
    urls=(plugins.UrlMount("", "regie.events.urls"),),
    api_routers=("regie.events.api.router",),
    menu=(
        plugins.MenuEntry(
            key="calendar",
            label=_("My calendar"),
            url_name="events:calendar",
            group="networks",
            order=40,
        ),
    ),
)


class EventsConfig(AppConfig):
    name = "regie.events"
    label = "events"
    verbose_name = _("Events")

    def ready(self) -> None:
        from regie.events import participants  # imports the models: only once they are loaded
        from regie.network import extensions

        plugins.register(CONTRIBUTION)
        extensions.register(participants.EXTENSION)
