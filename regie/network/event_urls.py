"""Routes of invitations, events and the calendar (namespace ``events``).

Public, without an account: ``events/<registration token>/…`` and ``calendar/<token>.ics``.
"""

from django.urls import path

from regie.network import event_views as views

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
    path("calendar/", views.calendar_page, name="calendar"),
    path("calendar/renew/", views.calendar_renew, name="calendar_renew"),
    path("calendar/stop/", views.calendar_delete, name="calendar_delete"),
    path("calendar/<str:token>.ics", views.calendar_feed, name="calendar_feed"),
]
