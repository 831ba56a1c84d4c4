"""gunicorn's settings for the CX progress portal (ADR 0031). `manage.py serve` (the container's
start-up step) runs gunicorn with this file; so can anyone: `python -m gunicorn -c gunicorn.conf.py`.

gunicorn is not Django, so this file reads its few values from the environment itself, in the
block below; cxportal/settings.py reads the rest. Every value has a default that suits the
container on a small machine.

| variable | default | meaning |
|---|---|---|
| PORT | 8000 | listens on 0.0.0.0:$PORT, for the load balancer in front of the container |
| WEB_CONCURRENCY | 2 | worker processes; about one per CPU (rendering a page is CPU work) |
| GUNICORN_THREADS | 1 | threads per worker; above 1, gunicorn's threaded worker (keep-alive, one database connection per thread) |
| GUNICORN_TIMEOUT | 30 | seconds a worker may be silent before gunicorn kills and replaces it |
| GUNICORN_GRACEFUL_TIMEOUT | 25 | on SIGTERM, seconds to finish the requests in flight; under Kubernetes' default 30 s grace |
| GUNICORN_KEEPALIVE | 5 | seconds a threaded worker keeps an idle client connection open |
| GUNICORN_MAX_REQUESTS | 1000 | a worker is replaced after this many requests (0: never), a guard against slow leaks |
| GUNICORN_MAX_REQUESTS_JITTER | 100 | up to this many more, so that the workers are not all replaced at once |
"""

import os


def _int(name: str, default: int, minimum: int = 1) -> int:
    value = os.environ.get(name) or str(default)
    if not value.isdigit() or int(value) < minimum:
        raise ValueError(f"{name} must be a whole number of at least {minimum}, not {value!r}.")
    return int(value)


# --- From the environment. -----------------------------------------------------------------------
port = _int("PORT", 8000)
workers = _int("WEB_CONCURRENCY", 2)
threads = _int("GUNICORN_THREADS", 1)
timeout = _int("GUNICORN_TIMEOUT", 30)
graceful_timeout = _int("GUNICORN_GRACEFUL_TIMEOUT", 25)
keepalive = _int("GUNICORN_KEEPALIVE", 5)
max_requests = _int("GUNICORN_MAX_REQUESTS", 1000, minimum=0)
max_requests_jitter = _int("GUNICORN_MAX_REQUESTS_JITTER", 100, minimum=0)
# -------------------------------------------------------------------------------------------------

wsgi_app = "cxportal.wsgi:application"
bind = [f"0.0.0.0:{port}"]
del port  # not a gunicorn setting
# The load balancer terminates HTTPS and says so in X-Forwarded-Proto (SECURE_PROXY_SSL_HEADER);
# only it can reach the container's port.
forwarded_allow_ips = "*"
# The workers' heartbeat files in memory: a container's disk-backed /tmp can stall them and get
# healthy workers killed (gunicorn's own advice for Docker).
worker_tmp_dir = "/dev/shm" if os.path.isdir("/dev/shm") else None  # noqa: S108 - gunicorn's own files

# Logs: JSON lines on stderr, as the app's (cxportal/settings.py, LOGGING). The app logs each
# request with its id and duration, so gunicorn's access log is off: no request is logged twice.
accesslog = None
errorlog = "-"
loglevel = "info"
logconfig_dict = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "json": {
            "()": "pythonjsonlogger.json.JsonFormatter",
            "fmt": ["levelname", "name", "message"],
            "timestamp": "time",
            "rename_fields": {"levelname": "level", "name": "logger"},
        }
    },
    "handlers": {
        "error_console": {
            "class": "logging.StreamHandler",
            "formatter": "json",
            "stream": "ext://sys.stderr",
        },
    },
    "root": {"level": "WARNING", "handlers": ["error_console"]},
    "loggers": {
        "gunicorn.error": {"level": "INFO", "handlers": ["error_console"], "propagate": False},
        "gunicorn.access": {"level": "INFO", "handlers": [], "propagate": False},
    },
}
