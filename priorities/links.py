"""Which web addresses the public may be sent to (ADR 0019).

Some imported text was read from cloud.gov Pages branch previews of performance.gov
(federalist-….sites.pages.cloud.gov/preview/gsa/<repository>/<branch>/<path>) or from
staging.performance.gov. Those addresses are where a copy was read, which is provenance for the
admin; they are not pages the public should use. A preview or staging address stands for the page
at the same path on www.performance.gov, and that is the address a public link carries.
"""

import re
from urllib.parse import urlsplit

from django.core.exceptions import ValidationError

OFFICIAL_SITE = "https://www.performance.gov"

# A branch preview: /preview/<owner>/<repository>/<branch>/ comes before the site's own path.
_PREVIEW_PATH = re.compile(r"^/preview/[^/]+/[^/]+/[^/]+(?P<path>/.*)?$")
_PREVIEW_HOST = re.compile(r"(^|\.)(sites\.pages\.cloud\.gov|app\.cloud\.gov)$")
_STAGING_HOSTS = ("staging.performance.gov",)


def is_unofficial(url: str) -> bool:
    """Whether `url` is a preview or staging address, which public pages must not link to."""
    host = (urlsplit(url or "").hostname or "").lower()
    return bool(_PREVIEW_HOST.search(host)) or "federalist" in host or host in _STAGING_HOSTS


def official_url(url: str) -> str:
    """The address the public should use for `url`: the same page on www.performance.gov for a
    preview or staging address, "" for a preview address that names no page; else `url` itself."""
    if not is_unofficial(url):
        return url or ""
    parts = urlsplit(url)
    path = parts.path
    if (parts.hostname or "").lower() not in _STAGING_HOSTS:
        match = _PREVIEW_PATH.match(path)
        if not match:
            return ""
        path = match.group("path") or "/"
    return OFFICIAL_SITE + path


def validate_official(url: str) -> None:
    """Refuse a preview or staging address in a field whose address the public follows."""
    if is_unofficial(url):
        suggestion = official_url(url)
        hint = f" Use the published address, e.g. {suggestion}" if suggestion else ""
        raise ValidationError(
            "This is a preview or staging address, which the public cannot rely on." + hint,
            code="unofficial_address",
        )


def source_name(url: str) -> str:
    """How a reader knows the site of `url`: "performance.gov" for its hosts, else the host."""
    host = (urlsplit(url or "").hostname or "").lower().removeprefix("www.")
    return "performance.gov" if host.endswith("performance.gov") else host


# What a reader gets from a file's address, by its extension.
FILE_FORMATS = {
    ".pdf": ("PDF", "A document to read or print."),
    ".xlsx": ("Excel spreadsheet", "A spreadsheet to fill in."),
    ".xls": ("Excel spreadsheet", "A spreadsheet to fill in."),
    ".pptx": ("PowerPoint slides", "A slide template to fill in."),
    ".docx": ("Word document", "A document to fill in."),
    ".csv": ("CSV file", "Data to open in a spreadsheet."),
}


def file_format(url: str) -> tuple[str, str]:
    """(The format's name, what a reader does with it) for the file at `url`; ("", "") when the
    address does not say."""
    path = urlsplit(url or "").path.lower()
    for extension, described in FILE_FORMATS.items():
        if path.endswith(extension):
            return described
    return "", ""
