from django.urls import path

from regie.registry import views

app_name = "registry"

urlpatterns = [
    path("organisations/", views.organisation_list, name="organisation_list"),
    path("people/", views.person_list, name="person_list"),
    path("municipalities/", views.municipality_list, name="municipality_list"),
    path("import/", views.import_upload, name="import_upload"),
]
