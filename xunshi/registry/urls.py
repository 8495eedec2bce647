from django.urls import path

from . import pick_views, views

urlpatterns = [
    path("orgs/", views.org_list, name="org_list"),
    path("orgs/new/", views.org_create, name="org_create"),
    path("orgs/<int:pk>/", views.org_detail, name="org_detail"),
    path("orgs/<int:pk>/edit/", views.org_edit, name="org_edit"),
    path("cadres/", views.cadre_list, name="cadre_list"),
    path("cadres/<int:pk>/", views.cadre_detail, name="cadre_detail"),
    path("cadres/<int:pk>/edit/", views.cadre_edit, name="cadre_edit"),
    path("body/settings/", views.body_settings, name="body_settings"),
    path("waivers/new/", views.waiver_create, name="waiver_create"),
    path("pick/orgs/", pick_views.pick_org, name="pick_org"),
    path("pick/cadres/", pick_views.pick_cadre, name="pick_cadre"),
    # The Excel import pages (import_list …) live in import_urls.py under /registry/imports/.
]
