"""bench/run's parts that decide what the benchmark reports: reading wrk's output, judging the
targets and writing docs/benchmarks.md. Nothing here is timed; the samples are wrk 4.1's own
output, captured from runs on this project."""

import importlib.util
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings

BENCH = Path(settings.BASE_DIR) / "bench"
spec = importlib.util.spec_from_file_location("wrkbench", BENCH / "wrkbench.py")
wrkbench = sys.modules["wrkbench"] = importlib.util.module_from_spec(spec)
spec.loader.exec_module(wrkbench)

STATIC_SAMPLE = """\
Running 2s test @ http://127.0.0.1:8503/cx/hisps/
  2 threads and 16 connections
  Thread Stats   Avg      Stdev     Max   +/- Stdev
    Latency     2.97ms   11.21ms 101.45ms   96.66%
    Req/Sec    14.05k     7.71k   27.06k    57.50%
  Latency Distribution
     50%  391.00us
     75%    1.08ms
     90%    3.98ms
     99%   74.58ms
  55978 requests in 2.02s, 525.36MB read
Requests/sec:  27756.87
Transfer/sec:    260.50MB
"""

SLOW_SAMPLE = """\
Running 10s test @ http://127.0.0.1:8500/
  2 threads and 64 connections
  Thread Stats   Avg      Stdev     Max   +/- Stdev
    Latency     1.09s   310.22ms   1.98s    68.00%
    Req/Sec     8.12      6.01    30.00     71.43%
  Latency Distribution
     50%    1.09s
     75%    1.30s
     90%    1.61s
     99%    1.98s
  115 requests in 10.06s, 1.04MB read
  Socket errors: connect 0, read 2, write 0, timeout 94
  Non-2xx or 3xx responses: 3
Requests/sec:     11.43
Transfer/sec:    105.48KB
"""


def test_wrk_report_is_read_into_figures():
    result = wrkbench.parse_wrk(STATIC_SAMPLE)
    assert result.requests == 55978 and result.seconds == pytest.approx(2.02)
    assert result.rps == pytest.approx(27756.87)
    assert result.mean_ms == pytest.approx(2.97)
    assert result.p50_ms == pytest.approx(0.391)  # microseconds become milliseconds
    assert result.p99_ms == pytest.approx(74.58)
    assert result.errors == 0 and result.socket_errors == {}


def test_wrk_errors_and_seconds_are_counted():
    result = wrkbench.parse_wrk(SLOW_SAMPLE)
    assert result.p50_ms == pytest.approx(1090) and result.p99_ms == pytest.approx(1980)
    assert result.non_2xx == 3
    assert result.socket_errors == {"read": 2, "timeout": 94}
    assert result.errors == 99


def test_output_without_figures_is_refused():
    with pytest.raises(ValueError, match="no line matching"):
        wrkbench.parse_wrk("unable to connect to 127.0.0.1:8500 Connection refused\n")


def result(rps, p99=10.0, mean=5.0, errors=0):
    return wrkbench.WrkResult(
        requests=int(rps * 10), seconds=10, rps=rps, mean_ms=mean, p50_ms=p99 / 2, p99_ms=p99,
        non_2xx=errors,
    )  # fmt: skip


def phases(app_rps):
    real = wrkbench.Phase("Real content")
    for name, address in wrkbench.PAGES[:2]:
        real.results[address] = {
            "app": result(app_rps[name]),
            "nocache": result(150),
            "cache": "not run: deploy/nginx.conf missing",
            "floor": result(3000),
            "static": result(20000),
        }
        real.single[address] = wrkbench.Timing([20.0, 21.0, 19.0])
        real.sizes[address] = 9000
    big = wrkbench.Phase("100× synthetic content", not_run="synthesize_content missing")
    soak = wrkbench.Soak(60, 64, result(900), {11: 80_000, 12: 81_000}, {11: 84_000, 12: 81_500})
    return real, big, soak


