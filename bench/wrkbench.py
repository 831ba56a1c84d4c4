"""The load benchmark behind bench/run: wrk against every public page type, and what it means.

It is a benchmark, not a test: it times things and writes what it saw to docs/benchmarks.md; the
tests only check its parts (tests/site/test_bench_script.py). What it does, in order:

1. Starts what production has: Postgres (the checkout's embedded server, or the server of
   DATABASE_URL when that is set) with a database of its own, `cxportal_bench`, made afresh,
   migrated and filled by `import_performance_gov`; a Redis on loopback for REDIS_URL; static
   files collected; gunicorn with 2 workers (gunicorn.conf.py when the checkout has one) and
   production settings (DEBUG off, a random secret key, HSTS, 2FA; only the HTTPS redirect is
   off, since wrk speaks plain HTTP to loopback).
2. Fetches each page once from the app, with `Accept-Encoding: gzip` (what every browser sends;
   the app compresses pages), and stores the bytes. The same bytes are then served by
   (a) nginx, as static files: the physical limit, and
   (b) a bare Django view through the same gunicorn setup (bench/floor.py): the framework floor.
3. Measures with wrk, 10 s at 16 connections, each page: the app with its page cache on, the app
   with it off (CXPORTAL_PAGE_CACHE=false) (d), the app behind deploy/nginx.conf's cache (c),
   (b) and (a); and the render time: the median time of one answer with the page cache off,
   asked for one request at a time.
4. Measures the app (page cache on and off) and the render time again on a copy of the database
   with 100x synthetic content (`manage.py synthesize_content --factor 100`), to see how the
   render time grows with the data.
5. Soaks the app: 60 s at 64 connections over all the pages in turn, reading each gunicorn
   worker's resident memory before and after.
6. Writes the tables and the targets, met or missed, under the marker in docs/benchmarks.md.

Everything it starts is stopped when it ends, however it ends (Ctrl-C, an error, SIGTERM).
"""

from __future__ import annotations

import argparse
import contextlib
import datetime
import http.client
import json
import os
import re
import secrets
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
REPORT = ROOT / "docs" / "benchmarks.md"
MARKER = "<!-- bench/run writes everything below this line; edit only the text above it. -->"

# One address of each public page type, on the real content (tests/site/test_home.py lists them all).
PAGES = [
    ("home", "/"),
    ("priority area", "/pma/cx/"),
    ("strategy", "/pma/cx/strategy/2/"),
    ("HISP list", "/cx/hisps/"),
    ("HISP profile", "/cx/hisps/veterans-health-administration/"),
    ("life experience", "/cx/life-experiences/approaching-retirement/"),
    ("search", "/search/?q=trust"),
    ("feed", "/feeds/updates.atom"),
    ("data download", "/cx/data/hisps.csv"),
]
# The data download's body is the data, so it grows with it by definition: shown, not judged.
GROWS_WITH_DATA = {"/cx/data/hisps.csv"}
ACCEPT_ENCODING = "gzip"
# wrk's default of 2 s would turn a slow page into "no answer" and hide how slow it is; an answer
# slower than this still counts as a socket error (timeout).
WRK_TIMEOUT = "10s"

# (key, label), in the order the tables show them.
MODES = [
    ("app", "app, page cache on"),
    ("nocache", "(d) app, page cache off"),
    ("cache", "(c) via deploy/nginx.conf"),
    ("floor", "(b) bare Django view"),
    ("static", "(a) nginx, static copy"),
]
MODES_100X = ("app", "nocache")
# The bench helper's ports (8500-8549, Redis 6396-6397).
PORTS = {"app": 8500, "nocache": 8501, "floor": 8502, "static": 8503, "cache": 8504}
REDIS_PORT = 6396
DATABASE = "cxportal_bench"
# gunicorn.conf.py's defaults, but for worker recycling (GUNICORN_MAX_REQUESTS, 1000 in
# production): a worker replaced mid-run would hide a leak from the soak's memory figures, and
# put its start-up into whichever run it fell in. The leak guard is for production; the soak
# is there to show that it is not needed.
GUNICORN_ENV = {"GUNICORN_MAX_REQUESTS": "0"}
FACTOR = 100

TARGETS = {
    "floor": 0.5,  # the app alone, as a share of the framework floor (b)
    "static": 0.8,  # through the nginx cache, as a share of the static limit (a)
    "nocache_rps": 100,  # page cache off, req/s, every page type
    "p99_ms": 50,  # at 16 connections
    "growth": 2.0,  # the render time at 100x over the real content's
    "rss": 0.10,  # worker memory growth over the soak
}


# --- wrk's output ---------------------------------------------------------------------------


@dataclass
class WrkResult:
    """What one wrk run measured. Latencies in milliseconds."""

    requests: int
    seconds: float
    rps: float
    mean_ms: float
    p50_ms: float
    p99_ms: float
    # wrk counts answers with a status of 400 or more; bench/run checks beforehand that every
    # address answers 200 (a redirect would be a fast non-answer).
    non_2xx: int = 0
    socket_errors: dict[str, int] = field(default_factory=dict)

    @property
    def errors(self) -> int:
        return self.non_2xx + sum(self.socket_errors.values())

    @property
    def answered(self) -> bool:
        """False when no request finished within the run: its latencies are then not figures."""
        return self.requests > 0


_DURATION = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60_000.0, "h": 3_600_000.0}
_SECONDS = {"us": 0.000001, "ms": 0.001, "s": 1.0, "m": 60.0, "h": 3600.0}


def _millis(text: str) -> float:
    number, unit = re.fullmatch(r"([\d.]+)(us|ms|s|m|h)", text).groups()
    return float(number) * _DURATION[unit]


def parse_wrk(output: str) -> WrkResult:
    """Read `wrk --latency`'s report. Raises ValueError when a line it needs is missing."""

    def find(pattern: str) -> re.Match:
        match = re.search(pattern, output, re.MULTILINE)
        if match is None:
            raise ValueError(f"wrk's output has no line matching {pattern!r}:\n{output}")
        return match

    mean = find(r"^\s+Latency\s+(\S+)")
    total = find(r"^\s*(\d+) requests in ([\d.]+)(us|ms|s|m|h)")
    sockets = re.search(
        r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", output
    )
    status = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    return WrkResult(
        requests=int(total[1]),
        seconds=float(total[2]) * _SECONDS[total[3]],
        rps=float(find(r"^Requests/sec:\s+([\d.]+)")[1]),
        mean_ms=_millis(mean[1]),
        p50_ms=_millis(find(r"^\s+50%\s+(\S+)")[1]),
        p99_ms=_millis(find(r"^\s+99%\s+(\S+)")[1]),
        non_2xx=int(status[1]) if status else 0,
        socket_errors=(
            {
                name: int(count)
                for name, count in zip(
                    ("connect", "read", "write", "timeout"), sockets.groups(), strict=True
                )
                if int(count)
            }
            if sockets
            else {}
        ),
    )


