from django.urls import path

from . import views

urlpatterns = [
    path("", views.audit_list, name="audit_list"),
    path("export/", views.audit_export, name="audit_export"),
    path("verify/<int:pk>/", views.audit_verification, name="audit_verification"),
]
