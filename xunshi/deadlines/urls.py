from django.urls import path

from . import views

urlpatterns = [
    path("", views.deadline_rules, name="deadline_rules"),
    path("new/", views.deadline_rules_new, name="deadline_rules_new"),
    path("calendar/", views.calendar_years, name="calendar_years"),
    path("calendar/new/", views.calendar_year_enter, name="calendar_year_enter"),
]
