"""The workspace of an inspection and its stage changes (mounted under /inspections/)."""

from django.urls import path

from . import views

urlpatterns = [
    path("<int:pk>/", views.workspace, name="inspection_workspace"),
    path("<int:pk>/stage/", views.stage_change, name="inspection_stage"),
    path("<int:pk>/decide/", views.stage_decide, name="inspection_decide"),
]
