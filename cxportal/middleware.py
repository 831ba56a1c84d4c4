"""Response headers every page carries (ADRs 0005 and 0030)."""

from functools import cache
from urllib.parse import urlsplit

from django.conf import settings
from django.urls import reverse

# What the Digital Analytics Program's script needs, besides its own origin, when it is turned on
# (CXPORTAL_DAP_AGENCY): it loads Google's GA4 tag library and sends its hits to Google Analytics,
# whose collection hosts are regional. From DAP's README ("Content Security Policy") and Google's
# CSP guide for GA4. Nothing here is allowed while DAP is off.
DAP_SCRIPT_ORIGINS = ("https://www.googletagmanager.com",)
DAP_CONNECT_ORIGINS = (
    "https://*.google-analytics.com",
    "https://*.analytics.google.com",
    "https://*.googletagmanager.com",
)
DAP_IMG_ORIGINS = ("https://*.google-analytics.com", "https://*.googletagmanager.com")


@cache
def build_csp(dap_origin: str = "", admin: bool = False) -> str:
    """The policy: only the site's own files, no inline script or style, no nonces (so that a
    cached page stays valid), plus the analytics origins when DAP is on (public pages only)."""
    script, connect, img = ["'self'"], ["'self'"], ["'self'", "data:"]
    if dap_origin and not admin:
        script += [dap_origin, *DAP_SCRIPT_ORIGINS]
        connect += [dap_origin, *DAP_CONNECT_ORIGINS]
        img += DAP_IMG_ORIGINS
    return "; ".join(
        [
            "default-src 'self'",
            "script-src " + " ".join(script),
            # Django's admin sets a few inline style attributes of its own; it still runs no
            # inline script.
            "style-src 'self' 'unsafe-inline'" if admin else "style-src 'self'",
            "img-src " + " ".join(img),
            "font-src 'self'",
            "connect-src " + " ".join(connect),
            "object-src 'none'",
            "base-uri 'self'",
            "form-action 'self'",
            "frame-ancestors 'none'",
        ]
    )


CSP = build_csp()
ADMIN_CSP = build_csp(admin=True)


def dap_script_url() -> str:
    """The DAP script's address for this site's agency, or "" while DAP is off."""
    agency = settings.CXPORTAL_DAP_AGENCY
    if not agency:
        return ""
    return f"{settings.CXPORTAL_DAP_URL}?agency={agency}"


def dap_origin() -> str:
    if not settings.CXPORTAL_DAP_AGENCY:
        return ""
    parts = urlsplit(settings.CXPORTAL_DAP_URL)
    return f"{parts.scheme}://{parts.netloc}"


def content_security_policy(get_response):
    """A strict Content-Security-Policy: no inline script or style on public pages, no nonces."""

    def middleware(request):
        response = get_response(request)
        if "Content-Security-Policy" not in response:
            # The admin's address is a setting (CXPORTAL_ADMIN_PATH).
            admin = request.path.startswith(reverse("admin:index"))
            response["Content-Security-Policy"] = build_csp(dap_origin(), admin)
        return response

    return middleware


def analytics(request):
    """Context processor: the DAP script's address for base.html ("" while DAP is off). Reads
    settings only, so error pages that render without a database can use it too."""
    return {"dap_script_url": dap_script_url()}
