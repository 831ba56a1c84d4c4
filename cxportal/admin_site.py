"""Signing in to the admin: the two-factor rule, its login form, and the lockout page.

One site serves both modes. Whether staff need a TOTP token is read from the settings on each
request, not when the site is built, so `CXPORTAL_REQUIRE_2FA` is the only switch (and a test can
turn it on and off). See docs/decisions/0011-login-safety.md.
"""

import math

from django import forms
from django.conf import settings
from django.contrib import admin
from django.contrib.admin.forms import AdminAuthenticationForm
from django.shortcuts import render
from django.utils import timezone
from django_otp import devices_for_user
from django_otp.admin import OTPAdminAuthenticationForm


class TwoFactorAuthenticationForm(OTPAdminAuthenticationForm):
    """Username, password and the six digits from the user's authenticator app, on one form.

    django-otp's form makes the user pick a device on a second round trip; staff here have one
    authenticator each (`manage.py add_totp_device`), so it is taken for them. Only someone with
    more than one device is asked which one, after their password was right.
    """

    otp_token = forms.CharField(
        label="OTP token",
        required=False,
        help_text="The six-digit code your authenticator app shows for the CX progress portal.",
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
    )
    otp_error_messages = {
        **OTPAdminAuthenticationForm.otp_error_messages,
        "token_required": "Enter the six-digit code from your authenticator app.",
        "invalid_token": "That code is not right, or has expired: enter the code your "
        "authenticator app shows now.",
        "device_required": "Choose the authenticator app (device) the code comes from.",
    }
    # Shown only to someone with several devices whose password was right.
    choose_device = False

    def _chosen_device(self, user):
        device = super()._chosen_device(user)
        if device is not None:
            return device
        devices = list(devices_for_user(user, for_verify=True))
        if not devices:
            raise forms.ValidationError(
                "This account has no authenticator app yet, and the admin needs one. Ask an "
                "administrator to run: manage.py add_totp_device " + user.get_username(),
                code="no_device",
            )
        return devices[0] if len(devices) == 1 else None

    def _update_form(self, user):
        # After a right password and a refused code django-otp lists the user's devices: blank
        # first, then one each.
        super()._update_form(user)
        self.choose_device = len(self.fields["otp_device"].widget.choices) > 2


class PortalAdminSite(admin.AdminSite):
    """Django's admin site, which needs a verified TOTP token besides the password for every
    page when `CXPORTAL_REQUIRE_2FA` is on (django-otp's `OTPAdminSite` rule, switchable)."""

    @property
    def login_form(self):
        if settings.CXPORTAL_REQUIRE_2FA:
            return TwoFactorAuthenticationForm
        return AdminAuthenticationForm

    @property
    def login_template(self):
        return "admin/login_2fa.html" if settings.CXPORTAL_REQUIRE_2FA else None

    def has_permission(self, request):
        # A user signed in by password alone (before 2FA was turned on, say) counts as not staff
        # until they sign in again with a token; django-otp's middleware gives `is_verified`.
        verified = not settings.CXPORTAL_REQUIRE_2FA or request.user.is_verified()
        return super().has_permission(request) and verified

    def index(self, request, extra_context=None):
        """The index, with what waits for review, what goes live next and the current quarter
        (cxportal.admin_index: imported here, as the site is made before the models are loaded)."""
        from cxportal.admin_index import editorial_overview

        overview = {"overview": editorial_overview(self, request)}
        return super().index(request, {**overview, **(extra_context or {})})


def locked_out(request, response=None, credentials=None):
    """django-axes's lockout response: the admin's look, and the time the user may try again.

    Each attempt while locked starts the cool-off again (axes's default), so the time is counted
    from this attempt. 429 Too Many Requests with Retry-After, so a script backs off too.
    """
    cooloff = settings.AXES_COOLOFF_TIME
    attempted = getattr(request, "axes_attempt_time", None) or timezone.now()
    context = {
        **admin.site.each_context(request),
        "title": "Account locked",
        "failure_limit": settings.AXES_FAILURE_LIMIT,
        "cooloff_minutes": math.ceil(cooloff.total_seconds() / 60),
        "try_again_at": timezone.localtime(attempted + cooloff),
    }
    # Rendered here: it replaces the view's response after the view, in axes's middleware.
    lockout = render(request, "admin/locked_out.html", context, status=429)
    lockout["Retry-After"] = str(math.ceil(cooloff.total_seconds()))
    return lockout
