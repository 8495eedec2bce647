from django.urls import path

from . import ledger_views, views

urlpatterns = [
    path("", views.ledger_home, name="ledger_home"),
    path("supervision/", views.supervision, name="supervision"),
    path("villages/", views.village_ledger, name="village_ledger"),
    path("<int:pk>/", ledger_views.ledger, name="ledger"),
    path("<int:pk>/report.docx", views.rect_report_docx, name="rect_report_docx"),
    path("<int:pk>/notices/new/", views.notice_issue, name="notice_issue"),
    path("<int:pk>/lookback/", views.lookback, name="lookback_create"),
    path("<int:pk>/disclosure/", views.disclosure_page, name="disclosure_page"),
    path("items/<int:pk>/forms/", ledger_views.item_forms, name="item_forms"),
    path("items/<int:pk>/plan/", ledger_views.item_plan, name="item_plan"),
    path("items/<int:pk>/progress/", ledger_views.progress_report, name="progress_report"),
    path("items/<int:pk>/claim/", ledger_views.item_claim, name="item_claim"),
    path("items/<int:pk>/verify/", ledger_views.item_verify, name="item_verify"),
    path("notices/<int:pk>.docx", views.notice_docx_download, name="notice_docx_download"),
]
