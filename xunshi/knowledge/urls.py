"""The knowledge base's pages (mounted under /knowledge/)."""

from django.urls import path

from . import views

urlpatterns = [
    path("", views.knowledge_home, name="knowledge_home"),
    path("regulations/new/", views.regulation_create, name="regulation_create"),
    path("regulations/<int:pk>/", views.regulation_detail, name="regulation_detail"),
    path("regulations/<int:pk>/edit/", views.regulation_edit, name="regulation_edit"),
    path("regulations/<int:pk>/import/", views.regulation_import, name="regulation_import"),
    path("cases/", views.case_list_page, name="case_list"),
    path("cases/new/", views.case_edit, name="case_create"),
    path("cases/<int:pk>/", views.case_detail, name="case_detail"),
    path("cases/<int:pk>/edit/", views.case_edit, name="case_edit"),
    path("statements/", views.statement_list_page, name="statement_list"),
    path("statements/new/", views.statement_edit, name="statement_create"),
    path("statements/<int:pk>/edit/", views.statement_edit, name="statement_edit"),
    path("suggest/", views.statement_suggest, name="statement_suggest"),
]
