"""URLs of Signaleren: the note checker, the checklist and the user's saved notes, and the
feedback counts for content editors."""

from django.urls import path

from ketenwijs.web.signals import views

app_name = "signals"

urlpatterns = [
    path("", views.check, name="check"),
    path("checklist/", views.checklist, name="checklist"),
    path("notes/", views.note_list, name="note_list"),
    path("notes/<int:pk>/", views.note_detail, name="note_detail"),
    path("notes/<int:pk>/delete/", views.note_delete, name="note_delete"),
    path("feedback/", views.feedback_summary, name="feedback_summary"),
    path("feedback/export.csv", views.feedback_csv, name="feedback_csv"),
    path("feedback/export.xlsx", views.feedback_xlsx, name="feedback_xlsx"),
    path(
        "feedback/sentences/<int:pk>/delete/",
        views.sentence_delete,
        name="sentence_delete",
    ),
    path("feedback/evaluation.yaml", views.evaluation_export, name="evaluation_export"),
]
