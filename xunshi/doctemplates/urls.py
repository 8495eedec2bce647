from django.urls import path

from . import views

urlpatterns = [
    path("", views.doctemplate_list, name="doctemplate_list"),
    path("<str:kind>/upload/", views.doctemplate_upload, name="doctemplate_upload"),
    path(
        "<str:kind>/<int:version>/restore/",
        views.doctemplate_restore,
        name="doctemplate_restore",
    ),
    path(
        "<str:kind>/<int:version>/preview.docx",
        views.doctemplate_preview,
        name="doctemplate_preview",
    ),
]
