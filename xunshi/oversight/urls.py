from django.urls import path

from . import views

urlpatterns = [
    path("", views.home, name="oversight_home"),
    path("behind/", views.behind, name="oversight_behind"),
    path("bodies/<int:pk>/", views.body_detail, name="oversight_body"),
    path("bodies/<int:pk>/points/new/", views.point_create, name="point_create"),
    path("filings/<int:pk>/", views.filing_detail, name="oversight_filing"),
    path("filings/<int:pk>/return/", views.filing_return, name="filing_return"),
    path("filings/<int:pk>/accept/", views.filing_accept, name="filing_accept"),
    path("rounds/<int:pk>/refile/", views.filing_refile, name="filing_refile"),
]