@dataclass
class Timing:
    """Requests one after another on one connection: each is the time of one uncached render
    (plus loopback and the client, the same for every page and content set)."""

    times_ms: list[float]

    @property
    def median_ms(self) -> float:
        return statistics.median(self.times_ms)

    @property
    def mean_ms(self) -> float:
        return statistics.fmean(self.times_ms)


def mix_lua(paths: list[str]) -> str:
    """A wrk script that asks for `paths` in turn (each wrk thread keeps its own turn)."""
    quoted = ", ".join(json.dumps(path) for path in paths)
    return (
        f"local paths = {{{quoted}}}\n"
        "local turn = 0\n"
        "request = function()\n"
        "  turn = turn % #paths + 1\n"
        "  return wrk.format(nil, paths[turn])\n"
        "end\n"
    )


# --- nginx configurations -------------------------------------------------------------------

_NGINX_TEMP = (
    "client_body_temp_path {tmp}/body; proxy_temp_path {tmp}/proxy; "
    "fastcgi_temp_path {tmp}/fastcgi; uwsgi_temp_path {tmp}/uwsgi; scgi_temp_path {tmp}/scgi;"
)


def static_nginx_conf(folder: Path, port: int, responses: dict[str, dict]) -> str:
    """nginx serving each stored response at its address, with the app's type and encoding.

    An exact `location` per address (the query string plays no part in nginx's matching, and
    each path has one address here); `try_files` names the stored file, so that "/" is served
    as a file and not as a folder's index.
    """
    locations = []
    for address, item in responses.items():
        path = urlsplit(address).path
        encoding = (
            f'add_header Content-Encoding "{item["content_encoding"]}"; '
            'add_header Vary "Accept-Encoding"; '
            if item["content_encoding"]
            else ""
        )
        locations.append(
            f"    location = {path} {{ try_files /{item['file']} =404; "
            f'default_type "{item["content_type"]}"; {encoding}}}'
        )
    return "\n".join(
        [
            "worker_processes auto;",
            f"pid {folder}/nginx-static.pid;",
            f"error_log {folder}/nginx-static.error.log warn;",
            "events { worker_connections 4096; }",
            "http {",
            "    access_log off;",
            "    sendfile on; tcp_nopush on; tcp_nodelay on;",
            "    keepalive_requests 1000000; keepalive_timeout 65;",
            "    types {}",
            "    " + _NGINX_TEMP.format(tmp=folder / "nginx-temp"),
            "    server {",
            f"    listen 127.0.0.1:{port};",
            f"    root {folder}/responses;",
            *locations,
            "    location / { return 404; }",
            "    }",
            "}",
            "",
        ]
    )


def _listen_per_server(text: str, listen: int) -> str:
    """The first server block (the public side) listens on `listen`; any later one (the purge
    side of deploy/nginx.conf) on `listen` + 10, + 20…, so that none shares a port. A block's
    second `listen` (its IPv6 or TLS twin) is dropped, now that both would say the same."""
    lines, block, seen = [], -1, False
    for line in text.splitlines(keepends=True):
        if re.match(r"\s*server\s*\{", line):
            block, seen = block + 1, False
        match = re.match(r"(\s*)listen\s+[^;]*;", line)
        if match:
            if seen:
                continue
            seen = True
            line = f"{match.group(1)}listen 127.0.0.1:{listen + 10 * max(block, 0)};\n"
        lines.append(line)
    return "".join(lines)


def adapt_deploy_nginx(text: str, folder: Path, listen: int, upstream: int) -> str:
    """deploy/nginx.conf, changed only where a machine differs: where it listens, the gunicorn it
    proxies to, and where it keeps its cache, pid, logs and temporary files (all in `folder`).
    Its caching rules are left exactly as written."""
    text = re.sub(r"(?m)^\s*(user|pid|daemon)\s+[^;]*;", "", text)
    # Its own temporary folders, if it names them: ours replace them (below).
    text = re.sub(r"(?m)^\s*(client_body|proxy|fastcgi|uwsgi|scgi)_temp_path\s+[^;]*;\n?", "", text)
    text = _listen_per_server(text, listen)
    # An upstream block's servers, or a proxy_pass straight to an address: our gunicorn.
    text = re.sub(
        r"(upstream\s+[\w.-]+\s*\{[^}]*?)server\s+[^;\s]+",
        rf"\1server 127.0.0.1:{upstream}",
        text,
    )
    text = re.sub(
        r"proxy_pass\s+http://(?:\d+\.\d+\.\d+\.\d+|localhost|\[[^\]]+\]):\d+",
        f"proxy_pass http://127.0.0.1:{upstream}",
        text,
    )
    text = re.sub(r"proxy_cache_path\s+\S+", f"proxy_cache_path {folder}/nginx-cache", text)
    text = re.sub(r"(?m)^(\s*)(access_log|error_log)\s+[^;]*;", r"\1\2 off;", text)
    text = text.replace("error_log off;", f"error_log {folder}/nginx-cache.error.log warn;")
    head = f"pid {folder}/nginx-cache.pid;\nerror_log {folder}/nginx-cache.error.log warn;\n"
    temp = _NGINX_TEMP.format(tmp=folder / "nginx-temp")
    if re.search(r"(?m)^\s*http\s*\{", text):
        text = re.sub(r"(?m)^(\s*http\s*\{)", rf"\1\n    {temp}", text, count=1)
        if not re.search(r"(?m)^\s*events\s*\{", text):
            head += "events { worker_connections 4096; }\n"
        return head + text
    # A file of http-level blocks (upstream, proxy_cache_path, server): put them in an http block.
    return (
        head
        + "events { worker_connections 4096; }\nhttp {\n    include /etc/nginx/mime.types;\n"
        + f"    {temp}\n"
        + text
        + "\n}\n"
    )


# --- the report -----------------------------------------------------------------------------


@dataclass
class Phase:
    """One content set: its wrk results per address and mode (or why a mode did not run)."""

    title: str
    results: dict[str, dict[str, WrkResult | str]] = field(default_factory=dict)
    # The page cache off, one request at a time: the render time.
    single: dict[str, Timing | str] = field(default_factory=dict)
    sizes: dict[str, int] = field(default_factory=dict)
    not_run: str = ""


