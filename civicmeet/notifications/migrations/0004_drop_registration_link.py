from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("notifications", "0003_email_subject"),
    ]

    operations = [
        migrations.RemoveField(model_name="outgoingemail", name="registration"),
        migrations.AddIndex(
            model_name="outgoingemail",
            index=models.Index(fields=["subject_type", "subject_id"], name="outgoing_email_subject"),
        ),
    ]
