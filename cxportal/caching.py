"""Caching that is never stale (docs/decisions/0026 and 0027).

Three pieces, all kept in the shared cache (Redis with REDIS_URL, else the database cache), never
in one process's memory, so that a publish on one app container is seen by all of them:

- **The content version**, a token that changes after every committed write to a table of the
  content apps (content, hisps, milestones, priorities), by any route: a model's save or delete,
  a revert, a bulk import or upload, a reporting period's publish, a moved address. Writes are
  watched at the SQL level (`_watch_writes`), because bulk writes (bulk_create, bulk_update,
  QuerySet.update) send no model signal, and the importer, the upload and the period publish use
  them. The token changes when the transaction commits (`transaction.on_commit`): a page rendered
  before the commit may be cached under the old token, never under the new one. After every change
  `content_changed` is sent, for whatever else holds pages (a reverse proxy, a CDN) to purge.
- **The schedule**: the publish times of published items still to come (an item or a reporting
  period scheduled for later). A cached page lives until the next of them at the latest, so that
  scheduled content appears on time without anything being written at that time.
- **The page cache** (`PageCacheMiddleware`): anonymous GET and HEAD responses of public pages,
  kept under the full URL, the htmx request headers, gzip or not, and the code's release, each with
  the content version it was drawn under; served only while that version is current. A hit is
  served without a database query, so it is served while Postgres is down; a miss that fails on
  the database is answered with the last copy of that page, if any.

It also sets the HTTP caching headers: `Cache-Control: public, max-age=..., stale-while-revalidate=...`
(never beyond the next scheduled time), `ETag` and `Last-Modified` on public pages, with 304 for
conditional requests; `private, no-store` on everything a signed-in user, a preview or a share
link sees, and on the admin.
"""

import datetime
import functools
import hashlib
import http.client
import json
import logging
import re
import secrets
import time
import urllib.parse
from dataclasses import dataclass

from django.apps import apps
from django.conf import settings
from django.core.cache import cache
from django.core.cache.backends.redis import RedisCache as DjangoRedisCache
from django.core.cache.backends.redis import RedisCacheClient
from django.db import (
    DatabaseError,
    DataError,
    IntegrityError,
    ProgrammingError,
    connections,
    transaction,
)
from django.dispatch import Signal
from django.http import HttpResponse
from django.utils.cache import get_conditional_response
from django.utils.http import http_date

logger = logging.getLogger(__name__)

# Sent after every change of the content version, with `version` (the new token). Receivers run
# in the request that made the change, after its commit, before it answers.
content_changed = Signal()

CONTENT_APPS = ("content", "hisps", "milestones", "priorities")

# A browser or shared cache keeps a public page this long (never past the next scheduled time),
# then may serve it for STALE_WHILE_REVALIDATE more seconds while it asks again.
MAX_AGE = 60
STALE_WHILE_REVALIDATE = 30
# The app keeps each page's latest drawing this long. It is served while its content version is
# current and no scheduled time has passed; after that, only while the database is down.
PAGE_TIMEOUT = 24 * 60 * 60
# The schedule of a version is read again after this long at most.
SCHEDULE_TIMEOUT = 60 * 60
# The list of pages a proxy may hold outlives their max-age and stale-while-revalidate by far.
SERVED_TIMEOUT = 60 * 60
# Responses larger than this are served but not kept.
MAX_BODY = 4 * 1024 * 1024
# A shared cache that did not answer is skipped this long before it is tried again.
CACHE_RETRY = 5
# Published items scheduled for later, read in one query; more are read when these have passed.
SCHEDULE_BATCH = 50

VERSION_KEY = "cx:version"
SERVED_KEY = "cx:proxy:served"

CACHEABLE_TYPES = {
    "text/html",
    "text/plain",
    "text/csv",
    "text/xml",
    "application/xml",
    "application/json",
    "application/atom+xml",
    "application/rss+xml",
    "image/svg+xml",
}
# The request headers a public response may vary on; the cache key holds all of them. `Cookie`
# is in it because only requests without a session cookie are cached, and those all see the same.
KEYED_VARY = {"hx-request", "hx-history-restore-request", "accept-encoding", "cookie"}
_ACCEPTS_GZIP = re.compile(r"\bgzip\b")


# --- The Redis backend ---------------------------------------------------------------------------


