"""The home page per role and the reminders (mounted under /desk/)."""

from django.urls import path

from . import views

urlpatterns = [
    path("", views.desk_home, name="desk_home"),
    path("notifications/", views.notification_list, name="notification_list"),
    path("notifications/<int:pk>/open/", views.notification_open, name="notification_open"),
    path("notifications/read-all/", views.notifications_read_all, name="notifications_read_all"),
]
