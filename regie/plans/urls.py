from django.urls import path

from regie.plans import views

app_name = "plans"

# Routes with a fixed first segment come before the ones that start with a region code.
urlpatterns = [
    path("", views.home, name="home"),
    path("budget/", views.budget_home, name="budget_home"),
    path("actions/<int:pk>/", views.action_detail, name="action_detail"),
    path("actions/<int:pk>/edit/", views.action_edit, name="action_edit"),
    path("actions/<int:pk>/status/", views.action_status, name="action_status"),
    path("actions/<int:pk>/indicators/new/", views.indicator_form, name="indicator_create"),
    path(
        "actions/<int:pk>/indicators/<int:indicator_pk>/",
        views.indicator_form,
        name="indicator_edit",
    ),
    path("budget-lines/<int:pk>/", views.budget_line_form, name="budget_line_edit"),
    path("expenses/<int:pk>/", views.expense_form, name="expense_edit"),
    path("carry-overs/<int:pk>/submit/", views.carryover_submit, name="carryover_submit"),
    path("carry-overs/<int:pk>/decision/", views.carryover_decide, name="carryover_decide"),
    path("carry-overs/<int:pk>/letter.<str:fmt>", views.carryover_letter, name="carryover_letter"),
    path("<slug:region>/<int:year>/", views.board, name="board"),
    path("<slug:region>/<int:year>/plan.<str:fmt>", views.board_export, name="board_export"),
    path("<slug:region>/<int:year>/actions/new/", views.action_create, name="action_create"),
    path("<slug:region>/<int:year>/budget/", views.budget, name="budget"),
    path("<slug:region>/<int:year>/budget.<str:fmt>", views.budget_export, name="budget_export"),
    path("<slug:region>/<int:year>/grant/", views.grant_edit, name="grant_edit"),
    path(
        "<slug:region>/<int:year>/budget/lines/new/",
        views.budget_line_form,
        name="budget_line_create",
    ),
    path(
        "<slug:region>/<int:year>/budget/expenses/new/",
        views.expense_form,
        name="expense_create",
    ),
    path("<slug:region>/<int:year>/carry-over/", views.carryover, name="carryover"),
]