@dataclass
class Soak:
    seconds: int
    connections: int
    result: WrkResult | None = None
    rss_before_kb: dict[int, int] = field(default_factory=dict)
    rss_after_kb: dict[int, int] = field(default_factory=dict)
    not_run: str = ""

    @property
    def growth(self) -> float | None:
        """The largest growth of one worker's memory, as a fraction (workers that lived through)."""
        common = [pid for pid in self.rss_before_kb if pid in self.rss_after_kb]
        if not common:
            return None
        return max(self.rss_after_kb[pid] / self.rss_before_kb[pid] - 1 for pid in common)


def _num(value: float) -> str:
    if value >= 100:
        return f"{value:,.0f}"
    if value >= 10:
        return f"{value:.1f}"
    return f"{value:.2f}"


def _ms(value: float) -> str:
    if value == float("inf"):
        return "no answer"
    return f"{value:.2f} ms" if value < 10 else f"{value:,.0f} ms"


def _ratio(value: float) -> str:
    if value == float("inf"):
        return "no answer"
    return f"{value:.3f}×" if value < 0.1 else f"{value:.2f}×"


def _errors(result: WrkResult) -> str:
    if not result.socket_errors:
        return "0"
    detail = ", ".join(f"{name} {count}" for name, count in result.socket_errors.items())
    return f"{sum(result.socket_errors.values())} ({detail})"


def page_name(address: str) -> str:
    return next((name for name, path in PAGES if path == address), address)


def load_table(phase: Phase, modes: list[tuple[str, str]], shares: bool = True) -> list[str]:
    """One row per page and mode: req/s, p50, p99, errors, and (with `shares`) req/s as a share
    of (a)'s and (b)'s for the same page."""
    head = ["page", "served by", "req/s", "p50", "p99", "non-2xx", "socket errors"]
    head += ["÷ (a)", "÷ (b)"] if shares else []
    lines = ["| " + " | ".join(head) + " |", "|---|---|" + "--:|" * (len(head) - 2)]
    for address, by_mode in phase.results.items():
        static, floor = by_mode.get("static"), by_mode.get("floor")
        for number, (mode, label) in enumerate(modes):
            page = f"{page_name(address)} `{address}`" if number == 0 else ""
            result = by_mode.get(mode, "not run")
            if isinstance(result, str):
                cells = [result] + [""] * (len(head) - 3)
            elif not result.answered:
                cells = ["0: no answer within the run", "", "", str(result.non_2xx)]
                cells += [_errors(result)] + ["", ""] * shares
            else:
                cells = [_num(result.rps), _ms(result.p50_ms), _ms(result.p99_ms)]
                cells += [str(result.non_2xx), _errors(result)]
                if shares:
                    cells += [
                        _ratio(result.rps / base.rps)
                        if isinstance(base, WrkResult) and base.rps
                        else "n/a"
                        for base in (static, floor)
                    ]
            lines.append("| " + " | ".join([page, label, *cells]) + " |")
    return lines


@dataclass
class Verdict:
    target: str
    status: str  # "met", "missed" or "not run: why"
    detail: str


def _judge(
    target: str,
    checks: list[tuple[str, float | None]],
    ok,
    show,
    unit: str = "pages",
    higher_is_better: bool = True,
) -> Verdict:
    """A verdict over (page, value) pairs: met when every value passes; the detail names the worst."""
    missing = [page for page, value in checks if value is None]
    measured = [(page, value) for page, value in checks if value is not None]
    if not measured:
        return Verdict(target, "not run", "nothing measured")
    failing = [(page, value) for page, value in measured if not ok(value)]
    if failing:
        detail = "; ".join(f"{page}: {show(value)}" for page, value in failing)
        return Verdict(target, "missed", f"{len(failing)} of {len(measured)}: {detail}")
    worst = (min if higher_is_better else max)(measured, key=lambda item: item[1])
    detail = f"{worst[0]}: {show(worst[1])}"
    if len({value for _page, value in measured}) == 1 and len(measured) > 1:
        detail = f"all {len(measured)} {unit}: {show(worst[1])}"
    elif len(measured) > 1:
        detail = f"all {len(measured)} {unit}; the closest, {detail}"
    if missing:
        detail += f"; not measured: {', '.join(missing)}"
    return Verdict(target, "met", detail)


def _share(phase: Phase, mode: str, base: str) -> list[tuple[str, float | None]]:
    checks = []
    for address, by_mode in phase.results.items():
        result, reference = by_mode.get(mode), by_mode.get(base)
        value = None
        if isinstance(result, WrkResult) and isinstance(reference, WrkResult) and reference.rps:
            value = result.rps / reference.rps
        checks.append((page_name(address), value))
    return checks


def _measured(phase: Phase, mode: str, read, unanswered: float) -> list[tuple[str, float | None]]:
    """(page, read(result)) for each page; `unanswered` for a run in which nothing finished."""
    checks = []
    for address, by_mode in phase.results.items():
        result = by_mode.get(mode)
        value = None
        if isinstance(result, WrkResult):
            value = read(result) if result.answered else unanswered
        checks.append((page_name(address), value))
    return checks


def growth(real: Phase, big: Phase) -> list[tuple[str, float | None]]:
    """The render time (page cache off, one request at a time, median) at 100x over the real's."""
    checks = []
    for address, result in real.single.items():
        other = big.single.get(address)
        value = None
        if isinstance(result, Timing) and isinstance(other, Timing):
            value = other.median_ms / result.median_ms
        checks.append((page_name(address), value))
    return checks


