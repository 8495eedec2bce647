"""The planning pages (planning_views), included from rounds/urls.py under /rounds/."""

from django.urls import path

from . import planning_views as views

urlpatterns = [
    path("<int:pk>/plan/", views.round_plan, name="round_plan"),
    path("<int:pk>/schedule/", views.round_schedule, name="round_schedule"),
    path("plans/<int:pk>/", views.plan_job, name="plan_job"),
    path("plans/<int:pk>/progress/", views.plan_job_progress, name="plan_job_progress"),
    path("plans/<int:pk>/stop/", views.plan_job_stop, name="plan_job_stop"),
    path("plans/<int:pk>/check/", views.plan_check, name="plan_check"),
    path("plans/<int:pk>/accept/", views.plan_accept, name="plan_accept"),
    path("plans/<int:pk>/plan.xlsx", views.plan_export_xlsx, name="plan_export_xlsx"),
    path("plans/<int:pk>/decision.docx", views.plan_export_docx, name="plan_export_docx"),
]
