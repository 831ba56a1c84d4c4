"""Make a staff account with one editorial role: `create_editor NAME --role "Agency editor" --agency va`."""

import getpass
import os

from django.contrib.auth import get_user_model, password_validation
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.urls import reverse

from cxportal.roles import AGENCY_EDITOR, ROLES
from hisps.models import Agency, AgencyEditor


class Command(BaseCommand):
    help = (
        "Make a staff account with one of the roles: "
        + ", ".join(f'"{role}"' for role in ROLES)
        + ". An agency editor needs at least one --agency (the slug in /cx/agencies/<slug>/). "
        "The password is asked for (or read from the environment variable CXPORTAL_PASSWORD)."
    )

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--role", required=True, choices=list(ROLES))
        parser.add_argument("--email", default="")
        parser.add_argument("--agency", action="append", default=[], help="An agency's slug.")

    def handle(self, *args, username, role, email, agency, **options):
        User = get_user_model()
        if User.objects.filter(username=username).exists():
            raise CommandError(f"There is already a user called {username!r}.")
        agencies = list(Agency.objects.filter(slug__in=agency))
        unknown = sorted(set(agency) - {a.slug for a in agencies})
        if unknown:
            raise CommandError(f"No agency has the slug {', '.join(unknown)}.")
        if role == AGENCY_EDITOR and not agencies:
            raise CommandError("An agency editor needs at least one --agency.")
        password = self._password(User(username=username, email=email))
        with transaction.atomic():
            user = User.objects.create_user(username, email, password, is_staff=True)
            user.groups.add(Group.objects.get(name=role))
            AgencyEditor.objects.bulk_create(AgencyEditor(user=user, agency=a) for a in agencies)
        where = f" for {', '.join(a.name for a in agencies)}" if agencies else ""
        self.stdout.write(
            self.style.SUCCESS(
                f"{username} is an {role}{where}. Sign in at {reverse('admin:index')}."
            )
        )

    def _password(self, user):
        password = os.environ.get("CXPORTAL_PASSWORD") or getpass.getpass("Password: ")
        try:
            password_validation.validate_password(password, user)
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from None
        return password