def verdicts(real: Phase, big: Phase | None, soak: Soak) -> list[Verdict]:
    def not_run(target, why):
        return Verdict(target, f"not run: {why}", "")

    out = []
    if all(isinstance(m.get("app"), WrkResult) for m in real.results.values()):
        out.append(
            _judge(
                f"app alone ≥ {TARGETS['floor']}× the framework floor (b)",
                _share(real, "app", "floor"),
                lambda v: v >= TARGETS["floor"],
                _ratio,
            )
        )
    cache = next(iter(real.results.values()), {}).get("cache")
    target = f"through deploy/nginx.conf's cache ≥ {TARGETS['static']}× the static limit (a)"
    if isinstance(cache, str):
        out.append(not_run(target, cache.removeprefix("not run: ")))
    else:
        out.append(
            _judge(
                target, _share(real, "cache", "static"), lambda v: v >= TARGETS["static"], _ratio
            )
        )
    out.append(
        _judge(
            f"(d) page cache off ≥ {TARGETS['nocache_rps']} req/s for every page type",
            _measured(real, "nocache", lambda r: r.rps, 0.0),
            lambda v: v >= TARGETS["nocache_rps"],
            lambda v: f"{_num(v)} req/s",
        )
    )
    phases = [real] + ([big] if big and not big.not_run else [])
    errors = [
        (f"{page_name(address)} {mode}" + ("" if phase is real else " (100×)"), result.errors)
        for phase in phases
        for address, by_mode in phase.results.items()
        for mode, result in by_mode.items()
        if isinstance(result, WrkResult)
    ]
    out.append(
        _judge(
            "zero errors (non-2xx and socket errors) at 16 connections, every mode",
            errors,
            lambda v: v == 0,
            lambda v: f"{v:.0f}",
            unit="runs",
            higher_is_better=False,
        )
    )
    out.append(
        _judge(
            f"p99 ≤ {TARGETS['p99_ms']} ms at 16 connections (the app, page cache on)",
            _measured(real, "app", lambda r: r.p99_ms, float("inf")),
            lambda v: v <= TARGETS["p99_ms"],
            _ms,
            higher_is_better=False,
        )
    )
    target = (
        f"render time at {FACTOR}× data < {TARGETS['growth']}× the real content's "
        "(page cache off, one request at a time, median)"
    )
    if big is None or big.not_run:
        out.append(not_run(target, big.not_run if big else "skipped (--skip-100x)"))
    else:
        judged = [(p, v) for p, v in growth(real, big) if p not in map(page_name, GROWS_WITH_DATA)]
        out.append(
            _judge(target, judged, lambda v: v < TARGETS["growth"], _ratio, higher_is_better=False)
        )
    if soak.not_run or soak.result is None:
        out.append(not_run("soak: zero errors", soak.not_run or "no result"))
        out.append(not_run(f"soak: worker memory grows < {TARGETS['rss']:.0%}", soak.not_run))
    else:
        out.append(
            _judge(
                f"soak: zero errors ({soak.seconds} s, {soak.connections} connections)",
                [("all pages in turn", soak.result.errors)],
                lambda v: v == 0,
                lambda v: f"{v:.0f}",
                higher_is_better=False,
            )
        )
        grew = soak.growth
        out.append(
            _judge(
                f"soak: worker memory grows < {TARGETS['rss']:.0%}",
                [("largest worker growth", grew)],
                lambda v: v < TARGETS["rss"],
                lambda v: f"{v:+.1%}",
                higher_is_better=False,
            )
        )
    return out


def render_report(meta: dict, real: Phase, big: Phase | None, soak: Soak) -> str:
    """The generated part of docs/benchmarks.md."""
    lines = []
    if meta.get("quick"):
        lines += [
            "## Results of a quick run: not the benchmark's figures",
            "",
            f"> `bench/run --quick`: {meta['duration']} s per measurement instead of 10, a "
            f"{soak.seconds} s soak instead of 60. It shows that the script works; the figures "
            "are too short to compare with a full run's.",
        ]
    else:
        lines += ["## Results"]
    lines += [
        "",
        f"- **Date:** {meta['date']}",
        f"- **Commit:** `{meta['commit']}`",
        f"- **Machine:** {meta['machine']}",
        f"- **Load average when it started:** {meta['load']}",
        f"- **App:** {meta['server']}",
        f"- **Load:** `{meta['wrk']}`, one address per page type; every answer asked for with "
        f"`Accept-Encoding: {ACCEPT_ENCODING}`, so the app, (a), (b) and (c) all send the same "
        "compressed bytes.",
        "",
        "### Targets",
        "",
        "| target | result | detail |",
        "|---|---|---|",
    ]
    for verdict in verdicts(real, big, soak):
        status = f"**{verdict.status}**" if verdict.status == "missed" else verdict.status
        lines.append(f"| {verdict.target} | {status} | {verdict.detail} |")
    lines += ["", f"### {real.title}", ""]
    lines += load_table(real, MODES)
    lines += ["", f"### {big.title if big else f'{FACTOR}× synthetic content'}", ""]
    if big is None or big.not_run:
        lines.append(f"Not run: {big.not_run if big else 'skipped (--skip-100x)'}.")
    else:
        modes = [mode for mode in MODES if mode[0] in MODES_100X]
        lines += [
            "The app only: the static copy and the floor serve stored bytes, whose cost does not "
            "depend on the data.",
            "",
            *load_table(big, modes, shares=False),
        ]
    lines += [
        "",
        "### Render time: the page cache off, one connection",
        "",
        f"(d) asked for each page one request at a time, {meta['single']}: the median time "
        "of one answer (the number of requests in brackets). Sizes are the compressed bytes.",
        "",
        f"| page | real content | size | {FACTOR}× content | size | ratio |",
        "|---|--:|--:|--:|--:|--:|",
    ]
    for address, result in real.single.items():
        other = big.single.get(address, "not run") if big and not big.not_run else "not run"
        cells = []
        for phase, value in ((real, result), (big, other)):
            if isinstance(value, Timing):
                cells += [
                    f"{_ms(value.median_ms)} ({len(value.times_ms)})",
                    f"{phase.sizes.get(address, 0):,} B",
                ]
            else:
                cells += [value, ""]
        ratio = (
            _ratio(other.median_ms / result.median_ms)
            if isinstance(result, Timing) and isinstance(other, Timing)
            else ""
        )
        if ratio and address in GROWS_WITH_DATA:
            ratio += " (grows with the data by design; not judged)"
        lines.append(f"| {page_name(address)} | " + " | ".join(cells) + f" | {ratio} |")
    lines += ["", "### Load and soak", ""]
    if soak.not_run or soak.result is None:
        lines.append(f"Not run: {soak.not_run or 'no result'}.")
    else:
        r = soak.result
        lines += [
            f"`{meta['soak']}` against the app (page cache on), the {len(PAGES)} addresses above "
            "in turn.",
            "",
            "| req/s | p50 | p99 | non-2xx | socket errors | requests |",
            "|--:|--:|--:|--:|--:|--:|",
            f"| {_num(r.rps)} | {_ms(r.p50_ms)} | {_ms(r.p99_ms)} | {r.non_2xx} | {_errors(r)} "
            f"| {r.requests:,} |",
            "",
            "| gunicorn worker | memory before (VmRSS) | after | growth |",
            "|---|--:|--:|--:|",
        ]
        for number, pid in enumerate(sorted(soak.rss_before_kb), 1):
            before = soak.rss_before_kb[pid]
            after = soak.rss_after_kb.get(pid)
            if after is None:
                lines.append(f"| {number} | {before:,} kB | (restarted) | |")
            else:
                lines.append(
                    f"| {number} | {before:,} kB | {after:,} kB | {after / before - 1:+.1%} |"
                )
    lines.append("")
    return "\n".join(lines)


