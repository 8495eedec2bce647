"""The on-site records and working papers of an inspection, and the office's taxonomies
(mounted under /inspections/)."""

from django.urls import path

from . import paper_views, taxonomy_views, views

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
    path("<int:pk>/papers/", paper_views.paper_list, name="paper_list"),
    path("<int:pk>/papers/new/", paper_views.paper_create, name="paper_create"),
    path("papers/<int:pk>/", paper_views.paper_detail, name="paper_detail"),
    path("papers/<int:pk>/edit/", paper_views.paper_update, name="paper_update"),
    path("papers/<int:pk>/evidence/", paper_views.paper_evidence_add, name="paper_evidence_add"),
    path("papers/<int:pk>/submit/", paper_views.paper_submit, name="paper_submit"),
    path(
        "papers/<int:pk>/group-review/", paper_views.paper_group_review, name="paper_group_review"
    ),
    path(
        "papers/<int:pk>/leader-review/",
        paper_views.paper_leader_review,
        name="paper_leader_review",
    ),
    path("taxonomies/", taxonomy_views.taxonomy_list, name="taxonomy_list"),
    path("taxonomies/new/", taxonomy_views.taxonomy_create, name="taxonomy_create"),
    path(
        "taxonomies/<int:pk>/new-version/",
        taxonomy_views.taxonomy_new_version,
        name="taxonomy_new_version",
    ),
]
