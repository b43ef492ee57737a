# Teams move to accounts: every event gets an accounts.Team with the members it had; the
# organisation a member worked for becomes a TeamAffiliation. The old table goes in 0004.

import django.db.models.deletion
from django.db import migrations, models


def copy_teams(apps, schema_editor):
    Event = apps.get_model("events", "Event")  # noqa: N806
    OldMember = apps.get_model("events", "TeamMember")  # noqa: N806
    Team = apps.get_model("accounts", "Team")  # noqa: N806
    Member = apps.get_model("accounts", "TeamMember")  # noqa: N806
    Affiliation = apps.get_model("events", "TeamAffiliation")  # noqa: N806
    for event in Event.objects.order_by("pk").iterator():
        event.team = Team.objects.create()
        event.save(update_fields=["team"])
        for old in OldMember.objects.filter(event=event).order_by("pk"):
            member = Member.objects.create(team=event.team, user_id=old.user_id, role=old.role)
            Member.objects.filter(pk=member.pk).update(created_at=old.created_at)
            if old.organisation_id:
                Affiliation.objects.create(member=member, organisation_id=old.organisation_id)


def copy_teams_back(apps, schema_editor):
    Event = apps.get_model("events", "Event")  # noqa: N806
    OldMember = apps.get_model("events", "TeamMember")  # noqa: N806
    Member = apps.get_model("accounts", "TeamMember")  # noqa: N806
    Affiliation = apps.get_model("events", "TeamAffiliation")  # noqa: N806
    for event in Event.objects.exclude(team=None).order_by("pk").iterator():
        for member in Member.objects.filter(team_id=event.team_id).order_by("pk"):
            affiliation = Affiliation.objects.filter(member=member).first()
            OldMember.objects.create(
                event=event,
                user_id=member.user_id,
                role=member.role,
                organisation_id=affiliation.organisation_id if affiliation else None,
            )


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0002_teams"),
        ("events", "0002_admission_rules_and_data_protection"),
        ("organisations", "0001_initial"),
    ]

    operations = [
        migrations.RemoveField(model_name="event", name="team"),
        migrations.AddField(
            model_name="event",
            name="team",
            field=models.OneToOneField(
                null=True, on_delete=django.db.models.deletion.PROTECT, related_name="event", to="accounts.team"
            ),
        ),
        migrations.CreateModel(
            name="TeamAffiliation",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                (
                    "member",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="affiliation",
                        to="accounts.teammember",
                    ),
                ),
                (
                    "organisation",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to="organisations.organisation",
                    ),
                ),
            ],
            options={
                "verbose_name": "team member's organisation",
                "verbose_name_plural": "team members' organisations",
            },
        ),
        migrations.RunPython(copy_teams, copy_teams_back),
    ]
