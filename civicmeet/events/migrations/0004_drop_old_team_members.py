import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("events", "0003_teams_in_accounts"),
    ]

    operations = [
        migrations.DeleteModel(name="TeamMember"),
        migrations.AlterField(
            model_name="event",
            name="team",
            field=models.OneToOneField(
                on_delete=django.db.models.deletion.PROTECT, related_name="event", to="accounts.team"
            ),
        ),
    ]
