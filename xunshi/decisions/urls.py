"""The leading group's pages (mounted under /decisions/)."""

from django.urls import path

from . import views
from .models import DecisionKind

urlpatterns = [
    path("", views.group_home, name="group_home"),
    path(
        "year-plans/<int:pk>/approve/",
        views.approve,
        {"kind": DecisionKind.YEAR_PLAN},
        name="year_plan_approve",
    ),
    path(
        "rounds/<int:pk>/approve/",
        views.approve,
        {"kind": DecisionKind.ROUND_PLAN},
        name="round_approve",
    ),
    path("memberships/<int:pk>/paper-pledge/", views.pledge_paper, name="pledge_paper"),
]
