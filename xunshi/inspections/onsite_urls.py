from django.urls import path

from . import onsite_views as views
from . import taxonomy_views

urlpatterns = [
    path("<int:pk>/talks/", views.talk_list, name="talk_list"),
    path("<int:pk>/talks/new/", views.talk_create, name="talk_create"),
    path("talks/<int:pk>/", views.talk_detail, name="talk_detail"),
    path("talks/<int:pk>/edit/", views.talk_update, name="talk_update"),
    path("talks/<int:pk>/sign-off/", views.talk_sign_off, name="talk_sign_off"),
    path("<int:pk>/petitions/", views.petition_list, name="petition_list"),
    path("<int:pk>/petitions/new/", views.petition_create, name="petition_create"),
    path("petitions/<int:pk>/", views.petition_detail, name="petition_detail"),
    path("petitions/<int:pk>/route/", views.petition_route, name="petition_route"),
    path("petitions/<int:pk>/reply/", views.petition_reply, name="petition_reply"),
    path("<int:pk>/documents/", views.docrequest_list, name="docrequest_list"),
    path("<int:pk>/documents/new/", views.docrequest_create, name="docrequest_create"),
    path("documents/<int:pk>/handover/", views.docrequest_handover, name="docrequest_handover"),
    path("documents/<int:pk>/return/", views.docrequest_return, name="docrequest_return"),
    path("documents/<int:pk>/slip.docx", views.docrequest_slip, name="docrequest_slip"),
    path("<int:pk>/fixes/", views.fix_list, name="fix_list"),
    path("<int:pk>/fixes/new/", views.fix_create, name="fix_create"),
    path("fixes/<int:pk>/done/", views.fix_done, name="fix_done"),
    path("taxonomies/", taxonomy_views.taxonomy_list, name="taxonomy_list"),
    path("taxonomies/new/", taxonomy_views.taxonomy_create, name="taxonomy_create"),
    path(
        "taxonomies/<int:pk>/new-version/",
        taxonomy_views.taxonomy_new_version,
        name="taxonomy_new_version",
    ),
]
