from django.urls import path

from regie.network import views

app_name = "network"

urlpatterns = [
    path("bodies/", views.body_list, name="body_list"),
    path("bodies/new/", views.body_create, name="body_create"),
    path("bodies/<int:pk>/", views.body_detail, name="body_detail"),
    path("bodies/<int:pk>/edit/", views.body_edit, name="body_edit"),
    path("bodies/<int:pk>/status/", views.body_status, name="body_status"),
    path("bodies/<int:pk>/members/new/", views.membership_form, name="membership_create"),
    path(
        "bodies/<int:pk>/members/<int:membership_pk>/",
        views.membership_form,
        name="membership_edit",
    ),
    path(
        "bodies/<int:pk>/members/<int:membership_pk>/end/",
        views.membership_end,
        name="membership_end",
    ),
    path("bodies/<int:pk>/meetings/new/", views.meeting_create, name="meeting_create"),
    path("meetings/<int:pk>/", views.meeting_detail, name="meeting_detail"),
    path("meetings/<int:pk>/edit/", views.meeting_edit, name="meeting_edit"),
    path("meetings/<int:pk>/status/", views.meeting_status, name="meeting_status"),
    path("meetings/<int:pk>/cancel/", views.meeting_cancel, name="meeting_cancel"),
    path("meetings/<int:pk>/postpone/", views.meeting_postpone, name="meeting_postpone"),
    path("meetings/<int:pk>/agenda/new/", views.agenda_item_form, name="agenda_item_create"),
    path(
        "meetings/<int:pk>/agenda/<int:item_pk>/",
        views.agenda_item_form,
        name="agenda_item_edit",
    ),
    path(
        "meetings/<int:pk>/agenda/<int:item_pk>/move/",
        views.agenda_item_move,
        name="agenda_item_move",
    ),
    path(
        "meetings/<int:pk>/agenda/<int:item_pk>/remove/",
        views.agenda_item_remove,
        name="agenda_item_remove",
    ),
    path(
        "meetings/<int:pk>/agenda/<int:item_pk>/addenda/new/",
        views.addendum_create,
        name="addendum_create",
    ),
    path("meetings/<int:pk>/guests/new/", views.attendance_guest, name="attendance_guest"),
    path(
        "meetings/<int:pk>/attendance/members/",
        views.attendance_members,
        name="attendance_members",
    ),
    path(
        "meetings/<int:pk>/attendance/<int:attendance_pk>/",
        views.attendance_mark,
        name="attendance_mark",
    ),
    path("meetings/<int:pk>/minutes/", views.minutes_edit, name="minutes_edit"),
    path("meetings/<int:pk>/minutes/status/", views.minutes_status, name="minutes_status"),
    path("meetings/<int:pk>/decisions/new/", views.decision_create, name="decision_create"),
    path("meetings/<int:pk>/follow-ups/new/", views.follow_up_create, name="follow_up_create"),
    path("meetings/<int:pk>/documents/new/", views.document_upload, name="document_upload"),
    path("documents/<int:pk>/", views.document_download, name="document_download"),
    path("follow-ups/mine/", views.my_follow_ups, name="my_follow_ups"),
    path("follow-ups/<int:pk>/edit/", views.follow_up_edit, name="follow_up_edit"),
    path("follow-ups/<int:pk>/status/", views.follow_up_status, name="follow_up_status"),
]
