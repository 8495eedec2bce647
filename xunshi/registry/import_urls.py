from django.urls import path

from . import import_views as views

urlpatterns = [
    path("", views.import_list, name="import_list"),
    path("template/<slug:kind>/", views.import_template, name="import_template"),
    path("upload/", views.import_upload, name="import_upload"),
    path("<int:pk>/", views.import_job, name="import_job"),
    path("<int:pk>/progress/", views.import_job_progress, name="import_job_progress"),
    path("export/<slug:kind>/", views.export, name="export"),
    path("export/job/<int:pk>/", views.export_job, name="export_job"),
    path("export/job/<int:pk>/progress/", views.export_job_progress, name="export_job_progress"),
    path("export/job/<int:pk>/download/", views.export_download, name="export_download"),
]
