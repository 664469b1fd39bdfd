"""URLs of Delen (the sharing assessment); an assessment is the user's draft under its id."""

from django.urls import path

from ketenwijs.web.sharing import views

app_name = "sharing"

urlpatterns = [
    path("", views.start, name="start"),
    path("assess/<uuid:assessment_id>/", views.question, name="question"),
    path("assess/<uuid:assessment_id>/check/", views.check, name="check"),
    path("assess/<uuid:assessment_id>/change/<str:fact>/", views.change, name="change"),
    path("assess/<uuid:assessment_id>/delete/", views.delete_draft, name="delete"),
    path("assess/<uuid:assessment_id>/result/", views.result, name="result"),
    path("assess/<uuid:assessment_id>/compare/", views.compare, name="compare"),
    path("assess/<uuid:assessment_id>/paperwork/", views.paperwork, name="paperwork"),
    path("assess/<uuid:assessment_id>/save/", views.save, name="save"),
    path(
        "assess/<uuid:assessment_id>/assessment.json",
        views.assessment_json,
        name="assessment_json",
    ),
    path("assess/<uuid:assessment_id>/case.json", views.case_json, name="case_json"),
    path("infographic/", views.infographic, name="infographic"),
    path("infographic.svg", views.infographic_svg, name="infographic_svg"),
]
