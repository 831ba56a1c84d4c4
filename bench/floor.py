"""The framework floor: a bare Django view that answers with bytes the app already rendered.

bench/run fetches each page once from the app, writes the response to a folder, and serves that
folder here through the same gunicorn setup as the app (the same gunicorn.conf.py, the same
workers). What this answers per second is what Django and gunicorn cost with no database, no
template and no middleware: the most the app could reach on this machine. This module is its own
settings module (DJANGO_SETTINGS_MODULE=floor), so that anything in gunicorn.conf.py that reads
Django's settings finds some.

    BENCH_FLOOR_DIR=/tmp/dir gunicorn --pythonpath bench floor:application

The folder holds `responses.json`: {"/path/?query": {"file": "3.body", "content_type": "...",
"content_encoding": "gzip" or ""}}, and the files it names.
"""

import json
import os
import secrets
from pathlib import Path

from django.core.wsgi import get_wsgi_application
from django.http import HttpResponse, HttpResponseNotFound
from django.urls import re_path

DEBUG = False
SECRET_KEY = secrets.token_urlsafe(50)
ALLOWED_HOSTS = ["127.0.0.1", "localhost"]
ROOT_URLCONF = __name__
INSTALLED_APPS: list[str] = []
MIDDLEWARE: list[str] = []
DATABASES: dict = {}
USE_TZ = True


def _load(folder: Path) -> dict[str, tuple[bytes, str, str]]:
    """Every stored response, read into memory once, keyed by path and query string."""
    index = json.loads((folder / "responses.json").read_text())
    return {
        address: (
            (folder / item["file"]).read_bytes(),
            item["content_type"],
            item["content_encoding"],
        )
        for address, item in index.items()
    }


RESPONSES = _load(Path(os.environ["BENCH_FLOOR_DIR"])) if "BENCH_FLOOR_DIR" in os.environ else {}


def stored(request):
    """The stored bytes for this address, with the app's content type and encoding."""
    found = RESPONSES.get(request.get_full_path())
    if found is None:
        return HttpResponseNotFound()
    body, content_type, encoding = found
    response = HttpResponse(body, content_type=content_type)
    if encoding:
        response["Content-Encoding"] = encoding
        response["Vary"] = "Accept-Encoding"
    return response


urlpatterns = [re_path(r"", stored)]

if os.environ.get("DJANGO_SETTINGS_MODULE") == "floor":
    application = get_wsgi_application()
