"""Response headers every page carries."""

from django.urls import reverse

CSP = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "font-src 'self'",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)
# Django's admin sets a few inline style attributes of its own; it still runs no inline script.
ADMIN_CSP = CSP.replace("style-src 'self'", "style-src 'self' 'unsafe-inline'")


def content_security_policy(get_response):
    """A strict Content-Security-Policy: no inline script or style on public pages, no nonces."""

    def middleware(request):
        response = get_response(request)
        if "Content-Security-Policy" not in response:
            # The admin's address is a setting (CXPORTAL_ADMIN_PATH).
            admin = request.path.startswith(reverse("admin:index"))
            response["Content-Security-Policy"] = ADMIN_CSP if admin else CSP
        return response

    return middleware
