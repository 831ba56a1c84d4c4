"""Signing in to the admin safely (issue 7): repeated failures lock the account for a while, staff
give a TOTP token when CXPORTAL_REQUIRE_2FA is on, idle sessions end, and the admin's address is a
setting. Each test signs in through the admin's login form, as a person would."""

import datetime
import importlib
import io
import json
import os
import subprocess
import sys
import zoneinfo
from base64 import b32decode

import pytest
import time_machine
from django.conf import settings
from django.core.management import CommandError, call_command
from django.test import override_settings
from django.urls import clear_url_caches, reverse
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

import cxportal.urls

pytestmark = pytest.mark.django_db

PASSWORD = "a long staff passphrase"
WRONG = "not the passphrase at all"
NEW_YORK = zoneinfo.ZoneInfo("America/New_York")
# A summer afternoon in the site's time zone: the lockout page names the time to try again.
AFTERNOON = datetime.datetime(2031, 6, 3, 14, 0, tzinfo=NEW_YORK)


@pytest.fixture
def pat(django_user_model):
    return django_user_model.objects.create_superuser("pat", "pat@example.gov", PASSWORD)


@pytest.fixture
def sam(django_user_model):
    return django_user_model.objects.create_superuser("sam", "sam@example.gov", PASSWORD)


@pytest.fixture
def clock():
    with time_machine.travel(AFTERNOON, tick=False) as traveller:
        yield traveller


def sign_in(client, username, password, address="127.0.0.1", **fields):
    """Post the admin's login form, as the browser does after the login page."""
    data = {"username": username, "password": password, "next": reverse("admin:index"), **fields}
    return client.post(reverse("admin:login"), data, REMOTE_ADDR=address)


def signed_in(client):
    """Whether the admin's index opens (rather than sending the browser to the login page)."""
    response = client.get(reverse("admin:index"))
    if response.status_code == 302:
        assert response["Location"].startswith(reverse("admin:login"))
        return False
    assert response.status_code == 200
    assert "Log out" in response.content.decode()
    return True


def token(device):
    """The code the device's authenticator app shows now."""
    return f"{totp(device.bin_key, t0=device.t0, step=device.step, digits=device.digits):06d}"


# --- Repeated failed sign-ins ---------------------------------------------------------------------


def test_repeated_failures_lock_the_account_with_a_page_saying_until_when(client, pat, clock):
    limit = settings.AXES_FAILURE_LIMIT
    assert limit == 5  # the default, from CXPORTAL_LOGIN_FAILURE_LIMIT
    for _ in range(limit - 1):
        response = sign_in(client, "pat", WRONG)
        assert response.status_code == 200
        assert "Please enter the correct username and password" in response.content.decode()

    locked = sign_in(client, "pat", WRONG)
    assert locked.status_code == 429
    assert locked["Retry-After"] == "900"
    page = locked.content.decode()
    assert "<h1>Account locked</h1>" in page
    assert "This account is locked: there were 5 failed sign-in attempts" in page
    assert "2:15 PM EDT" in page and "Tuesday, June 3" in page
    assert "CX progress portal administration" in page  # the admin's own look

    # The right password is refused too while the lock lasts, and the wait starts again.
    clock.shift(datetime.timedelta(minutes=5))
    refused = sign_in(client, "pat", PASSWORD)
    assert refused.status_code == 429
    assert "2:20 PM EDT" in refused.content.decode()
    assert not signed_in(client)

    # Once the cool-off has passed, the right password works.
    clock.shift(datetime.timedelta(minutes=16))
    assert sign_in(client, "pat", PASSWORD).status_code == 302
    assert signed_in(client)


def test_the_lock_is_for_one_username_from_one_address(client, pat, sam, clock):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        sign_in(client, "pat", WRONG)
    assert sign_in(client, "pat", PASSWORD).status_code == 429

    # A colleague at the same address signs in; so does pat from another address.
    assert sign_in(client, "sam", PASSWORD).status_code == 302
    assert signed_in(client)
    client.logout()
    assert sign_in(client, "pat", PASSWORD, address="198.51.100.7").status_code == 302
    assert signed_in(client)


def test_a_success_clears_the_count_of_failures(client, pat, clock):
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        sign_in(client, "pat", WRONG)
    assert sign_in(client, "pat", PASSWORD).status_code == 302
    client.logout()
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert sign_in(client, "pat", WRONG).status_code == 200
    assert sign_in(client, "pat", PASSWORD).status_code == 302


# --- Two factors ------------------------------------------------------------------------------------


@pytest.fixture
def two_factors():
    with override_settings(CXPORTAL_REQUIRE_2FA=True):
        yield


@pytest.fixture
def device(pat):
    return TOTPDevice.objects.create(user=pat, name="Phone", confirmed=True)


