from django.contrib.auth import views as auth_views
from django.urls import path

from . import otp_views, views

urlpatterns = [
    path("login/", views.LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("password/", views.PasswordChangeView.as_view(), name="password_change"),
    path("lockouts/", views.lockout_list, name="lockout_list"),
    path("lockouts/reset/", views.lockout_reset, name="lockout_reset"),
    path("otp/", otp_views.otp_settings, name="otp_settings"),
    path("otp/verify/", otp_views.otp_verify, name="otp_verify"),
    path("otp/enrol/", otp_views.otp_enrol, name="otp_enrol"),
    path("otp/remove/", otp_views.otp_remove, name="otp_remove"),
    path("otp/reset/<int:pk>/", otp_views.otp_reset, name="otp_reset"),
]
