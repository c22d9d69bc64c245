"""Routes of invitations, events and the calendar (namespace ``events``).

Public, without an account: ``events/<registration token>/…`` and ``calendar/<token>.ics``.
The calendar is the networks' (``network.views``): its routes kept the names they had before
the apps were split.
"""

from django.urls import path

from regie.events import views
from regie.network import views as network_views

app_name = "events"

urlpatterns = [
    # Public: the event page, its confirmation and the cancel link of the mail.
    path("events/<str:token>/", views.event_detail, name="event_detail"),
    path("events/<str:token>/registered/", views.event_registered, name="event_registered"),
    path(
        "events/<str:token>/cancel/<str:cancel_token>/",
        views.event_cancel,
        name="event_cancel",
    ),
    # The organiser's pages of one meeting.
    path(
        "network/meetings/<int:pk>/invitations/",
        views.meeting_invitations,
        name="meeting_invitations",
    ),
    path(
        "network/meetings/<int:pk>/registrations/",
        views.registration_manage,
        name="registration_manage",
    ),
    path(
        "network/meetings/<int:pk>/registrations/<int:registration_pk>/cancel/",
        views.registration_cancel_by_organiser,
        name="registration_cancel",
    ),
    path(
        "network/meetings/<int:pk>/registrations/export/",
        views.registration_export,
        name="registration_export",
    ),
    path("network/meetings/<int:pk>/check-in/", views.checkin, name="checkin"),
    path("network/meetings/<int:pk>/check-in/scan/", views.checkin_scan, name="checkin_scan"),
    path(
        "network/meetings/<int:pk>/check-in/walk-in/",
        views.checkin_walk_in,
        name="checkin_walk_in",
    ),
    path(
        "network/meetings/<int:pk>/check-in/<int:registration_pk>/",
        views.checkin_toggle,
        name="checkin_toggle",
    ),
    path(
        "network/meetings/<int:pk>/attendance-list.pdf",
        views.attendance_list,
        name="attendance_list",
    ),
    # My calendar and its secret feed.
    path("calendar/", network_views.calendar_page, name="calendar"),
    path("calendar/renew/", network_views.calendar_renew, name="calendar_renew"),
    path("calendar/stop/", network_views.calendar_delete, name="calendar_delete"),
    path("calendar/<str:token>.ics", network_views.calendar_feed, name="calendar_feed"),
]