class _ReusedRedisClient(RedisCacheClient):
    """Django's Redis client, keeping one `redis.Redis` per connection pool. Django's makes a new
    one for every operation, and building one costs more than the round trip to Redis (redis-py
    fills a table of several hundred reply handlers); a page hit makes two or three operations.
    A `redis.Redis` is safe to share between threads: each command takes a connection from the
    pool."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._clients = {}

    def get_client(self, key=None, *, write=False):
        index = self._get_connection_pool_index(write)
        client = self._clients.get(index)
        if client is None:
            client = self._clients[index] = super().get_client(key, write=write)
        return client


class RedisCache(DjangoRedisCache):
    """Django's RedisCache (settings: CACHES with REDIS_URL), with the client above."""

    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = _ReusedRedisClient


# --- The content version -------------------------------------------------------------------------


def _new_version(previous: str | None = None) -> str:
    """A token never used before: the time (which Last-Modified reads back) and a random part, so
    that two containers changing content at once can never write the same token. Its time is in a
    later second than the previous version's: Last-Modified counts whole seconds, and a client
    asking If-Modified-Since about a copy from earlier in the same second must not get a 304."""
    stamp = time.time_ns()
    if previous is not None:
        stamp = max(stamp, (int(version_time(previous)) + 1) * 1_000_000_000)
    return f"{stamp}-{secrets.token_hex(4)}"


def version_time(version: str) -> float:
    try:
        return int(version.split("-", 1)[0]) / 1e9
    except ValueError:
        return time.time()


def current_version() -> str:
    """The content version; a new one if the cache has none (a Redis restarted empty)."""
    version = cache.get(VERSION_KEY)
    if version is None:
        version = _new_version()
        if not cache.add(VERSION_KEY, version, timeout=None):
            version = cache.get(VERSION_KEY) or version
    return version


def bump() -> str:
    """Give the content a new version, then tell `content_changed`'s receivers."""
    version = _new_version(cache.get(VERSION_KEY))
    cache.set(VERSION_KEY, version, timeout=None)
    content_changed.send(sender=bump, version=version)
    return version


class _BumpOnCommit:
    """The on-commit callback of one transaction that wrote content; run once."""

    done = False

    def __call__(self):
        self.done = True
        try:
            bump()
        except ProgrammingError:
            # No cache table yet (the migrations before cxportal 0005): so no page kept either.
            logger.debug("No cache table to change the content version in")
        except Exception:
            # The change is committed already: pages kept before it may be served until a day.
            logger.exception("The content version could not be changed; cached pages may be stale")


@functools.cache
def _content_tables() -> frozenset:
    tables = set()
    for label in CONTENT_APPS:
        for model in apps.get_app_config(label).get_models(include_auto_created=True):
            tables.add(model._meta.db_table)
    return frozenset(tables)


_WRITE = re.compile(r'\s*(?:INSERT\s+INTO|UPDATE|DELETE\s+FROM)\s+"?(\w+)"?', re.IGNORECASE)


def _watch_writes(execute, sql, params, many, context):
    """A database execute wrapper: after a write to a content table, change the content version
    when the transaction commits (once per transaction; at once outside a transaction). Inside a
    savepoint that is rolled back (a preview) the change is forgotten with it."""
    result = execute(sql, params, many, context)
    match = _WRITE.match(sql) if isinstance(sql, str) else None
    if match and match.group(1) in _content_tables():
        connection = context["connection"]
        pending = connection.in_atomic_block and any(
            isinstance(func, _BumpOnCommit) and not func.done
            for _, func, _ in connection.run_on_commit
        )
        if not pending:
            transaction.on_commit(_BumpOnCommit(), using=connection.alias)
    return result


def watch_connection(sender, connection, **kwargs):
    """`connection_created`'s receiver. First in the list: Django's own `execute_wrapper()`
    removes the last one when its block ends."""
    if _watch_writes not in connection.execute_wrappers:
        connection.execute_wrappers.insert(0, _watch_writes)


# --- The schedule --------------------------------------------------------------------------------


@functools.cache
def _scheduled_models() -> tuple:
    """Every model of the content apps with a status and a publish time (not their histories)."""
    found = []
    for label in CONTENT_APPS:
        for model in apps.get_app_config(label).get_models():
            names = {field.name for field in model._meta.get_fields()}
            if {"status", "publish_at"} <= names and not hasattr(model, "instance_type"):
                found.append(model)
    return tuple(found)


def _read_schedule(after: float) -> dict:
    """The publish times of published items after `after`, soonest first, in one query."""
    moment = _datetime(after)
    queries = [
        model._base_manager.filter(status="published", publish_at__gt=moment)
        .order_by("publish_at")
        .values_list("publish_at", flat=True)[:SCHEDULE_BATCH]
        for model in _scheduled_models()
    ]
    union = queries[0].union(*queries[1:], all=True).order_by("publish_at")[:SCHEDULE_BATCH]
    moments = sorted({stamp.timestamp() for stamp in union})
    return {"after": after, "moments": moments, "complete": len(moments) < SCHEDULE_BATCH}