def write_report(path: Path, generated: str) -> None:
    """Replace what follows the marker; keep the hand-written introduction above it."""
    intro = path.read_text().split(MARKER)[0].rstrip() + "\n\n" if path.exists() else ""
    if not intro:
        intro = "# Benchmarks\n\n"
    path.write_text(f"{intro}{MARKER}\n\n{generated}")


# --- running things -------------------------------------------------------------------------


class Stop(Exception):
    """A stop the user should read (a missing tool, a failed step): printed without a traceback."""


class Processes:
    """Everything bench/run starts, each in a session of its own (a Ctrl-C in the terminal reaches
    only bench/run, which then stops them in the reverse order), stopped by pid at exit."""

    def __init__(self, logs: Path):
        self.logs = logs
        self.running: list[tuple[str, subprocess.Popen]] = []

    def start(self, name: str, argv: list[str], env=None, **kwargs) -> subprocess.Popen:
        log = open(self.logs / f"{name}.log", "ab")  # noqa: SIM115 - closed with the process
        process = subprocess.Popen(
            argv,
            env=env,
            cwd=ROOT,
            stdout=kwargs.pop("stdout", log),
            stderr=log,
            start_new_session=True,
            **kwargs,
        )
        self.running.append((name, process))
        return process

    def stop(self, process: subprocess.Popen, timeout: float = 30) -> None:
        if process.poll() is None:
            if process.stdin:  # the database holder leaves when its stdin closes
                with contextlib.suppress(OSError):
                    process.stdin.close()
                with contextlib.suppress(subprocess.TimeoutExpired):
                    process.wait(timeout)
            if process.poll() is None:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(process.pid, signal.SIGTERM)
                try:
                    process.wait(timeout)
                except subprocess.TimeoutExpired:
                    with contextlib.suppress(ProcessLookupError):
                        os.killpg(process.pid, signal.SIGKILL)
                    process.wait()
        self.running = [(n, p) for n, p in self.running if p is not process]

    def stop_all(self) -> None:
        for _name, process in reversed(self.running):
            self.stop(process)

    def log_tail(self, name: str, lines: int = 30) -> str:
        path = self.logs / f"{name}.log"
        if not path.exists():
            return ""
        return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])


def need_tools() -> None:
    """wrk, nginx and redis-server: installed with apt-get as root, or the command is printed."""
    missing = [
        package
        for command, package in (
            ("wrk", "wrk"),
            ("nginx", "nginx"),
            ("redis-server", "redis-server"),
        )
        if shutil.which(command) is None and not Path(f"/usr/sbin/{command}").exists()
    ]
    if not missing:
        return
    if os.geteuid() == 0 and shutil.which("apt-get"):
        print(f"bench/run needs {', '.join(missing)}; installing (apt-get)...", file=sys.stderr)
        env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
        subprocess.run(["apt-get", "update", "-qq"], check=True, env=env)
        subprocess.run(["apt-get", "install", "-y", "-qq", *missing], check=True, env=env)
        return
    raise Stop(
        f"bench/run needs {', '.join(missing)}. Install with:\n\n"
        f"    sudo apt-get install -y {' '.join(missing)}\n"
    )


def _tool(name: str) -> str:
    return shutil.which(name) or f"/usr/sbin/{name}"


def _why(error: Exception) -> str:
    """A short reason for a table cell."""
    text = str(error).splitlines()[0] if str(error) else ""
    return f"{type(error).__name__}{': ' + text[:80] if text else ''}".replace("|", "/")


def port_is_free(port: int) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), 0.5):
            return False
    except OSError:
        return True


def need_free_port(port: int, name: str) -> None:
    """A server already on the port would answer in place of the one bench/run starts."""
    if not port_is_free(port):
        raise Stop(
            f"127.0.0.1:{port}, where bench/run starts {name}, is taken: another bench/run, or a "
            "server left running? Stop it first."
        )


def wait_for_port(port: int, process: subprocess.Popen, processes: Processes, name: str) -> None:
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise Stop(
                f"{name} stopped at start (exit {process.returncode}):\n{processes.log_tail(name)}"
            )
        with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), 0.5):
            return
        time.sleep(0.2)
    raise Stop(
        f"{name} did not listen on 127.0.0.1:{port} within 90 s:\n{processes.log_tail(name)}"
    )


def fetch(port: int, address: str) -> tuple[int, dict[str, str], bytes]:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=300)
    try:
        connection.request("GET", address, headers={"Accept-Encoding": ACCEPT_ENCODING})
        response = connection.getresponse()
        body = response.read()
        return response.status, {k.lower(): v for k, v in response.getheaders()}, body
    finally:
        connection.close()


def run_wrk(port: int, address: str, seconds: int, connections: int, script: Path | None = None):
    threads = min(2, connections)
    argv = [
        "wrk",
        f"-t{threads}",
        f"-c{connections}",
        f"-d{seconds}s",
        "--latency",
        f"--timeout={WRK_TIMEOUT}",
        "-H",
        f"Accept-Encoding: {ACCEPT_ENCODING}",
    ]
    if script:
        argv += ["-s", str(script)]
    argv.append(f"http://127.0.0.1:{port}{address}")
    done = subprocess.run(argv, capture_output=True, text=True, timeout=seconds + 60)
    if done.returncode:
        raise Stop(f"{' '.join(argv)} failed:\n{done.stdout}{done.stderr}")
    return parse_wrk(done.stdout)


def time_sequential(port: int, address: str, seconds: float, minimum: int = 3) -> Timing:
    """Ask for `address` one request at a time for `seconds`, and at least `minimum` times."""
    times = []
    started = time.perf_counter()
    while len(times) < minimum or time.perf_counter() - started < seconds:
        before = time.perf_counter()
        status, _headers, _body = fetch(port, address)
        times.append((time.perf_counter() - before) * 1000)
        if status != 200:
            raise Stop(f"{address} answered {status} while its render time was measured")
    return Timing(times)


