from django.urls import include, path

from . import views

urlpatterns = [
    path("<int:pk>/", views.workspace, name="inspection_workspace"),
    path("<int:pk>/stage/", views.stage_change, name="inspection_stage"),
    path("", include("xunshi.inspections.onsite_urls")),
    path("", include("xunshi.inspections.problem_urls")),
]
