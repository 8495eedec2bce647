"""The account admins' pages (mounted under /accounts/ beside sign-in)."""

from django.urls import path

from . import pick_views, request_views, views

urlpatterns = [
    path("users/", views.user_list, name="user_list"),
    path("users/new/", views.user_create, name="user_create"),
    path("users/<int:pk>/toggle/", views.user_toggle, name="user_toggle"),
    path("users/<int:pk>/grant/", views.user_grant, name="user_grant"),
    path(
        "users/<int:pk>/request/", request_views.admin_request_create, name="admin_request_create"
    ),
    path("users/requests/", request_views.admin_request_list, name="admin_request_list"),
    path(
        "users/requests/<int:pk>/approve/",
        request_views.admin_request_approve,
        name="admin_request_approve",
    ),
    path(
        "users/requests/<int:pk>/refuse/",
        request_views.admin_request_refuse,
        name="admin_request_refuse",
    ),
    path("users/pick/cadres/", pick_views.user_pick_cadre, name="user_pick_cadre"),
    path("users/pick/orgs/", pick_views.user_pick_org, name="user_pick_org"),
    path("users/teams/", views.team_account_list, name="team_account_list"),
    path("users/teams/<int:pk>/", views.team_accounts, name="team_accounts"),
    path("users/teams/<int:pk>/create/", views.team_accounts_create, name="team_accounts_create"),
    path("users/teams/<int:pk>/grant/", views.team_grants_confirm, name="team_grants_confirm"),
]