def worker_rss(master: int) -> dict[int, int]:
    """VmRSS in kB of each child (gunicorn worker) of `master`."""
    try:
        children = Path(f"/proc/{master}/task/{master}/children").read_text().split()
    except OSError:
        return {}
    rss = {}
    for pid in map(int, children):
        with contextlib.suppress(OSError):
            status = Path(f"/proc/{pid}/status").read_text()
            rss[pid] = int(re.search(r"^VmRSS:\s+(\d+) kB", status, re.MULTILINE)[1])
    return rss


def with_database(url: str, name: str) -> str:
    parts = urlsplit(url)
    return urlunsplit(parts._replace(path=f"/{name}"))


def machine() -> str:
    cpuinfo = Path("/proc/cpuinfo").read_text()
    model = re.search(r"^model name\s*:\s*(.+)$", cpuinfo, re.MULTILINE)
    memory = re.search(r"^MemTotal:\s+(\d+) kB", Path("/proc/meminfo").read_text(), re.MULTILINE)
    return (
        f"{os.cpu_count()} cores, {model[1].strip() if model else 'CPU model unknown'}, "
        f"{int(memory[1]) / 1024 / 1024:.1f} GiB RAM" + (f", {_kernel()}" if _kernel() else "")
    )


def _kernel() -> str:
    with contextlib.suppress(OSError):
        return "Linux " + Path("/proc/sys/kernel/osrelease").read_text().strip()
    return ""


def commit() -> str:
    def git(*args):
        return subprocess.run(
            ["git", *args], cwd=ROOT, capture_output=True, text=True, check=False
        ).stdout.strip()

    sha = git("rev-parse", "--short=12", "HEAD") or "unknown"
    dirty = git("status", "--porcelain", "--untracked-files=no")
    return sha + (" (with uncommitted changes)" if dirty else "")


# --- the run --------------------------------------------------------------------------------


