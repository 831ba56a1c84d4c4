"""Give a staff user an authenticator app: `add_totp_device pat`, for when CXPORTAL_REQUIRE_2FA is on."""

from base64 import b32encode

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django_otp.plugins.otp_totp.models import TOTPDevice


class Command(BaseCommand):
    help = (
        "Make a confirmed TOTP device for a user and print the otpauth:// URL and the secret key to "
        "give them. They add it to an authenticator app (scan the URL as a QR code, or type the key) "
        "and sign in to the admin with its six-digit codes. --replace first removes the devices "
        "they had (a lost phone)."
    )

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--name", default="Authenticator app", help="What the device is.")
        parser.add_argument(
            "--replace", action="store_true", help="Remove the user's other TOTP devices."
        )

    def handle(self, *args, username, name, replace, **options):
        User = get_user_model()
        try:
            user = User.objects.get(username=username)
        except User.DoesNotExist:
            raise CommandError(f"There is no user called {username!r}.") from None
        with transaction.atomic():
            removed = TOTPDevice.objects.filter(user=user).delete()[0] if replace else 0
            # Confirmed at once: the secret goes to the user by hand, not through a sign-up page
            # where they would prove they had it.
            device = TOTPDevice.objects.create(user=user, name=name, confirmed=True)
        secret = b32encode(device.bin_key).decode()
        if removed:
            self.stdout.write(f"Removed {username}'s {removed} earlier device(s).")
        self.stdout.write(
            f"{username} has a new authenticator device, {name!r}. Give them one of these, "
            "privately: it is all anyone needs to make their codes.\n"
            f"  otpauth URL (as a QR code, or pasted into the app): {device.config_url}\n"
            f"  secret key (typed into the app, time-based, 6 digits): {secret}"
        )
        if not user.is_staff:
            self.stdout.write(
                self.style.WARNING(f"{username} is not staff: the admin will not let them in.")
            )
