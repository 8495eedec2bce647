"""The portal's URLs; portal/tests/routes.txt is the allowlist a test compares them with."""

from __future__ import annotations

from django.urls import path

from portal import health
from portal.reports import api, views

urlpatterns = [
    path("", views.index, name="index"),
    path("a/<slug:token>/", views.announcement, name="announcement"),
    path("a/<slug:token>/qr.svg", views.announcement_qr, name="announcement_qr"),
    path("a/<slug:token>/poster.png", views.announcement_poster, name="announcement_poster"),
    path("r/<slug:token>/", views.report, name="report"),
    path("follow/", views.follow, name="follow"),
    path("disclosures/", views.disclosures, name="disclosures"),
    path("privacy/", views.privacy, name="privacy"),
    path("api/v1/submissions/", api.submissions, name="api_submissions"),
    path("api/v1/submissions/<slug:ref>/status/", api.submission_status, name="api_status"),
    path("api/v1/announcements/", api.announcements, name="api_announcements"),
    path("api/v1/disclosures/", api.disclosures, name="api_disclosures"),
    # For a monitor on the local network only (nginx refuses it from outside).
    path("healthz", health.healthz, name="healthz"),
]

handler400 = "portal.reports.errors.bad_request"
handler403 = "portal.reports.errors.permission_denied"
handler404 = "portal.reports.errors.page_not_found"
handler500 = "portal.reports.errors.server_error"