def test_without_the_setting_a_password_alone_signs_in(client, pat):
    assert settings.CXPORTAL_REQUIRE_2FA is False  # the default: `make run` needs no phone
    page = client.get(reverse("admin:login")).content.decode()
    assert 'name="otp_token"' not in page
    assert sign_in(client, "pat", PASSWORD).status_code == 302
    assert signed_in(client)


def test_with_the_setting_the_login_form_asks_for_the_token(client, two_factors):
    page = client.get(reverse("admin:login")).content.decode()
    assert '<label for="id_otp_token">OTP token:</label>' in page
    assert 'autocomplete="one-time-code"' in page
    assert "six-digit code" in page


def test_with_the_setting_a_password_without_a_token_is_not_enough(
    client, pat, device, two_factors
):
    response = sign_in(client, "pat", PASSWORD)
    assert response.status_code == 200
    assert "Enter the six-digit code from your authenticator app." in response.content.decode()
    assert not signed_in(client)


def test_with_the_setting_a_wrong_token_is_refused_and_the_right_one_signs_in(
    client, pat, device, two_factors, clock
):
    wrong = f"{(int(token(device)) + 1) % 1_000_000:06d}"
    response = sign_in(client, "pat", PASSWORD, otp_token=wrong)
    assert response.status_code == 200
    assert "That code is not right" in response.content.decode()
    assert not signed_in(client)

    # django-otp makes the device wait a second after a wrong code; then the right one works.
    clock.shift(datetime.timedelta(seconds=2))
    response = sign_in(client, "pat", PASSWORD, otp_token=token(device))
    assert response.status_code == 302
    assert response["Location"] == reverse("admin:index")
    assert signed_in(client)


def test_with_the_setting_a_session_without_a_token_does_not_reach_the_admin(
    client, pat, device, two_factors
):
    """Someone who signed in by password before 2FA was turned on must sign in again."""
    client.force_login(pat)
    assert not signed_in(client)
    page = client.get(reverse("admin:login")).content.decode()
    assert "You are signed in as pat, without an OTP token" in page


def test_with_the_setting_staff_without_a_device_are_told_how_to_get_one(client, pat, two_factors):
    response = sign_in(client, "pat", PASSWORD, otp_token="123456")
    assert "manage.py add_totp_device pat" in response.content.decode()
    assert not signed_in(client)


def test_with_two_devices_the_form_asks_which_one(client, pat, device, two_factors):
    spare = TOTPDevice.objects.create(user=pat, name="Spare phone", confirmed=True)
    response = sign_in(client, "pat", PASSWORD, otp_token=token(spare))
    page = response.content.decode()
    assert "Choose the authenticator app (device) the code comes from." in page
    assert "Spare phone" in page and 'name="otp_device"' in page
    assert not signed_in(client)

    chosen = sign_in(
        client, "pat", PASSWORD, otp_token=token(spare), otp_device=spare.persistent_id
    )
    assert chosen.status_code == 302
    assert signed_in(client)


# --- Idle sessions ----------------------------------------------------------------------------------


def test_a_staff_session_ends_after_the_idle_time_and_each_request_extends_it(client, pat, clock):
    assert settings.SESSION_COOKIE_AGE == 30 * 60  # CXPORTAL_SESSION_IDLE_MINUTES' default
    sign_in(client, "pat", PASSWORD)
    response = client.get(reverse("admin:index"))
    assert response.cookies["sessionid"]["max-age"] == 30 * 60

    # Busy for an hour, never 30 minutes apart: still signed in.
    for _ in range(3):
        clock.shift(datetime.timedelta(minutes=25))
        assert signed_in(client)

    clock.shift(datetime.timedelta(minutes=31))
    response = client.get(reverse("admin:index"))
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('admin:login')}?next={reverse('admin:index')}"


@override_settings(SESSION_COOKIE_AGE=5 * 60)
def test_the_idle_time_is_the_setting(client, pat, clock):
    sign_in(client, "pat", PASSWORD)
    clock.shift(datetime.timedelta(minutes=4))
    assert signed_in(client)
    clock.shift(datetime.timedelta(minutes=6))
    assert not signed_in(client)


@pytest.mark.parametrize("path", ["/", "/pma/cx/", "/cx/hisps/"])
def test_public_pages_make_no_session(client, path):
    response = client.get(path)
    assert response.status_code == 200
    assert "sessionid" not in response.cookies
    assert "Set-Cookie" not in response


