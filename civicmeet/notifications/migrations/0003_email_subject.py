# The outbox knows no domain app: an email's link to what it is about (today, a registration)
# becomes generic (content type + id); existing links are copied, both ways.

import django.db.models.deletion
from django.db import migrations, models


def _registration_type(apps, *, create: bool):
    ContentType = apps.get_model("contenttypes", "ContentType")  # noqa: N806
    if create:
        return ContentType.objects.get_or_create(app_label="registrations", model="registration")[0]
    return ContentType.objects.filter(app_label="registrations", model="registration").first()


def copy_links(apps, schema_editor):
    OutgoingEmail = apps.get_model("notifications", "OutgoingEmail")  # noqa: N806
    linked = OutgoingEmail.objects.exclude(registration_id=None)
    if linked.exists():
        linked.update(subject_type=_registration_type(apps, create=True), subject_id=models.F("registration_id"))


def copy_links_back(apps, schema_editor):
    OutgoingEmail = apps.get_model("notifications", "OutgoingEmail")  # noqa: N806
    kind = _registration_type(apps, create=False)
    if kind is not None:
        OutgoingEmail.objects.filter(subject_type=kind).update(registration_id=models.F("subject_id"))


class Migration(migrations.Migration):
    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("notifications", "0002_sending_claim"),
    ]

    operations = [
        migrations.AddField(
            model_name="outgoingemail",
            name="subject_id",
            field=models.PositiveBigIntegerField(blank=True, null=True),
        ),
        migrations.AddField(
            model_name="outgoingemail",
            name="subject_type",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="+",
                to="contenttypes.contenttype",
            ),
        ),
        migrations.RunPython(copy_links, copy_links_back),
    ]
