from django.urls import include, path

from . import crossbody_views, forecast_views, pick_views, views, yearplan_views

urlpatterns = [
    path("coverage/", views.coverage, name="coverage"),
    path("coverage/forecast/", forecast_views.coverage_forecast, name="coverage_forecast"),
    path("", views.round_list, name="round_list"),
    path("new/", views.round_create, name="round_create"),
    path("<int:pk>/", views.round_detail, name="round_detail"),
    path("<int:pk>/teams/new/", views.team_create, name="team_create"),
    path(
        "<int:pk>/decision/",
        crossbody_views.round_record_decision,
        name="round_record_decision",
    ),
    path("<int:pk>/link/", crossbody_views.round_link, name="round_link"),
    path("<int:pk>/linked/", crossbody_views.round_linked, name="round_linked"),
    path("teams/<int:pk>/", views.team_detail, name="team_detail"),
    path("teams/<int:pk>/members/new/", views.membership_add, name="membership_add"),
    path("teams/<int:pk>/inspections/new/", views.inspection_create, name="inspection_create"),
    path("teams/<int:pk>/branch/", views.branch_establish, name="branch_establish"),
    path("teams/<int:pk>/pick/cadres/", pick_views.team_pick_cadre, name="team_pick_cadre"),
    path("teams/<int:pk>/pick/units/", pick_views.team_pick_unit, name="team_pick_unit"),
    path("inspections/<int:pk>/", views.inspection_detail, name="inspection_detail"),
    path("memberships/<int:pk>/pledge/", views.pledge_sign, name="pledge_sign"),
    path("year-plans/", yearplan_views.year_plan_list, name="year_plan_list"),
    path("year-plans/new/", yearplan_views.year_plan_create, name="year_plan_create"),
    path("year-plans/<int:pk>/", yearplan_views.year_plan_detail, name="year_plan_detail"),
    path(
        "year-plans/<int:pk>/rounds/",
        yearplan_views.year_plan_round_save,
        name="year_plan_round_save",
    ),
    path("year-plans/<int:pk>/revise/", yearplan_views.year_plan_revise, name="year_plan_revise"),
    path(
        "year-plans/<int:pk>/execution/",
        yearplan_views.year_plan_execution_page,
        name="year_plan_execution",
    ),
    path(
        "year-plans/rounds/<int:pk>/remove/",
        yearplan_views.year_plan_round_remove,
        name="year_plan_round_remove",
    ),
    path("year-plans/rounds/<int:pk>/link/", yearplan_views.year_plan_link, name="year_plan_link"),
    path("", include("xunshi.rounds.planning_urls")),
]
