"""`manage.py create_organiser EMAIL [--password P] [--api-token]`

Creates an organiser account (its username is the email address) or changes the password of an
existing one, and optionally issues an API token, printed alone on the last line so that scripts
can take it with `tail -n 1`.
"""

from __future__ import annotations

import secrets

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import translation

from civicmeet.accounts.models import ApiToken
from civicmeet.accounts.services import organiser_account_save


class Command(BaseCommand):
    help = "Create an organiser account (or change its password) and optionally issue an API token."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("email", help="The organiser's email address; it is also the username.")
        parser.add_argument("--password", help="Set this password (checked by the password validators).")
        parser.add_argument(
            "--generate-password",
            action="store_true",
            help="Set a random password and print it (for a new colleague to change later).",
        )
        parser.add_argument(
            "--api-token", action="store_true", help="Issue an API token and print it as the last line."
        )

    def handle(self, *args, **options) -> None:
        password = options["password"]
        if password is not None and options["generate_password"]:
            raise CommandError("Use either --password or --generate-password, not both.")
        if password is not None and not password:
            raise CommandError("The password must not be empty.")
        if options["generate_password"]:
            password = secrets.token_urlsafe(12)
        # The rest of the output is in English, so the validators' messages are too.
        with translation.override("en"):
            try:
                user, created = organiser_account_save(email=options["email"], password=password)
            except ValidationError as error:
                raise CommandError(" ".join(str(message) for message in error.messages)) from error

        if created:
            self.stdout.write(f"Created the organiser account {user.username}.")
        elif password is not None:
            self.stdout.write(f"Changed the password of {user.username}.")
        else:
            self.stdout.write(f"The organiser account {user.username} already exists; its password is unchanged.")
        if options["generate_password"]:
            self.stdout.write(f"Password: {password}")
        elif created and password is None:
            self.stdout.write("It has no password yet: run again with --password to let it log in.")
        if options["api_token"]:
            token = ApiToken.issue(user)
            self.stdout.write("API token (shown only now; send it as 'Authorization: Bearer <token>'):")
            self.stdout.write(token)