def _datetime(stamp: float) -> datetime.datetime:
    return datetime.datetime.fromtimestamp(stamp, tz=datetime.UTC)


@dataclass(frozen=True)
class Moments:
    next: float | None  # the next scheduled publish time after now, if any
    latest: float  # the latest change of public content up to now (a commit or a schedule)


def moments(version: str, now: float) -> Moments:
    """When the public content next changes by itself, and when it last changed, for `version`.
    Read from the cache; from the database (one query) the first time for a version."""
    key = f"cx:schedule:{version}"
    schedule = cache.get(key)
    if schedule is None:
        schedule = _read_schedule(version_time(version))
        cache.set(key, schedule, SCHEDULE_TIMEOUT)
    while True:
        passed = [m for m in schedule["moments"] if m <= now]
        latest = max(passed, default=schedule["after"])
        future = [m for m in schedule["moments"] if m > now]
        if future or schedule["complete"]:
            return Moments(future[0] if future else None, max(latest, version_time(version)))
        # Every time read so far has passed; read the next ones. Any worker reading them reads
        # the same, since the content of one version does not change.
        schedule = _read_schedule(schedule["moments"][-1])
        cache.set(key, schedule, SCHEDULE_TIMEOUT)


# --- The code's release --------------------------------------------------------------------------


@functools.cache
def release() -> tuple[str, float]:
    """A fingerprint of the code and templates that render pages, and their latest change: a
    deploy starts a cache of its own, and Last-Modified is never older than the templates."""
    digest = hashlib.sha256()
    latest = 0.0
    base = settings.BASE_DIR
    paths = [base / "templates", *(base / label for label in (*CONTENT_APPS, "cxportal"))]
    files = sorted(
        path
        for folder in paths
        for path in folder.rglob("*")
        if path.suffix in {".py", ".html", ".txt", ".xml", ".svg"} and path.is_file()
    )
    manifest = settings.STATIC_ROOT / "staticfiles.json"
    if manifest.is_file():
        files.append(manifest)
    for path in files:
        digest.update(str(path.relative_to(base)).encode())
        digest.update(path.read_bytes())
        latest = max(latest, path.stat().st_mtime)
    return digest.hexdigest()[:16], latest


# --- Which requests and responses ----------------------------------------------------------------


def _page_cache_on() -> bool:
    return getattr(settings, "CXPORTAL_PAGE_CACHE", True)


def _private_path(path: str) -> bool:
    """The admin (at CXPORTAL_ADMIN_PATH, as cxportal/urls.py puts it) and share links."""
    return path.startswith("/" + settings.CXPORTAL_ADMIN_PATH) or path.startswith("/preview/")


def _signed_in(request) -> bool:
    """The request carries what a signed-in user (or one with messages waiting) sends."""
    cookies = request.COOKIES
    return (
        settings.SESSION_COOKIE_NAME in cookies
        or "messages" in cookies
        or "HTTP_AUTHORIZATION" in request.META
    )


def _private(request, response) -> bool:
    """Seen by staff, a preview or a share link: no cache anywhere may keep it."""
    if _signed_in(request) or _private_path(request.path):
        return True
    notice = getattr(request, "notice", None)
    if notice is not None and notice.kind == "preview":
        return True
    user = getattr(request, "_cached_user", None)  # only if something asked who it is
    return bool(user is not None and user.is_authenticated)


def _public_read(request) -> bool:
    return (
        request.method in ("GET", "HEAD")
        and not _signed_in(request)
        and not _private_path(request.path)
        and request.path != "/healthz"
    )


def _cacheable(response) -> bool:
    """A public page that any cache may keep: a 200 of a listed type that sets no cookie, says
    nothing of caching itself, and varies only on what the cache key holds."""
    if response.status_code != 200 or response.cookies or response.has_header("Cache-Control"):
        return False
    content_type = response.get("Content-Type", "").split(";")[0].strip().lower()
    if content_type not in CACHEABLE_TYPES:
        return False
    vary = {v.strip().lower() for v in response.get("Vary", "").split(",") if v.strip()}
    return vary <= KEYED_VARY


def _variant(request) -> dict:
    """What a public page may differ by beside its address, as the request says it."""
    return {
        "hx": request.headers.get("HX-Request", ""),
        "restore": request.headers.get("HX-History-Restore-Request", ""),
        "encoding": request.headers.get("Accept-Encoding", ""),
    }


