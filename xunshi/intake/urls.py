from django.urls import path

from . import views

urlpatterns = [
    path("", views.intake_home, name="intake_home"),
    path("pull/", views.intake_pull, name="intake_pull"),
    path("announcements/", views.announcement_list, name="announcement_list"),
    path("announcements/<int:pk>/", views.announcement_save, name="announcement_save"),
    path("submissions/<int:pk>/route/", views.submission_route, name="submission_route"),
    path("submissions/<int:pk>/files/<int:n>/", views.submission_file, name="submission_file"),
]
