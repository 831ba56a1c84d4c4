"""Running the site (ADR 0031): a request id and a JSON log line for every request, the health
check's test, and a friendly 503 while the database is away.

The request log is the outermost middleware (first in MIDDLEWARE), so that it times and logs
every response, redirects and errors included, and every response carries its X-Request-ID.
"""

import contextvars
import logging
import re
import sys
import time
import uuid

from django.db import DatabaseError, InterfaceError, OperationalError, connection
from django.db.migrations.executor import MigrationExecutor
from django.http import HttpResponse
from django.template.loader import render_to_string
from django.utils.cache import add_never_cache_headers

logger = logging.getLogger("cxportal.request")

# The request being served, for every log line written while it is (a thread or task each).
request_id = contextvars.ContextVar("request_id", default="")

# A request id a load balancer or proxy sent is kept when it looks like one (a UUID, AWS's
# "Root=1-…", a hex trace id); anything else (too long, spaces, quotes, control characters)
# is replaced, so that the log cannot be forged or broken through the header.
SANE_REQUEST_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9._:=+/-]{0,127}")

# How long a client should wait before trying again while the database is away.
RETRY_AFTER_SECONDS = 30


class RequestIdFilter(logging.Filter):
    """Adds `request_id` to every log record (empty outside a request), and drops Django's lines
    that only repeat a response's status ("Not Found: /x", "Service Unavailable: /x"): the
    request's own line has it. Its lines with a traceback (an uncaught error) stay."""

    def filter(self, record):
        if record.name == "django.request" and not record.exc_info:
            return False
        if not getattr(record, "request_id", ""):
            # Django logs an error after the middleware has finished; the request knows its id.
            request = getattr(record, "request", None)
            record.request_id = getattr(request, "request_id", "") or request_id.get()
        return True


def request_log(get_response):
    """Give each request an id (the caller's X-Request-ID if sane, else a new UUID), echo it in
    the response, and log one line: method, path, status and duration. The query string is left
    out: it holds what visitors searched for."""

    def middleware(request):
        given = request.headers.get("X-Request-ID", "")
        rid = given if SANE_REQUEST_ID.fullmatch(given) else uuid.uuid4().hex
        request.request_id = rid
        token = request_id.set(rid)
        start = time.perf_counter()
        try:
            response = get_response(request)
            response["X-Request-ID"] = rid
            duration_ms = round((time.perf_counter() - start) * 1000, 1)
            logger.info(
                "%s %s %s",
                request.method,
                request.path,
                response.status_code,
                extra={
                    "method": request.method,
                    "path": request.path,
                    "status": response.status_code,
                    "duration_ms": duration_ms,
                },
            )
            return response
        finally:
            request_id.reset(token)

    return middleware


def is_database_outage(exception: BaseException | None) -> bool:
    """True for the errors a lost or refused database connection raises, wherever in the chain
    of causes they are (a template may have wrapped one)."""
    for _ in range(5):
        if exception is None:
            return False
        if isinstance(exception, OperationalError | InterfaceError):
            return True
        exception = exception.__cause__ or exception.__context__
    return False


def unavailable(request) -> HttpResponse:
    """The friendly 503 page, rendered without the database: no context processors run (they
    could read the session or the user), and the template reads nothing but the request.

    The request is marked, so that the page cache above (cxportal.caching) answers with the page's
    last kept copy instead, when it has one."""
    request._cx_database_error = True
    page = render_to_string("503.html", {"request": request})
    response = HttpResponse(page, status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    add_never_cache_headers(response)  # Cache-Control: ... no-store ...: never kept by a cache
    return response


class DatabaseUnavailableMiddleware:
    """Turns a database outage in a view (or its template) into the 503 page instead of a 500.
    Errors raised outside the view, in another middleware, reach handler500, which does the same
    (cxportal.views.server_error)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not is_database_outage(exception):
            return None
        log_outage(request, exception)
        return unavailable(request)


def log_outage(request, exception) -> None:
    logging.getLogger("cxportal.database").error(
        "Database unavailable: %s %s",
        request.method,
        request.path,
        exc_info=(type(exception), exception, exception.__traceback__),
        extra={"status": 503},
    )


def current_exception() -> BaseException | None:
    return sys.exc_info()[1]


def database_problem() -> str:
    """What keeps the site from serving, as /healthz says it: "" when the database answers and
    every migration in the code is applied to it."""
    try:
        executor = MigrationExecutor(connection)
        plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
    except DatabaseError as error:
        return f"database unavailable: {type(error).__name__}"
    if plan:
        names = ", ".join(f"{m.app_label}.{m.name}" for m, _backwards in plan[:5])
        return f"{len(plan)} migration(s) not applied: {names}"
    return ""
