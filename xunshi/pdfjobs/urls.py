from django.urls import path

from . import views

urlpatterns = [
    path("jobs/<int:pk>/", views.pdf_job, name="pdf_job"),
    path("jobs/<int:pk>/progress/", views.pdf_job_progress, name="pdf_job_progress"),
    path("jobs/<int:pk>/download/", views.pdf_download, name="pdf_download"),
    # A kind's name has a dot ("findings.report"), so it never reads as "jobs".
    path("<str:kind>/<int:pk>/", views.pdf_request, name="pdf_request"),
]
