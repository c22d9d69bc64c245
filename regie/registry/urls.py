from django.urls import path

from regie.registry import import_views, views

app_name = "registry"

urlpatterns = [
    path("organisations/", views.organisation_list, name="organisation_list"),
    path("organisations/new/", views.organisation_create, name="organisation_create"),
    path("organisations/<int:pk>/", views.organisation_detail, name="organisation_detail"),
    path("organisations/<int:pk>/edit/", views.organisation_edit, name="organisation_edit"),
    path(
        "organisations/<int:pk>/contact/", views.organisation_contact, name="organisation_contact"
    ),
    path(
        "organisations/<int:pk>/archive/", views.organisation_archive, name="organisation_archive"
    ),
    path("organisations/<int:pk>/sites/new/", views.site_form, name="site_create"),
    path("organisations/<int:pk>/sites/<int:site_pk>/", views.site_form, name="site_edit"),
    path(
        "organisations/<int:pk>/recognitions/new/",
        views.recognition_form,
        name="recognition_create",
    ),
    path(
        "organisations/<int:pk>/recognitions/<int:recognition_pk>/",
        views.recognition_form,
        name="recognition_edit",
    ),
    path("people/", views.person_list, name="person_list"),
    path("people/new/", views.person_create, name="person_create"),
    path("people/<int:pk>/", views.person_detail, name="person_detail"),
    path("people/<int:pk>/edit/", views.person_edit, name="person_edit"),
    path("people/<int:pk>/archive/", views.person_archive, name="person_archive"),
    path("people/<int:pk>/functions/new/", views.affiliation_form, name="affiliation_create"),
    path(
        "people/<int:pk>/functions/<int:affiliation_pk>/",
        views.affiliation_form,
        name="affiliation_edit",
    ),
    path("municipalities/", views.municipality_list, name="municipality_list"),
    path("import/", import_views.upload, name="import_upload"),
    path("import/<uuid:token>/", import_views.preview, name="import_preview"),
]
