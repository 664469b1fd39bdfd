"""URLs of the decision log; a record is addressed by its sequence in the user's organisation."""

from django.urls import path

from ketenwijs.web.audit import views

app_name = "audit"

urlpatterns = [
    path("", views.record_list, name="list"),
    path("export.csv", views.export_csv, name="export_csv"),
    path("export.xlsx", views.export_xlsx, name="export_xlsx"),
    path("export.json", views.export_json, name="export_json"),
    path("verify/", views.verify, name="verify"),
    path("retention/", views.retention, name="retention"),
    path("activity/", views.activity, name="activity"),
    path("public-keys/", views.public_keys, name="public_keys"),
    path("<int:sequence>/", views.record_detail, name="detail"),
    path("<int:sequence>/record.pdf", views.record_pdf, name="pdf"),
    path("<int:sequence>/redact/", views.redact, name="redact"),
]
