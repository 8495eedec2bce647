from django.urls import path

from . import views

urlpatterns = [
    path("<int:pk>/", views.attachment_download, name="attachment_download"),
]
