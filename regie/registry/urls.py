from django.urls import path

from regie.registry import import_views, views

app_name = "registry"

urlpatterns = [
    path("organisations/", views.organisation_list, name="organisation_list"),
    path("people/", views.person_list, name="person_list"),
    path("municipalities/", views.municipality_list, name="municipality_list"),
    path("import/", import_views.upload, name="import_upload"),
    path("import/<uuid:token>/", import_views.preview, name="import_preview"),
]
