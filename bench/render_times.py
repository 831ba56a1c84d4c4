#!/usr/bin/env python
"""Median in-process render time, and query count, of one URL of each public page type.

    .venv/bin/python bench/render_times.py [--runs 40] [--profile PATH] [--json]

It renders each page with Django's test Client (the whole middleware stack, production settings:
DEBUG off, so the cached template loader) against the database the settings point at
(DATABASE_URL, or the embedded Postgres in .pgdata/), with no page cache in front: every request
renders. Run it on the real content and again on a database filled by
`manage.py synthesize_content --factor 100` to compare the two; ADR 0028 has the figures.

Figures are server time in one process, which is what a worker spends on a request; with two
gunicorn workers on two cores, 12 ms a page is about 160 requests a second. The machine is shared,
so the median of many runs is printed, not the mean. `--profile URL` prints cProfile's top
functions for one URL instead.
"""

import argparse
import cProfile
import json
import os
import pstats
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cxportal.settings")
# Render time is a miss's cost: the page cache (ADR 0026) would answer every request after the
# first from the shared cache.
os.environ["CXPORTAL_PAGE_CACHE"] = "false"

import wrkbench  # noqa: E402  bench/, beside this file

# bench/run's page of each public page type, and two more that matter to render time: a search
# that finds nothing (its "Did you mean" reads the vocabulary) and trust_by_quarter, an aggregate
# bounded by the number of quarters (the all-rows download grows with the data by nature).
PAGES = [
    *wrkbench.PAGES,
    ("search, no result", "/search/?q=pasport"),
    ("data download, quarters", "/cx/data/trust_by_quarter.csv"),
]


def _get(client, url):
    response = client.get(url, HTTP_ACCEPT_ENCODING="gzip")
    if response.streaming:
        b"".join(response.streaming_content)
    return response


def measure(client, url: str, runs: int) -> tuple[float, float, int, int]:
    """(median ms, median CPU ms of this process, queries of one request, status) over `runs`
    requests after a warm-up. The CPU time is Python's share (the database's is in its own
    process), which the load of other processes on the machine disturbs less."""
    from django.db import connection

    response = _get(client, url)  # warm the template cache and the connection
    # Counted with an execute wrapper: CaptureQueriesContext's log is emptied when a request starts.
    queries = []
    with connection.execute_wrapper(
        lambda execute, sql, *rest: queries.append(sql) or execute(sql, *rest)
    ):
        response = _get(client, url)
    times, cpu = [], []
    for _ in range(runs):
        start, start_cpu = time.perf_counter(), time.process_time()
        _get(client, url)
        times.append((time.perf_counter() - start) * 1000)
        cpu.append((time.process_time() - start_cpu) * 1000)
    return statistics.median(times), statistics.median(cpu), len(queries), response.status_code


def show_queries(client, url: str) -> None:
    """Each query of one request for `url`, slowest first, with its time in ms."""
    from django.db import connection

    _get(client, url)
    timed = []

    def wrapper(execute, sql, params, many, context):
        start = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            timed.append(((time.perf_counter() - start) * 1000, sql, params))

    with connection.execute_wrapper(wrapper):
        _get(client, url)
    for ms, sql, params in sorted(timed, key=lambda row: -row[0]):
        print(f"{ms:8.1f} ms  {sql[:600]}  {str(params)[:200]}\n")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=40)
    parser.add_argument("--profile", metavar="URL", help="print a cProfile of this URL instead")
    parser.add_argument(
        "--queries", metavar="URL", help="print each query of this URL with its time instead"
    )
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    parser.add_argument("urls", nargs="*", help="only these URLs (default: every page type)")
    args = parser.parse_args()

    import django

    django.setup()
    from django.conf import settings
    from django.test import Client

    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    client = Client()

    if args.profile:
        _get(client, args.profile)
        profiler = cProfile.Profile()
        profiler.enable()
        for _ in range(args.runs):
            _get(client, args.profile)
        profiler.disable()
        pstats.Stats(profiler).sort_stats("cumulative").print_stats(45)
        return

    if args.queries:
        show_queries(client, args.queries)
        return

    pages = [(url, url) for url in args.urls] if args.urls else PAGES
    results = []
    for name, url in pages:
        median, cpu, queries, status = measure(client, url, args.runs)
        results.append(
            {
                "page": name,
                "url": url,
                "ms": round(median, 1),
                "cpu_ms": round(cpu, 1),
                "queries": queries,
                "status": status,
            }
        )
    if args.json:
        print(json.dumps(results, indent=2))
        return
    width = max(len(row["page"]) for row in results)
    print(f"{'page':<{width}}  {'median ms':>9}  {'CPU ms':>6}  {'queries':>7}  status  url")
    for row in results:
        print(
            f"{row['page']:<{width}}  {row['ms']:>9.1f}  {row['cpu_ms']:>6.1f}  {row['queries']:>7}"
            f"  {row['status']:>6}  {row['url']}"
        )


if __name__ == "__main__":
    main()
