"""The security headers and cookies (issue 9, ADR 0030), on a public page, an admin page, a 404 and
a download, with the production settings the README's environment gives; and the optional Digital
Analytics Program script, which the CSP allows only while it is on.

The production values are applied with override_settings; `PRODUCTION_SETTINGS` is checked against
what settings.py really makes of the README's environment in tests/site/test_production_env.py.
"""

import pytest
from django.test import override_settings

pytestmark = pytest.mark.django_db

# One of each kind of response the issue names.
RESPONSES = {
    "public page": "/pma/cx/",
    "admin page": "/admin/login/",
    "404": "/no/such/page/",
    "download": "/cx/data/hisps.csv",
}

PRODUCTION_SETTINGS = {
    "DEBUG": False,
    "SECURE_SSL_REDIRECT": True,
    "SECURE_HSTS_SECONDS": 31536000,
    "SECURE_HSTS_INCLUDE_SUBDOMAINS": True,
    "SECURE_HSTS_PRELOAD": True,
    "SESSION_COOKIE_SECURE": True,
    "CSRF_COOKIE_SECURE": True,
    "SESSION_COOKIE_HTTPONLY": True,
    "CSRF_COOKIE_HTTPONLY": True,
    "SESSION_COOKIE_SAMESITE": "Lax",
    "CSRF_COOKIE_SAMESITE": "Lax",
}

PUBLIC_CSP = {
    "default-src": ["'self'"],
    "script-src": ["'self'"],
    "style-src": ["'self'"],
    "img-src": ["'self'", "data:"],
    "font-src": ["'self'"],
    "connect-src": ["'self'"],
    "object-src": ["'none'"],
    "base-uri": ["'self'"],
    "form-action": ["'self'"],
    "frame-ancestors": ["'none'"],
}
# Django's admin sets inline style attributes; it still runs no inline script (ADR 0005).
ADMIN_CSP = {**PUBLIC_CSP, "style-src": ["'self'", "'unsafe-inline'"]}

DENIED_FEATURES = [
    "camera",
    "microphone",
    "geolocation",
    "payment",
    "usb",
    "serial",
    "hid",
    "browsing-topics",
    "interest-cohort",
    "display-capture",
]


def csp_of(response) -> dict[str, list[str]]:
    directives = {}
    for part in response["Content-Security-Policy"].split(";"):
        name, *values = part.split()
        assert name not in directives, f"{name} given twice"
        directives[name] = values
    return directives


@pytest.fixture
def production():
    with override_settings(**PRODUCTION_SETTINGS):
        yield


@pytest.mark.parametrize("kind", RESPONSES)
def test_every_kind_of_response_carries_the_headers(client, production, kind):
    response = client.get(RESPONSES[kind], secure=True)

    assert response.status_code == (404 if kind == "404" else 200)
    assert response["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains; preload"
    assert response["Referrer-Policy"] == "strict-origin-when-cross-origin"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["X-Frame-Options"] == "DENY"
    policy = dict(item.split("=", 1) for item in response["Permissions-Policy"].split(", "))
    for feature in DENIED_FEATURES:
        assert policy[feature] == "()", feature
    assert csp_of(response) == (ADMIN_CSP if kind == "admin page" else PUBLIC_CSP)


@pytest.mark.parametrize("kind", RESPONSES)
def test_plain_http_is_sent_to_https(client, production, kind):
    response = client.get(RESPONSES[kind])
    assert response.status_code == 301
    assert response["Location"] == f"https://testserver{RESPONSES[kind]}"
    assert "Strict-Transport-Security" not in response  # browsers ignore it over HTTP


def test_public_pages_set_no_cookie(client, production):
    for path in (RESPONSES["public page"], RESPONSES["404"], RESPONSES["download"]):
        assert not client.get(path, secure=True).cookies, path


def test_staff_cookies_are_secure_httponly_and_lax(client, production, django_user_model):
    django_user_model.objects.create_superuser("ops", "ops@example.gov", "a long passphrase 42")

    login_page = client.get("/admin/login/", secure=True)
    signed_in = client.post(
        "/admin/login/",
        {
            "username": "ops",
            "password": "a long passphrase 42",
            "next": "/admin/",
            "csrfmiddlewaretoken": login_page.context["csrf_token"],
        },
        secure=True,
    )

    assert signed_in.status_code == 302 and signed_in["Location"] == "/admin/"
    cookies = {**login_page.cookies, **signed_in.cookies}
    assert {"csrftoken", "sessionid"} <= set(cookies)
    for name in ("csrftoken", "sessionid"):
        morsel = cookies[name]
        assert morsel["secure"] is True, name
        assert morsel["httponly"] is True, name
        assert morsel["samesite"] == "Lax", name
    # The admin still works with an HttpOnly CSRF cookie: its forms carry the token.
    assert client.get("/admin/", secure=True).status_code == 200


def test_analytics_are_off_by_default(client):
    response = client.get(RESPONSES["public page"])
    assert "dap.digitalgov.gov" not in response.content.decode()
    assert "_fed_an_ua_tag" not in response.content.decode()
    assert "https:" not in response["Content-Security-Policy"]  # no other origin at all


@override_settings(CXPORTAL_DAP_AGENCY="GSA")
def test_analytics_script_and_its_origins_when_turned_on(client):
    response = client.get(RESPONSES["public page"])

    tag = (
        '<script async src="https://dap.digitalgov.gov/Universal-Federated-Analytics-Min.js'
        '?agency=GSA" id="_fed_an_ua_tag"></script>'
    )
    assert tag in response.content.decode()
    csp = csp_of(response)
    assert csp["script-src"] == [
        "'self'",
        "https://dap.digitalgov.gov",
        "https://www.googletagmanager.com",
    ]
    assert "https://*.google-analytics.com" in csp["connect-src"]
    assert "https://*.analytics.google.com" in csp["connect-src"]
    # Still no inline script, no eval, no nonce; the rest is unchanged.
    assert not any("unsafe" in v or "nonce" in v for v in csp["script-src"])
    assert {k: v for k, v in csp.items() if k not in ("script-src", "connect-src", "img-src")} == {
        k: v for k, v in PUBLIC_CSP.items() if k not in ("script-src", "connect-src", "img-src")
    }
    # The admin does not load it, so its policy does not allow it.
    assert csp_of(client.get("/admin/login/")) == ADMIN_CSP
