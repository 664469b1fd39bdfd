"""Mark every organisation whose decision log already has a head as "log started" (issue 14).

From then on a missing head or an empty chain of such an organisation reads as a wiped log.
"""

from django.db import migrations
from django.db.models import Min


def mark_started(apps, schema_editor):  # type: ignore[no-untyped-def]
    organisation_model = apps.get_model("accounts", "Organisation")
    head_model = apps.get_model("audit", "ChainHead")
    record_model = apps.get_model("audit", "DecisionRecord")
    for head in head_model.objects.filter(last_sequence__gt=0):
        first = record_model.objects.filter(organisation_id=head.organisation_id).aggregate(
            first=Min("created_at")
        )["first"]
        organisation_model.objects.filter(
            pk=head.organisation_id, audit_log_started_at__isnull=True
        ).update(audit_log_started_at=first or organisation_model.objects.get(
            pk=head.organisation_id
        ).created_at)


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0004_organisation_audit_log_started_at"),
        ("audit", "0002_record_format_2_and_log_events"),
    ]

    operations = [migrations.RunPython(mark_started, migrations.RunPython.noop)]