def _page_digest(request) -> str | None:
    try:
        host = request.get_host()
    except Exception:  # DisallowedHost: Django answers 400 below
        return None
    variant = _variant(request)
    gzip = "gzip" if _ACCEPTS_GZIP.search(variant["encoding"]) else ""
    parts = [request.scheme, host, request.get_full_path(), variant["hx"], variant["restore"], gzip]
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()


# --- The middleware ------------------------------------------------------------------------------


@dataclass
class Entry:
    """A kept page: what is needed to answer with it, without the database."""

    headers: list
    body: bytes
    etag: str
    last_modified: float
    expires: float | None  # the next scheduled time, after which the page may be out of date
    version: str  # the content version it was drawn under


def _lifetime(expires: float | None, now: float) -> tuple[int, int]:
    """max-age and stale-while-revalidate, together never past `expires`."""
    if expires is None:
        return MAX_AGE, STALE_WHILE_REVALIDATE
    left = max(0, int(expires - now))
    max_age = min(MAX_AGE, left)
    return max_age, min(STALE_WHILE_REVALIDATE, left - max_age)


def _public_headers(response, etag, last_modified, expires, now):
    max_age, swr = _lifetime(expires, now)
    response["Cache-Control"] = f"public, max-age={max_age}, stale-while-revalidate={swr}"
    if etag:
        response["ETag"] = etag
    if last_modified and not response.has_header("Last-Modified"):
        response["Last-Modified"] = http_date(last_modified)


def _from_entry(entry: Entry, state: str) -> HttpResponse:
    response = HttpResponse(entry.body)
    for name, value in entry.headers:
        response[name] = value
    response["X-Page-Cache"] = state
    return response


def _database_failed(request) -> bool:
    if getattr(request, "_cx_database_error", False):
        return True
    return any(c.errors_occurred for c in connections.all(initialized_only=True))


class PageCacheMiddleware:
    """Serves public pages from the shared cache and sets every response's caching headers.

    It sits after SecurityMiddleware and WhiteNoise (HTTPS redirects first; static files never
    reach it) and before everything that may read the database (sessions, users, messages), so a
    hit is answered without a query. It sits before GZipMiddleware, so that a page is kept as it
    is sent, compressed or not, and a hit does not compress it again.
    """

    def __init__(self, get_response):
        self.get_response = get_response
        # Until when this worker skips a shared cache that did not answer: a hint for speed only.
        self.cache_down_until = 0.0

    def __call__(self, request):
        if not _public_read(request):
            response = self.get_response(request)
            if _private(request, response):
                response["Cache-Control"] = "private, no-store"
            return response
        if not _page_cache_on():
            # Turned off (CXPORTAL_PAGE_CACHE=false): nothing keeps public pages, here or in a proxy.
            response = self.get_response(request)
            if _private(request, response):
                response["Cache-Control"] = "private, no-store"
                return response
            return self._uncached(request, response)
        now = time.time()
        digest = _page_digest(request)
        code, _ = release()
        # One slot per page: its latest drawing, with the version it was drawn under. Read with
        # the version in one round trip; a copy of another version is only for an outage.
        slot = f"cx:page:{code}:{digest}" if digest is not None else None
        try:
            if now < self.cache_down_until:
                raise ConnectionError("the shared cache did not answer a moment ago")
            found = cache.get_many([VERSION_KEY, slot] if slot else [VERSION_KEY])
            version = found.get(VERSION_KEY) or current_version()
        except Exception as error:
            if now >= self.cache_down_until:
                logger.error("The shared cache is unreachable; serving without it: %s", error)
                # Not a second wait on every request meanwhile: this worker tries again later.
                self.cache_down_until = now + CACHE_RETRY
            return self._uncached(request, self.get_response(request))
        kept = found.get(slot) if slot else None
        if (
            kept is not None
            and kept.version == version
            and (kept.expires is None or kept.expires > now)
        ):
            return self._answer(request, _from_entry(kept, "HIT"), kept, now)
        response = self.get_response(request)
        if kept is not None and response.status_code >= 500 and _database_failed(request):
            response = _from_entry(kept, "STALE")
            response["Cache-Control"] = "no-store"
            return response
        if _private(request, response):
            response["Cache-Control"] = "private, no-store"
            return response
        if not _cacheable(response):
            return self._uncached(request, response)
        try:
            due = moments(version, now)
        except DatabaseError:
            return self._uncached(request, response)
        last_modified = max(due.latest, release()[1])
        if response.streaming:
            # A download, streamed from a cursor: kept by proxies, with its own Last-Modified.
            _public_headers(response, "", last_modified, due.next, now)
            self._record_served(request)
            return response
        body = response.content
        etag = '"' + hashlib.blake2b(body, digest_size=16).hexdigest() + '"'
        entry = Entry(
            [(name, value) for name, value in response.items()],
            body,
            etag,
            last_modified,
            due.next,
            version,
        )
        if slot and request.method == "GET" and len(body) <= MAX_BODY:
            _safe_set(slot, entry, PAGE_TIMEOUT)
        response["X-Page-Cache"] = "MISS"
        return self._answer(request, response, entry, now)

    def process_exception(self, request, exception):
        if isinstance(exception, DatabaseError) and not isinstance(
            exception, DataError | IntegrityError
        ):
            request._cx_database_error = True

    def _answer(self, request, response, entry: Entry, now: float):
        _public_headers(response, entry.etag, entry.last_modified, entry.expires, now)
        self._record_served(request)
        conditional = get_conditional_response(
            request, etag=entry.etag, last_modified=int(entry.last_modified), response=response
        )
        return conditional or response

    def _uncached(self, request, response):
        """An anonymous answer that no cache may keep as it is (a 404, a redirect): caches ask
        again each time, so that a page published a moment later is found."""
        if not response.has_header("Cache-Control"):
            response["Cache-Control"] = "no-cache"
        return response

    def _record_served(self, request):
        if settings.CXPORTAL_PROXY_PURGE_URL:
            record_served(request)


