"""Admin pages of events, for the technical administrator: read and repair, with history.

An event's registration settings were fields of the meeting (and so on its admin page) before
the apps were split; they are here now. Registrations are managed on the organiser's pages.
"""

from django.contrib import admin
from django.http import HttpRequest

from regie.core.admin import HistoryAdmin
from regie.events import models


@admin.register(models.Event)
class EventAdmin(HistoryAdmin[models.Event]):
    list_display = ("meeting", "registration_open", "capacity", "registration_closes")
    list_filter = ("registration_open", "meeting__body__region")
    search_fields = ("meeting__title",)
    readonly_fields = ("meeting", "registration_token", "version")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # a meeting becomes an event on its registration page