META = {
    "date": "2026-12-02 13:00 UTC",
    "commit": "abc123",
    "machine": "2 cores, AMD EPYC, 23.5 GiB RAM",
    "load": "0.10 0.20 0.30",
    "server": "gunicorn, 2 workers",
    "wrk": "wrk -t2 -c16 -d10s --latency",
    "single": "for 5 s and at least 3 times",
    "soak": "wrk -t2 -c64 -d60s --latency -s mix.lua",
}


def test_targets_name_the_page_that_misses():
    real, big, soak = phases({"home": 2400, "priority area": 900})
    found = {v.target.split(" ≥")[0]: v for v in wrkbench.verdicts(real, big, soak)}
    floor = found["app alone"]
    assert floor.status == "missed"
    assert "priority area: 0.30×" in floor.detail and "home" not in floor.detail
    assert found["(d) page cache off"].status == "met"
    cache = found["through deploy/nginx.conf's cache"]
    assert cache.status == "not run: deploy/nginx.conf missing"


def test_report_has_the_tables_and_the_reasons_for_what_did_not_run():
    real, big, soak = phases({"home": 2400, "priority area": 2700})
    report = wrkbench.render_report({**META, "quick": False}, real, big, soak)
    assert "## Results\n" in report and "quick run" not in report
    assert "| app alone ≥ 0.5× the framework floor (b) | met |" in report
    # The home page's row: 2,400 req/s, 0.12× the static copy and 0.80× the floor.
    assert (
        "| home `/` | app, page cache on | 2,400 | 5.00 ms | 10 ms | 0 | 0 | 0.12× | 0.80× |"
        in (report)
    )
    assert "not run: deploy/nginx.conf missing" in report
    assert "not run: synthesize_content missing" in report
    assert "| 1 | 80,000 kB | 84,000 kB | +5.0% |" in report
    assert "soak: worker memory grows < 10% | met" in report
    quick = wrkbench.render_report({**META, "quick": True, "duration": 2}, real, big, soak)
    assert "quick run: not the benchmark's figures" in quick


def test_report_replaces_only_the_generated_part(tmp_path):
    path = tmp_path / "benchmarks.md"
    path.write_text(f"# Benchmarks\n\nHow to read it.\n\n{wrkbench.MARKER}\n\nold table\n")
    wrkbench.write_report(path, "new table\n")
    text = path.read_text()
    assert text.startswith("# Benchmarks\n\nHow to read it.\n")
    assert "new table" in text and "old table" not in text
    assert text.count(wrkbench.MARKER) == 1


def test_the_stored_responses_are_served_with_the_apps_headers(tmp_path):
    stored = {
        "/search/?q=trust": {
            "file": "6.body",
            "content_type": "text/html; charset=utf-8",
            "content_encoding": "gzip",
        },
        "/cx/data/hisps.csv": {
            "file": "8.body",
            "content_type": "text/csv; charset=utf-8",
            "content_encoding": "",
        },
    }
    conf = wrkbench.static_nginx_conf(tmp_path, 8503, stored)
    assert "listen 127.0.0.1:8503;" in conf
    search = next(line for line in conf.splitlines() if "location = /search/ " in line)
    assert "try_files /6.body" in search and 'Content-Encoding "gzip"' in search
    csv = next(line for line in conf.splitlines() if "location = /cx/data/hisps.csv " in line)
    assert 'default_type "text/csv; charset=utf-8"' in csv and "Content-Encoding" not in csv


def test_deploy_config_is_pointed_at_the_benchmarks_gunicorn(tmp_path):
    deploy = (
        "proxy_cache_path /var/cache/nginx/cxportal levels=1:2 keys_zone=cxportal:10m;\n"
        "upstream cxportal { server 127.0.0.1:8000; keepalive 16; }\n"
        "server {\n    listen 80;\n    listen [::]:80;\n"
        "    location / { proxy_pass http://cxportal; proxy_cache cxportal; }\n}\n"
    )
    conf = wrkbench.adapt_deploy_nginx(deploy, tmp_path, 8504, 8500)
    assert "server 127.0.0.1:8500;" in conf and "127.0.0.1:8000" not in conf
    assert conf.count("listen") == 1 and "listen 127.0.0.1:8504;" in conf
    assert f"proxy_cache_path {tmp_path}/nginx-cache levels=1:2" in conf
    assert "proxy_cache cxportal;" in conf  # the caching rules are left as written
    assert conf.count("http {") == 1


