"""Working papers, problems, clues and the report of an inspection (mounted under
/inspections/ by xunshi.inspections.urls)."""

from django.urls import path

from . import clue_views, paper_views, report_views

urlpatterns = [
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
    path("papers/<int:pk>/problem/", paper_views.problem_create, name="problem_create"),
    path("<int:pk>/problems/", paper_views.problem_list, name="problem_list"),
    path("<int:pk>/clues/", clue_views.clue_list, name="clue_list"),
    path("<int:pk>/clues/new/", clue_views.clue_create, name="clue_create"),
    path("clues/overdue/", clue_views.clue_overdue, name="clue_overdue"),
    path("clues/<int:pk>/", clue_views.clue_detail, name="clue_detail"),
    path("clues/<int:pk>/transfer/", clue_views.clue_transfer, name="clue_transfer"),
    path("clues/<int:pk>/dispose/", clue_views.clue_dispose, name="clue_dispose"),
    path("<int:pk>/report/", report_views.report_page, name="report_page"),
    path("<int:pk>/report/text/", report_views.report_text_save, name="report_text_save"),
    path("<int:pk>/report.docx", report_views.report_docx, name="report_docx"),
    path("<int:pk>/feedback.docx", report_views.feedback_docx, name="feedback_docx"),
    path("<int:pk>/rectification-notice.docx", report_views.notice_docx, name="notice_docx"),
]