def _settings_from_the_environment(**env):
    """The values settings.py reads from this environment, in a fresh Python process."""
    script = (
        "import django, json; django.setup(); "
        "from django.conf import settings as s; from django.urls import reverse; "
        "print(json.dumps({'idle': s.SESSION_COOKIE_AGE, 'limit': s.AXES_FAILURE_LIMIT, "
        "'cooloff': s.AXES_COOLOFF_TIME.total_seconds(), '2fa': s.CXPORTAL_REQUIRE_2FA, "
        "'admin': reverse('admin:index')}))"
    )
    names = [
        "CXPORTAL_SESSION_IDLE_MINUTES",
        "CXPORTAL_LOGIN_FAILURE_LIMIT",
        "CXPORTAL_LOGIN_COOLOFF_MINUTES",
        "CXPORTAL_REQUIRE_2FA",
        "CXPORTAL_ADMIN_PATH",
    ]
    clean = {k: v for k, v in os.environ.items() if k not in names}
    # A placeholder database (never connected to), as the Dockerfile's collectstatic step has.
    clean.update(
        DJANGO_SETTINGS_MODULE="cxportal.settings", DATABASE_URL="postgres://x@localhost/x"
    )
    result = subprocess.run(
        [sys.executable, "-c", script],
        cwd=settings.BASE_DIR,
        env={**clean, **env},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_the_environment_sets_each_value_and_the_defaults_are_safe():
    assert _settings_from_the_environment() == {
        "idle": 1800,
        "limit": 5,
        "cooloff": 900,
        "2fa": False,
        "admin": "/admin/",
    }
    assert _settings_from_the_environment(
        CXPORTAL_SESSION_IDLE_MINUTES="10",
        CXPORTAL_LOGIN_FAILURE_LIMIT="3",
        CXPORTAL_LOGIN_COOLOFF_MINUTES="60",
        CXPORTAL_REQUIRE_2FA="true",
        CXPORTAL_ADMIN_PATH="/staff-only",
    ) == {"idle": 600, "limit": 3, "cooloff": 3600, "2fa": True, "admin": "/staff-only/"}


# --- The admin's address ------------------------------------------------------------------------------


@pytest.fixture
def admin_elsewhere():
    """The site with CXPORTAL_ADMIN_PATH set: the root URLs read it when they are imported."""
    with override_settings(CXPORTAL_ADMIN_PATH="staff-only/"):
        importlib.reload(cxportal.urls)
        clear_url_caches()
        yield
    importlib.reload(cxportal.urls)
    clear_url_caches()


def test_the_admin_answers_at_its_configured_path_only(client, pat, admin_elsewhere):
    assert client.get("/admin/").status_code == 404
    assert client.get("/admin/login/").status_code == 404

    response = client.get("/staff-only/")
    assert response.status_code == 302
    assert response["Location"] == "/staff-only/login/?next=/staff-only/"
    login = client.get("/staff-only/login/")
    assert login.status_code == 200
    # The admin keeps its own Content-Security-Policy (inline styles) at the new address.
    assert "'unsafe-inline'" in login["Content-Security-Policy"]

    response = client.post(
        "/staff-only/login/", {"username": "pat", "password": PASSWORD, "next": "/staff-only/"}
    )
    assert response["Location"] == "/staff-only/"
    assert "CX progress portal administration" in client.get("/staff-only/").content.decode()
    assert "Disallow: /staff-only/" in client.get("/robots.txt").content.decode()


def test_create_editor_names_the_configured_address(monkeypatch, admin_elsewhere):
    monkeypatch.setenv("CXPORTAL_PASSWORD", PASSWORD)
    out = io.StringIO()
    call_command("create_editor", "ana", "--role", "OMB editor", stdout=out)
    assert "Sign in at /staff-only/." in out.getvalue()


def test_the_admin_is_at_admin_by_default(client):
    assert client.get("/admin/login/").status_code == 200
    assert client.get("/staff-only/login/").status_code == 404


# --- Giving staff an authenticator -------------------------------------------------------------------


def test_add_totp_device_makes_a_confirmed_device_and_prints_how_to_add_it(client, pat):
    out = io.StringIO()
    call_command("add_totp_device", "pat", stdout=out)
    printed = out.getvalue()
    device = TOTPDevice.objects.get(user=pat)
    assert device.confirmed
    assert "otpauth://totp/CX%20progress%20portal%3Apat?secret=" in printed
    assert "issuer=CX%20progress%20portal" in printed

    # The printed key is the device's: an app that was given it makes codes that sign in.
    secret = printed.split("secret key (typed into the app, time-based, 6 digits): ")[1].strip()
    assert b32decode(secret) == device.bin_key
    with override_settings(CXPORTAL_REQUIRE_2FA=True):
        assert sign_in(client, "pat", PASSWORD, otp_token=token(device)).status_code == 302
        assert signed_in(client)


def test_add_totp_device_replaces_a_lost_device_and_refuses_an_unknown_user(pat, device):
    call_command("add_totp_device", "pat", "--replace", stdout=io.StringIO())
    assert list(TOTPDevice.objects.filter(user=pat)) != [device]
    assert TOTPDevice.objects.filter(user=pat).count() == 1
    with pytest.raises(CommandError, match="There is no user called 'nobody'"):
        call_command("add_totp_device", "nobody")