def test_soak_script_asks_for_every_page_in_turn():
    script = wrkbench.mix_lua(["/", "/search/?q=trust"])
    assert 'local paths = {"/", "/search/?q=trust"}' in script
    assert "turn % #paths + 1" in script


def test_bench_run_explains_its_options():
    done = subprocess.run(
        [sys.executable, str(BENCH / "wrkbench.py"), "--help"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0
    assert "--quick" in done.stdout and "--skip-100x" in done.stdout


def test_render_time_growth_is_judged_on_the_median_without_the_download():
    real, _big, soak = phases({"home": 2400, "priority area": 2700})
    real.single["/cx/data/hisps.csv"] = wrkbench.Timing([10.0, 10.0, 10.0])
    big = wrkbench.Phase("100× synthetic content")
    big.single = {
        "/": wrkbench.Timing([30.0, 35.0, 900.0]),  # one slow outlier does not move the median
        "/pma/cx/": wrkbench.Timing([60.0, 61.0, 59.0]),
        "/cx/data/hisps.csv": wrkbench.Timing([900.0, 900.0, 900.0]),
    }
    found = [v for v in wrkbench.verdicts(real, big, soak) if v.target.startswith("render time")]
    assert found[0].status == "missed"
    assert found[0].detail == "1 of 2: priority area: 3.00×"
    report = wrkbench.render_report({**META, "quick": False}, real, big, soak)
    assert "| home | 20 ms (3) | 9,000 B | 35 ms (3) |" in report
    assert "90.00× (grows with the data by design; not judged)" in report


def test_100x_table_has_no_share_columns_and_says_when_nothing_answered():
    big = wrkbench.Phase("100× synthetic content")
    nothing = wrkbench.WrkResult(requests=0, seconds=10, rps=0, mean_ms=0, p50_ms=0, p99_ms=0)
    big.results = {"/search/?q=trust": {"app": result(40), "nocache": nothing}}
    table = wrkbench.load_table(big, [("app", "app"), ("nocache", "(d)")], shares=False)
    assert table[0] == "| page | served by | req/s | p50 | p99 | non-2xx | socket errors |"
    assert table[2] == "| search `/search/?q=trust` | app | 40.0 | 5.00 ms | 10 ms | 0 | 0 |"
    assert table[3] == "|  | (d) | 0: no answer within the run |  |  | 0 | 0 |"


def test_the_projects_own_nginx_config_is_accepted_once_adapted(tmp_path):
    """bench/run's column (c) runs deploy/nginx.conf itself: adapted, nginx must accept it (the
    file names its own temporary folders and has a second server, for purges)."""
    import shutil

    from tests.servers import missing

    nginx = shutil.which("nginx") or "/usr/sbin/nginx"
    if not Path(nginx).exists():
        missing("nginx", "nginx")
    deploy = (BENCH.parent / "deploy" / "nginx.conf").read_text()
    conf = wrkbench.adapt_deploy_nginx(deploy, tmp_path, 8504, 8500)
    assert "listen 127.0.0.1:8504;" in conf and "listen 127.0.0.1:8514;" in conf
    assert "server 127.0.0.1:8500;" in conf
    (tmp_path / "logs").mkdir()
    (tmp_path / "nginx-temp").mkdir()  # bench/run makes it too
    (tmp_path / "nginx.conf").write_text(conf)
    test = subprocess.run(
        [nginx, "-p", str(tmp_path), "-e", str(tmp_path / "logs" / "error.log")]
        + ["-c", str(tmp_path / "nginx.conf"), "-t"],
        capture_output=True,
        text=True,
    )
    assert test.returncode == 0, test.stderr
