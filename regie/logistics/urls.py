from django.urls import path

from regie.logistics import views

app_name = "logistics"

urlpatterns = [
    path("", views.plan_list, name="plan_list"),
    path("plan/", views.plan_create, name="plan_create"),
    path("<int:pk>/", views.plan_detail, name="plan_detail"),
    path("<int:pk>/replan/", views.plan_replan, name="plan_replan"),
    path("<int:pk>/stops/<int:stop_pk>/move/", views.stop_move, name="stop_move"),
    path("<int:pk>/stops/<int:stop_pk>/lock/", views.stop_lock, name="stop_lock"),
    path("<int:pk>/vans/<int:van_pk>/sheet.pdf", views.round_sheet, name="round_sheet"),
    path("mine/", views.my_rounds, name="my_rounds"),
    path("stops/<int:pk>/check-in/", views.check_in, name="check_in"),
    path("home-work/", views.assignment_list, name="assignment_list"),
    path("home-work/new/", views.assignment_form, name="assignment_create"),
    path("home-work/<int:pk>/edit/", views.assignment_form, name="assignment_edit"),
    path("orders/", views.order_list, name="order_list"),
    path("orders/new/", views.order_form, name="order_create"),
    path("orders/<int:pk>/edit/", views.order_form, name="order_edit"),
    path("vans/", views.van_list, name="van_list"),
    path("vans/new/", views.van_form, name="van_create"),
    path("vans/<int:pk>/edit/", views.van_form, name="van_edit"),
]