class Bench:
    def __init__(self, args):
        self.args = args
        self.tmp = Path(tempfile.mkdtemp(prefix="cxportal-bench-"))
        # nginx's workers run as an unprivileged user when nginx starts as root: let them read
        # the stored responses (public pages) and write their cache and temporary files.
        self.tmp.chmod(0o755)
        for name in ("nginx-temp", "nginx-cache"):
            (self.tmp / name).mkdir(mode=0o777)
            (self.tmp / name).chmod(0o777)
        (self.tmp / "logs").mkdir()
        self.processes = Processes(self.tmp / "logs")
        self.gunicorn_conf = ROOT / "gunicorn.conf.py"
        self.secret = secrets.token_urlsafe(50)

    def step(self, text: str) -> None:
        print(f"[{time.strftime('%H:%M:%S')}] {text}", file=sys.stderr, flush=True)

    # Postgres, Redis, the content

    def admin_database_url(self) -> tuple[str, str]:
        if os.environ.get("DATABASE_URL"):
            return os.environ["DATABASE_URL"], "the server of DATABASE_URL"
        holder = self.processes.start(
            "postgres",
            [
                sys.executable,
                "-c",
                "import sys; from pathlib import Path; sys.path.insert(0, sys.argv[1]); "
                "from cxportal.embedded_db import database_url; "
                "print(database_url(Path(sys.argv[1]) / '.pgdata'), flush=True); sys.stdin.read()",
                str(ROOT),
            ],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        url = holder.stdout.readline().strip()
        if not url:
            holder.wait()
            raise Stop(
                f"the embedded Postgres did not start:\n{self.processes.log_tail('postgres')}"
            )
        return url, "the checkout's embedded Postgres (.pgdata/)"

    def create_database(self, admin_url: str, name: str, template: str = "") -> str:
        import psycopg

        with psycopg.connect(admin_url, autocommit=True) as connection:
            connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            copy = f' TEMPLATE "{template}"' if template else ""
            connection.execute(f'CREATE DATABASE "{name}"{copy}')
        return with_database(admin_url, name)

    def drop_database(self, admin_url: str, name: str) -> None:
        import psycopg

        with contextlib.suppress(psycopg.Error), psycopg.connect(admin_url, autocommit=True) as c:
            c.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    def env(self, database_url: str, redis_db: int, page_cache: bool = True) -> dict[str, str]:
        env = {
            key: value
            for key, value in os.environ.items()
            if not key.startswith(("DJANGO_", "CXPORTAL_", "GUNICORN_"))
        }
        env.update(
            DJANGO_SETTINGS_MODULE="cxportal.settings",
            DJANGO_DEBUG="false",
            DJANGO_SECRET_KEY=self.secret,
            DJANGO_ALLOWED_HOSTS="127.0.0.1,localhost",
            # wrk speaks plain HTTP to loopback; a redirect to HTTPS would be all it measured.
            DJANGO_SECURE_SSL_REDIRECT="false",
            DJANGO_SECURE_HSTS_SECONDS="31536000",
            CXPORTAL_REQUIRE_2FA="true",
            CXPORTAL_PAGE_CACHE="true" if page_cache else "false",
            DATABASE_URL=database_url,
            REDIS_URL=f"redis://127.0.0.1:{REDIS_PORT}/{redis_db}",
            WEB_CONCURRENCY="2",
            **GUNICORN_ENV,
            PYTHONUNBUFFERED="1",
        )
        return env

    def manage(self, env: dict, *args: str) -> subprocess.CompletedProcess:
        log = self.tmp / "logs" / "manage.log"
        with open(log, "a") as out:
            done = subprocess.run(
                [sys.executable, "manage.py", *args], cwd=ROOT, env=env, stdout=out, stderr=out
            )
        if done.returncode:
            tail = "\n".join(log.read_text().splitlines()[-30:])
            raise Stop(f"manage.py {' '.join(args)} failed:\n{tail}")
        return done

    def has_command(self, env: dict, name: str) -> bool:
        done = subprocess.run(
            [sys.executable, "manage.py", "help", "--commands"],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
        )
        return name in done.stdout.split()

    # Servers

    def gunicorn(self, name: str, app: str, port: int, env: dict, *extra: str):
        # gunicorn 27's control socket is one path per user: three of them at once (and anyone
        # else's gunicorn) would take it from each other. bench/run stops them by pid instead.
        argv = [sys.executable, "-m", "gunicorn", app, f"--bind=127.0.0.1:{port}", *extra]
        argv.append("--no-control-socket")
        if self.gunicorn_conf.exists():
            argv += ["-c", str(self.gunicorn_conf)]
        else:  # as `manage.py serve` starts it
            argv += ["--workers=2", "--access-logfile=-", "--forwarded-allow-ips=*"]
        need_free_port(port, name)
        process = self.processes.start(name, argv, env=env)
        wait_for_port(port, process, self.processes, name)
        deadline = time.monotonic() + 30
        while len(worker_rss(process.pid)) < 2 and time.monotonic() < deadline:
            time.sleep(0.2)
        return process

    def nginx(self, name: str, conf_text: str, port: int):
        conf = self.tmp / f"{name}.conf"
        conf.write_text(conf_text)
        binary = _tool("nginx")
        argv = [binary, "-p", str(self.tmp), "-e", str(self.tmp / "logs" / f"{name}.error.log")]
        argv += ["-c", str(conf), "-g", "daemon off;"]
        test = subprocess.run([*argv, "-t"], capture_output=True, text=True)
        if test.returncode:
            raise Stop(f"nginx refused {conf}:\n{test.stderr}")
        need_free_port(port, name)
        process = self.processes.start(name, argv)
        wait_for_port(port, process, self.processes, name)
        return process

    def warm(self, port: int, addresses: list[str], times: int = 6) -> None:
        """Each address a few times, so that both workers have loaded and compiled everything."""
        for address in addresses:
            for _ in range(times):
                fetch(port, address)

    # Measuring

    def measure(self, phase: Phase, mode: str, port: int) -> None:
        for address in phase.results:
            self.step(f"  {phase.title}: {mode} {address}")
            try:
                # Just before: a cache with a short lifetime (nginx's) holds the page for wrk.
                self.warm(port, [address], times=2)
                phase.results[address][mode] = run_wrk(
                    port, address, self.args.duration, self.args.connections
                )
            except (OSError, http.client.HTTPException, Stop, ValueError) as error:
                phase.results[address][mode] = f"not measured: {_why(error)}"
            self.drain(port)

    def measure_single(self, phase: Phase, port: int) -> None:
        for address in phase.results:
            try:
                phase.single[address] = time_sequential(port, address, self.args.single_duration)
            except (OSError, http.client.HTTPException, Stop) as error:
                phase.single[address] = f"not measured: {_why(error)}"
                self.drain(port)

    def drain(self, port: int) -> None:
        """Wait until the server has answered what wrk left queued (requests whose connection wrk
        closed at the end are still rendered), so that the next measurement starts on an idle
        server: one request for a cheap address, queued behind them."""
        with contextlib.suppress(OSError, http.client.HTTPException):
            fetch(port, "/robots.txt")

    def store_responses(self, port: int, addresses: list[str]) -> dict[str, dict]:
        """Fetch each page once from the app and keep its bytes for (a) and (b)."""
        folder = self.tmp / "responses"
        folder.mkdir(exist_ok=True)
        folder.chmod(0o755)
        stored = {}
        for number, address in enumerate(addresses):
            status, headers, body = fetch(port, address)
            if status != 200:
                raise Stop(f"{address} answered {status}, not 200: the benchmark needs real pages")
            name = f"{number}.body"
            (folder / name).write_bytes(body)
            (folder / name).chmod(0o644)
            stored[address] = {
                "file": name,
                "content_type": headers.get("content-type", "application/octet-stream"),
                "content_encoding": headers.get("content-encoding", ""),
                "bytes": len(body),
            }
        (folder / "responses.json").write_text(json.dumps(stored, indent=1))
        return stored

    def serve_app(self, phase_name: str, database_url: str, redis_db: int):
        app = self.gunicorn(
            f"app-{phase_name}",
            "cxportal.wsgi:application",
            PORTS["app"],
            self.env(database_url, redis_db, page_cache=True),
        )
        nocache = self.gunicorn(
            f"nocache-{phase_name}",
            "cxportal.wsgi:application",
            PORTS["nocache"],
            self.env(database_url, redis_db, page_cache=False),
        )
        return app, nocache

    def flush_redis(self) -> None:
        with socket.create_connection(("127.0.0.1", REDIS_PORT), 5) as connection:
            connection.sendall(b"FLUSHALL\r\n")
            connection.recv(64)

    def run(self) -> None:
        args = self.args
        addresses = [path for _name, path in PAGES]
        meta = {
            "date": datetime.datetime.now(datetime.UTC).strftime("%Y-%m-%d %H:%M UTC"),
            "commit": commit(),
            "machine": machine(),
            "load": " ".join(Path("/proc/loadavg").read_text().split()[:3]),
            "quick": args.quick,
            "duration": args.duration,
            "wrk": f"wrk -t2 -c{args.connections} -d{args.duration}s --latency --timeout={WRK_TIMEOUT}",
            "single": f"for {args.single_duration} s and at least 3 times",
            "soak": (
                f"wrk -t2 -c{args.soak_connections} -d{args.soak_duration}s --latency "
                f"--timeout={WRK_TIMEOUT} -s mix.lua"
            ),
        }
        real = Phase("Real content (performance.gov)")
        real.results = {address: {} for address in addresses}
        big = None if args.skip_100x else Phase(f"{FACTOR}× synthetic content")
        soak = Soak(args.soak_duration, args.soak_connections)

        self.step("Postgres")
        admin_url, where = self.admin_database_url()
        self.step("Redis")
        need_free_port(REDIS_PORT, "redis-server")
        redis = self.processes.start(
            "redis",
            [
                _tool("redis-server"),
                "--bind",
                "127.0.0.1",
                "--port",
                str(REDIS_PORT),
                "--save",
                "",
                "--appendonly",
                "no",
                "--dir",
                str(self.tmp),
            ],
        )
        wait_for_port(REDIS_PORT, redis, self.processes, "redis")
        real_url = self.create_database(admin_url, DATABASE)
        env = self.env(real_url, 0)
        self.step(f"migrate, import_performance_gov and collectstatic into {DATABASE}")
        self.manage(env, "migrate", "--noinput")
        self.manage(env, "import_performance_gov")
        self.manage(env, "collectstatic", "--noinput", "--verbosity", "0")
        big_url = ""
        if big is not None:
            if not self.has_command(env, "synthesize_content"):
                big.not_run = "synthesize_content missing"
            else:
                name = f"{DATABASE}_{FACTOR}x"
                self.step(f"{name}: a copy, then synthesize_content --factor {FACTOR}")
                big_url = self.create_database(admin_url, name, template=DATABASE)
                self.manage(self.env(big_url, 1), "synthesize_content", "--factor", str(FACTOR))

        workers = (
            "gunicorn.conf.py with WEB_CONCURRENCY=2 and GUNICORN_MAX_REQUESTS=0 (no recycling)"
            if self.gunicorn_conf.exists()
            else "gunicorn --workers=2 (no gunicorn.conf.py in this checkout)"
        )
        self.step("the app, real content")
        self.flush_redis()
        app, nocache = self.serve_app("real", real_url, 0)
        meta["server"] = (
            f"{workers}, {len(worker_rss(app.pid))} workers; production settings "
            f"(DEBUG off, HSTS, 2FA; the HTTPS redirect off for loopback); {where}; "
            f"Redis 7 on loopback for REDIS_URL"
        )
        stored = self.store_responses(PORTS["app"], addresses)
        real.sizes = {address: item["bytes"] for address, item in stored.items()}
        self.warm(PORTS["app"], addresses)
        self.warm(PORTS["nocache"], addresses)
        floor_env = {
            **{k: v for k, v in self.env(real_url, 0).items() if not k.startswith("DJANGO_")},
            "DJANGO_SETTINGS_MODULE": "floor",
            "BENCH_FLOOR_DIR": str(self.tmp / "responses"),
        }
        floor = self.gunicorn(
            "floor",
            "floor:application",
            PORTS["floor"],
            floor_env,
            "--pythonpath",
            str(ROOT / "bench"),
        )
        self.warm(PORTS["floor"], addresses, times=2)
        static = self.nginx(
            "nginx-static", static_nginx_conf(self.tmp, PORTS["static"], stored), PORTS["static"]
        )
        deploy_conf = ROOT / "deploy" / "nginx.conf"
        cache = None
        if deploy_conf.exists():
            conf = adapt_deploy_nginx(
                deploy_conf.read_text(), self.tmp, PORTS["cache"], PORTS["app"]
            )
            cache = self.nginx("nginx-cache", conf, PORTS["cache"])
            self.warm(PORTS["cache"], addresses, times=2)
        else:
            for address in addresses:
                real.results[address]["cache"] = "not run: deploy/nginx.conf missing"

        self.step("measuring the real content")
        self.measure(real, "app", PORTS["app"])
        self.measure(real, "nocache", PORTS["nocache"])
        if cache is not None:
            self.measure(real, "cache", PORTS["cache"])
        self.measure(real, "floor", PORTS["floor"])
        self.measure(real, "static", PORTS["static"])
        self.step("render time, real content")
        self.measure_single(real, PORTS["nocache"])

        for process in (cache, static, floor):
            if process is not None:
                self.processes.stop(process)

        if args.skip_soak:
            soak.not_run = "skipped (--skip-soak)"
        else:
            self.step(f"soak: {args.soak_duration} s at {args.soak_connections} connections")
            script = self.tmp / "mix.lua"
            script.write_text(mix_lua(addresses))
            soak.rss_before_kb = worker_rss(app.pid)
            soak.result = run_wrk(
                PORTS["app"], "/", args.soak_duration, args.soak_connections, script
            )
            soak.rss_after_kb = worker_rss(app.pid)
        self.processes.stop(app)
        self.processes.stop(nocache)

        if big is not None and not big.not_run:
            self.step(f"the app, {FACTOR}× content")
            self.flush_redis()
            big.results = {address: {} for address in addresses}
            app, nocache = self.serve_app("100x", big_url, 1)
            for address in addresses:
                status, _headers, body = fetch(PORTS["app"], address)
                if status != 200:
                    raise Stop(f"{address} answered {status} on the {FACTOR}× content")
                big.sizes[address] = len(body)
            # measure() asks for each page twice more just before wrk does.
            self.warm(PORTS["app"], addresses, times=1)
            self.warm(PORTS["nocache"], addresses, times=1)
            self.measure(big, "app", PORTS["app"])
            self.measure(big, "nocache", PORTS["nocache"])
            self.step(f"render time, {FACTOR}× content")
            self.measure_single(big, PORTS["nocache"])
            self.processes.stop(app)
            self.processes.stop(nocache)

        generated = render_report(meta, real, big, soak)
        write_report(args.output, generated)
        self.step(f"wrote {args.output}")
        print(generated)
        if not args.keep_databases:
            self.drop_database(admin_url, DATABASE)
            self.drop_database(admin_url, f"{DATABASE}_{FACTOR}x")

    def close(self) -> None:
        self.processes.stop_all()
        if self.args.keep_temp:
            print(f"Kept {self.tmp}", file=sys.stderr)
        else:
            shutil.rmtree(self.tmp, ignore_errors=True)


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="bench/run",
        description="Load-test every public page type and write docs/benchmarks.md.",
    )
    parser.add_argument(
        "--quick",
        action="store_true",
        help="short runs (2 s each, a 10 s soak), to try the script; the file says it was quick",
    )
    parser.add_argument("--skip-100x", action="store_true", help="the real content only")
    parser.add_argument("--skip-soak", action="store_true", help="no 60 s soak")
    parser.add_argument("--duration", type=int, help="seconds per wrk run (default 10; quick 2)")
    parser.add_argument("--connections", type=int, default=16, help="default 16")
    parser.add_argument("--soak-duration", type=int, help="default 60; quick 10")
    parser.add_argument("--soak-connections", type=int, default=64, help="default 64")
    parser.add_argument("--output", type=Path, default=REPORT, help="default docs/benchmarks.md")
    parser.add_argument("--keep-temp", action="store_true", help="keep the folder of logs")
    parser.add_argument(
        "--keep-databases", action="store_true", help=f"keep {DATABASE} (and its 100x copy)"
    )
    args = parser.parse_args(argv)
    args.duration = args.duration or (2 if args.quick else 10)
    args.single_duration = 2 if args.quick else 5
    args.soak_duration = args.soak_duration or (10 if args.quick else 60)
    return args


def _raise_exit(signum, _frame):
    raise SystemExit(128 + signum)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    # SIGTERM and SIGHUP end the run as Ctrl-C does: through `finally`, which stops everything.
    # SIGINT too when bench/run was started in the background, where the shell ignores it.
    signal.signal(signal.SIGINT, signal.default_int_handler)
    signal.signal(signal.SIGTERM, _raise_exit)
    signal.signal(signal.SIGHUP, _raise_exit)
    try:
        need_tools()
        bench = Bench(args)
    except Stop as stop:
        print(stop, file=sys.stderr)
        return 1
    try:
        bench.run()
    except Stop as stop:
        print(f"bench/run stopped: {stop}", file=sys.stderr)
        return 1
    except (KeyboardInterrupt, SystemExit) as stop:
        print("bench/run interrupted; stopping what it started.", file=sys.stderr)
        return stop.code if isinstance(stop, SystemExit) else 130
    finally:
        bench.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
