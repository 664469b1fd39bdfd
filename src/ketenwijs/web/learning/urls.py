"""URLs of Herkennen (the learning module)."""

from django.urls import path

from ketenwijs.web.core.ratelimit import rate_limited
from ketenwijs.web.learning import views

# The public certificate check answers anyone; looking up codes is counted per client address.
_lookup_limited = rate_limited(
    "public", methods=("GET",), when=lambda request: "code" in request.GET
)

app_name = "learning"

urlpatterns = [
    path("", views.index, name="index"),
    path("lessons/<slug:lesson_id>/", views.lesson_detail, name="lesson"),
    path("explainer/", views.explainer, name="explainer"),
    path("explainer/<slug:trajectory_id>/", views.explainer, name="explainer_trajectory"),
    path(
        "explainer/<slug:trajectory_id>/present/",
        views.explainer_present,
        name="explainer_present",
    ),
    path("scenarios/", views.scenario_list, name="scenarios"),
    path("scenarios/<slug:scenario_id>/start/", views.scenario_start, name="scenario_start"),
    path("scenarios/runs/<int:run_id>/", views.scenario_run, name="run"),
    path("quiz/", views.quiz, name="quiz"),
    path("quiz/attempts/<int:attempt_id>/", views.quiz_result, name="quiz_result"),
    path("review/", views.review, name="review"),
    path("spot/", views.spot_list, name="spot"),
    path("spot/<slug:note_id>/", views.spot_exercise, name="spot_exercise"),
    path("spot/attempts/<int:attempt_id>/", views.spot_result, name="spot_result"),
    path("certificate/", views.certificate, name="certificate"),
    path(
        "certificates/<int:certificate_id>/certificate.pdf",
        views.certificate_pdf,
        name="certificate_pdf",
    ),
    path("certificates/verify/", _lookup_limited(views.verify), name="verify"),
    path("trainer/", views.trainer, name="trainer"),
    path("settings/", views.learning_settings, name="settings"),
    path("tracks/", views.tracks, name="tracks"),
    path("tracks/<slug:track_id>/changes/", views.track_changes, name="track_changes"),
    path("trainer/assignments/", views.assignments, name="assignments"),
    path("trainer/assignments/<int:assignment_id>/", views.assignment_detail, name="assignment"),
    path(
        "trainer/assignments/<int:assignment_id>/export.csv",
        views.assignment_csv,
        name="assignment_csv",
    ),
]
