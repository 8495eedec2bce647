from django.urls import path

from . import views

urlpatterns = [
    path("", views.home, name="dashboard_home"),
    path("<slug:key>.xlsx", views.export, name="dashboard_export"),
]