def _safe_set(key, value, timeout):
    try:
        cache.set(key, value, timeout)
    except Exception:
        logger.exception("Could not write the page cache")


# --- Purging a reverse proxy (ADR 0027) ----------------------------------------------------------


def _redis():
    """The shared Redis client and the served set's key: the proxy purge needs Redis's sets."""
    key = cache.make_and_validate_key(SERVED_KEY)
    return cache._cache.get_client(key, write=True), key


def record_served(request):
    """Note that a proxy in front may now keep this page (its URL and the headers its key holds),
    so that the next change purges it."""
    try:
        variant = _variant(request)
        item = json.dumps([request.get_host(), request.get_full_path(), *variant.values()])
        client, key = _redis()
        pipe = client.pipeline(transaction=False)
        pipe.sadd(key, item)
        pipe.expire(key, SERVED_TIMEOUT)
        pipe.execute()
    except Exception:
        logger.exception("Could not note a page for the proxy purge")


def purge_proxies(sender, version, **kwargs):
    """`content_changed`'s receiver: PURGE, on each proxy of CXPORTAL_PROXY_PURGE_URL, every
    page it may keep, before the request that changed the content answers."""
    proxies = settings.CXPORTAL_PROXY_PURGE_URL
    if not proxies:
        return
    try:
        client, key = _redis()
        pipe = client.pipeline(transaction=True)
        pipe.smembers(key)
        pipe.delete(key)
        served, _ = pipe.execute()
    except Exception:
        logger.exception("Could not read the pages to purge")
        return
    items = [json.loads(item) for item in served]
    for proxy in proxies:
        try:
            _purge(proxy, items)
        except Exception:
            logger.exception("Could not purge %s", proxy)


def _purge(proxy: str, items: list):
    url = urllib.parse.urlsplit(proxy)
    kind = http.client.HTTPSConnection if url.scheme == "https" else http.client.HTTPConnection
    connection = kind(url.hostname, url.port, timeout=5)
    try:
        for host, path, hx, restore, encoding in items:
            headers = {"Host": host}
            for name, value in (
                ("HX-Request", hx),
                ("HX-History-Restore-Request", restore),
                ("Accept-Encoding", encoding),
            ):
                if value:
                    headers[name] = value
            connection.request("PURGE", path, headers=headers)
            answer = connection.getresponse()
            answer.read()
            if answer.status not in (200, 404):  # 404: the proxy no longer had it
                logger.error("PURGE %s on %s answered %s", path, proxy, answer.status)
    finally:
        connection.close()


def check_proxy_purge(app_configs=None, **kwargs):
    """A system check: the proxy purge keeps its list of pages in a Redis set."""
    from django.core.checks import Error

    if settings.CXPORTAL_PROXY_PURGE_URL and not isinstance(cache, DjangoRedisCache):
        return [
            Error(
                "CXPORTAL_PROXY_PURGE_URL needs the Redis cache: set REDIS_URL.",
                id="cxportal.E001",
            )
        ]
    return []
