"""API tokens get an end date; tokens made before this get 90 days from the migration."""

from datetime import timedelta

from django.db import migrations, models
from django.utils import timezone


def _give_existing_tokens_ninety_days(apps, schema_editor):  # type: ignore[no-untyped-def]
    ApiToken = apps.get_model("api", "ApiToken")  # noqa: N806 -- Django's historical model
    ApiToken.objects.filter(expires_at__isnull=True).update(
        expires_at=timezone.now() + timedelta(days=90)
    )


class Migration(migrations.Migration):
    dependencies = [("api", "0001_initial")]

    operations = [
        migrations.AddField(
            model_name="apitoken",
            name="expires_at",
            field=models.DateTimeField(null=True, verbose_name="expires at"),
        ),
        migrations.RunPython(_give_existing_tokens_ninety_days, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="apitoken",
            name="expires_at",
            field=models.DateTimeField(verbose_name="expires at"),
        ),
    ]
