"""Problems, clues and the report of an inspection (mounted under /inspections/)."""

from django.urls import path

from . import report_views, views

urlpatterns = [
    path("papers/<int:pk>/problem/", views.problem_create, name="problem_create"),
    path("<int:pk>/problems/", views.problem_list, name="problem_list"),
    path("<int:pk>/clues/", views.clue_list, name="clue_list"),
    path("<int:pk>/clues/new/", views.clue_create, name="clue_create"),
    path("clues/overdue/", views.clue_overdue, name="clue_overdue"),
    path("clues/<int:pk>/", views.clue_detail, name="clue_detail"),
    path("clues/<int:pk>/transfer/", views.clue_transfer, name="clue_transfer"),
    path("clues/<int:pk>/dispose/", views.clue_dispose, name="clue_dispose"),
    path("<int:pk>/report/", report_views.report_page, name="report_page"),
    path("<int:pk>/report/text/", report_views.report_text_save, name="report_text_save"),
    path("<int:pk>/report.docx", report_views.report_docx, name="report_docx"),
    path("<int:pk>/feedback.docx", report_views.feedback_docx, name="feedback_docx"),
    path("<int:pk>/rectification-notice.docx", report_views.notice_docx, name="notice_docx"),
]
