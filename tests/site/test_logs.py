"""The logs (ADR 0031): one JSON object per line, with a request id (the caller's X-Request-ID when
it is sane, else a new one, and always echoed back), method, path, status and duration; an error
with its traceback. The handler under test is the one settings.LOGGING configures."""

import io
import json
import logging
import uuid

import pytest
from django.urls import path

import cxportal.urls

pytestmark = pytest.mark.django_db


def boom(request):
    raise ValueError("a bug in a view")


# This module is also the URLconf of the tests that need a view that raises.
urlpatterns = [path("boom/", boom), *cxportal.urls.urlpatterns]
handler404 = cxportal.urls.handler404
handler500 = cxportal.urls.handler500


@pytest.fixture
def log_lines():
    """What the configured console handler writes, captured: its formatter and filter, another
    stream."""
    (console,) = logging.getLogger().handlers[:1] or [None]
    assert console is not None and console.formatter.__class__.__name__ == "JsonFormatter"
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(console.formatter)
    for log_filter in console.filters:
        handler.addFilter(log_filter)
    root = logging.getLogger()
    root.addHandler(handler)
    try:
        yield lambda: [json.loads(line) for line in stream.getvalue().splitlines()]
    finally:
        root.removeHandler(handler)


def test_a_request_is_one_json_line(client, log_lines):
    response = client.get("/pma/cx/?q=private+words")

    (line,) = log_lines()
    assert line["logger"] == "cxportal.request" and line["level"] == "INFO"
    assert (line["method"], line["path"], line["status"]) == ("GET", "/pma/cx/", 200)
    assert isinstance(line["duration_ms"], float) and line["duration_ms"] > 0
    assert line["time"].endswith("+00:00")  # ISO 8601 in UTC
    # A new id, echoed back for the caller to quote; the query string is not logged.
    assert line["request_id"] == response["X-Request-ID"]
    assert uuid.UUID(hex=line["request_id"])
    assert "private" not in json.dumps(line)


def test_a_sane_request_id_is_kept_and_a_forged_one_replaced(client, log_lines):
    given = "Root=1-67891233-abcdef012345678912345678"
    kept = client.get("/about/", headers={"X-Request-ID": given})
    forged = client.get("/about/", headers={"X-Request-ID": 'x" "status": 200\nfake line'})

    assert kept["X-Request-ID"] == given
    assert forged["X-Request-ID"] != 'x" "status": 200\nfake line'
    assert [line["request_id"] for line in log_lines()] == [given, forged["X-Request-ID"]]


def test_redirects_and_404s_are_logged_once(client, log_lines):
    client.get("/cx/dashboard/")
    client.get("/no/such/page/")
    assert [(line["path"], line["status"]) for line in log_lines()] == [
        ("/cx/dashboard/", 301),
        ("/no/such/page/", 404),
    ]


@pytest.mark.urls("tests.site.test_logs")
def test_an_error_is_logged_with_its_traceback_and_the_request_id(client, log_lines):
    client.raise_request_exception = False
    response = client.get("/boom/")

    assert response.status_code == 500
    assert "Something went wrong" in response.content.decode()
    error, request = log_lines()
    assert error["level"] == "ERROR" and error["logger"] == "django.request"
    assert "Traceback (most recent call last)" in error["exc_info"]
    assert 'raise ValueError("a bug in a view")' in error["exc_info"]
    assert error["request_id"] == request["request_id"] == response["X-Request-ID"]
    assert (request["path"], request["status"]) == ("/boom/", 500)
