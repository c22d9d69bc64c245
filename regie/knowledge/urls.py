from django.urls import path

from regie.knowledge import views

app_name = "knowledge"

urlpatterns = [
    path("", views.knowledge_home, name="home"),
    path("practices/new/", views.practice_form, name="practice_create"),
    path("practices/<int:pk>/", views.practice_detail, name="practice_detail"),
    path("practices/<int:pk>/edit/", views.practice_form, name="practice_edit"),
    path("practices/<int:pk>/answers/", views.practice_answer, name="practice_answer"),
    path("rules/new/", views.rule_form, name="rule_create"),
    path("rules/<int:pk>/", views.rule_detail, name="rule_detail"),
    path("rules/<int:pk>/edit/", views.rule_form, name="rule_edit"),
    path("rules/<int:pk>/practice/", views.rule_translation, name="rule_translation"),
]
