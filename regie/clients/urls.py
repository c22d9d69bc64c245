from django.urls import path

from regie.clients import views

app_name = "clients"

urlpatterns = [
    path("", views.client_list, name="client_list"),
    path("new/", views.client_create, name="client_create"),
    path("find/", views.client_find, name="client_find"),
    path("<int:pk>/", views.client_detail, name="client_detail"),
    path("<int:pk>/edit/", views.client_edit, name="client_edit"),
    path("<int:pk>/national-number/", views.national_number, name="national_number"),
    path(
        "<int:pk>/national-number/reveal/",
        views.national_number_reveal,
        name="national_number_reveal",
    ),
    path("<int:pk>/counsellors/new/", views.counsellor_add, name="counsellor_add"),
    path(
        "<int:pk>/counsellors/<int:counselling_pk>/end/",
        views.counselling_end,
        name="counselling_end",
    ),
    path("<int:pk>/support-need/", views.support_need, name="support_need"),
    path(
        "<int:pk>/support-need/<int:need_pk>/remove/",
        views.support_need_remove,
        name="support_need_remove",
    ),
    path("<int:pk>/legal-bases/new/", views.legal_basis_create, name="legal_basis_create"),
    path(
        "<int:pk>/legal-bases/<int:basis_pk>/withdraw/",
        views.legal_basis_withdraw,
        name="legal_basis_withdraw",
    ),
    path("<int:pk>/referrals/new/", views.referral_form, name="referral_create"),
    path("<int:pk>/referrals/<int:referral_pk>/", views.referral_form, name="referral_edit"),
    path("<int:pk>/steps/new/", views.step_form, name="step_create"),
    path("<int:pk>/steps/<int:step_pk>/", views.step_form, name="step_edit"),
    path("<int:pk>/contacts/new/", views.contact_create, name="contact_create"),
    path("<int:pk>/loans/new/", views.loan_create, name="loan_create"),
    path("<int:pk>/loans/<int:loan_pk>/return/", views.loan_return, name="loan_return"),
    path(
        "<int:pk>/loans/<int:loan_pk>/agreement.pdf",
        views.loan_agreement,
        name="loan_agreement",
    ),
    path("<int:pk>/export.json", views.client_export_json, name="client_export_json"),
    path("<int:pk>/export.pdf", views.client_export_pdf, name="client_export_pdf"),
    path("<int:pk>/erase/", views.client_erase, name="client_erase"),
    path("<int:pk>/access-log/", views.client_access_log, name="client_access_log"),
    path("follow-ups/", views.follow_up_list, name="follow_up_list"),
    path("follow-ups/<int:pk>/done/", views.follow_up_done, name="follow_up_done"),
    path("loans/", views.loan_list, name="loan_list"),
    path("devices/", views.device_list, name="device_list"),
    path("devices/new/", views.device_form, name="device_create"),
    path("devices/<int:pk>/", views.device_form, name="device_edit"),
    path("sessions/", views.session_list, name="session_list"),
    path("sessions/new/", views.session_form, name="session_create"),
    path("sessions/<int:pk>/", views.session_detail, name="session_detail"),
    path("sessions/<int:pk>/edit/", views.session_form, name="session_edit"),
    path("sessions/<int:pk>/enrol/", views.session_enrol, name="session_enrol"),
    path(
        "sessions/<int:pk>/enrolments/<int:enrolment_pk>/",
        views.enrolment_attendance,
        name="enrolment_attendance",
    ),
    path("legal-bases/", views.legal_basis_list, name="legal_basis_list"),
    path(
        "legal-bases/<int:pk>/withdraw/",
        views.organisation_legal_basis_withdraw,
        name="organisation_legal_basis_withdraw",
    ),
    path("progression/", views.progression, name="progression"),
    path("access-log/", views.access_log, name="access_log"),
]
