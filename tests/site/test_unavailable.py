"""A database error in a request gives the friendly 503 page, never a 500 (ADR 0031). Here the
errors are raised by views; tests/test_outage.py stops a real Postgres under a running server."""

import json

import pytest
from django.db import InterfaceError, OperationalError
from django.template import engines
from django.template.response import TemplateResponse
from django.urls import path
from django.utils.functional import SimpleLazyObject

import cxportal.urls
from cxportal import ops

pytestmark = pytest.mark.django_db


def lost_connection(request):
    raise OperationalError("server closed the connection unexpectedly")


def closed_connection(request):
    raise InterfaceError("connection already closed")


def in_a_template(request):
    """A lazy queryset is read while the template renders, after the view has returned."""

    class Rows:
        def __iter__(self):
            raise OperationalError("terminating connection due to administrator command")

    template = engines["django"].from_string("{% for row in rows %}{{ row }}{% endfor %}")
    return TemplateResponse(request, template, {"rows": Rows()})


def wrapped(request):
    try:
        raise OperationalError("connection refused")
    except OperationalError as error:
        raise RuntimeError("while loading the page") from error


def a_bug(request):
    raise ValueError("not the database")


urlpatterns = [
    path("lost/", lost_connection),
    path("closed/", closed_connection),
    path("template/", in_a_template),
    path("wrapped/", wrapped),
    path("bug/", a_bug),
    *cxportal.urls.urlpatterns,
]
handler404 = cxportal.urls.handler404
handler500 = cxportal.urls.handler500


def assert_unavailable_page(response):
    assert response.status_code == 503
    page = response.content.decode()
    assert "<h1>The site is temporarily unavailable</h1>" in page
    assert "usa-banner" in page and "usa-footer" in page and '<html lang="en">' in page
    assert response["Retry-After"] == "30"
    assert "no-store" in response["Cache-Control"]
    assert response["Content-Type"] == "text/html; charset=utf-8"


@pytest.mark.urls("tests.site.test_unavailable")
@pytest.mark.parametrize("url", ["/lost/", "/closed/", "/template/", "/wrapped/"])
def test_a_database_error_gives_the_503_page(client, url):
    client.raise_request_exception = False
    response = client.get(url)

    assert_unavailable_page(response)
    assert "script-src 'self'" in response["Content-Security-Policy"]
    assert response["X-Request-ID"]


@pytest.mark.urls("tests.site.test_unavailable")
def test_other_errors_are_still_500(client):
    client.raise_request_exception = False
    response = client.get("/bug/")
    assert response.status_code == 500
    assert "Something went wrong" in response.content.decode()


def test_the_page_renders_without_touching_the_database(rf, django_assert_num_queries):
    """A signed-in editor's request: reading the user or the session would need the database,
    so here both fail loudly; the page must not need either."""

    def no_database():
        raise AssertionError("the 503 page read the user or the session")

    request = rf.get("/pma/cx/")
    request.user = SimpleLazyObject(no_database)
    request.session = SimpleLazyObject(no_database)

    with django_assert_num_queries(0):
        response = ops.unavailable(request)

    assert_unavailable_page(response)


def test_handler500_turns_a_database_error_elsewhere_into_the_503_page(rf):
    from cxportal.views import server_error

    try:
        raise OperationalError("connection to server failed: Connection refused")
    except OperationalError:
        response = server_error(rf.get("/cx/hisps/"))
    assert_unavailable_page(response)


@pytest.mark.urls("tests.site.test_unavailable")
def test_the_outage_is_logged_with_its_traceback(client, caplog):
    client.raise_request_exception = False
    with caplog.at_level("ERROR", logger="cxportal.database"):
        client.get("/lost/")
    (record,) = [r for r in caplog.records if r.name == "cxportal.database"]
    assert record.getMessage() == "Database unavailable: GET /lost/"
    assert "server closed the connection" in str(record.exc_info[1])
    json.dumps(record.status)  # the extra field is loggable as JSON
