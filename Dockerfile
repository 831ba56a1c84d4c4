# Production image for the CX progress portal.
#
#   docker build -t cxportal .
#   docker run --rm --env-file prod.env cxportal sh -c \
#       "python manage.py migrate --noinput && python manage.py import_performance_gov --if-empty"   # release step
#   docker run --env-file prod.env -p 8000:8000 cxportal                                            # web
#
# The image holds the content (data/performance_gov/, copied with the code): the release step
# imports it into an empty database and leaves a database that already has content alone.
#
# Configuration comes only from the environment (see the block at the top of
# cxportal/settings.py, gunicorn.conf.py, and the README's prod.env). DATABASE_URL is required: the embedded Postgres is for laptops, and
# the app user cannot write .pgdata here, so without it the container fails to start.
FROM python:3.11.14-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PORT=8000

RUN groupadd --system --gid 10001 app \
    && useradd --system --uid 10001 --gid app --no-create-home --shell /usr/sbin/nologin app

WORKDIR /app

# Runtime dependencies only (requirements-dev.txt is for laptops and CI).
COPY requirements.txt .
RUN pip install --no-cache-dir -r requirements.txt

# Code, content and static files stay owned by root: the app user can read them, not change them.
COPY . .
# The content the release step imports comes in with the code; stop here if it is missing
# (e.g. a .dockerignore pattern that leaves data/ out of the build context).
RUN test -f data/performance_gov/priority_areas.json && test -f data/performance_gov/hisps.json

# Settings start an embedded Postgres when DATABASE_URL is unset; a placeholder URL (parsed,
# never connected to) keeps collectstatic from doing so. It is set for this step only.
RUN DATABASE_URL=postgres://build@localhost/build python manage.py collectstatic --noinput

USER app

EXPOSE 8000

# /healthz checks the database. The request carries a host from DJANGO_ALLOWED_HOSTS and says
# it came over HTTPS, as the load balancer's would; otherwise production settings answer
# 400 (host not allowed) or 301 (SSL redirect).
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
    CMD ["python", "-c", "import os, urllib.request as u; h = (os.environ.get('DJANGO_ALLOWED_HOSTS') or 'localhost').split(',')[0].strip().lstrip('.'); h = 'localhost' if h in ('', '*') else h; u.urlopen(u.Request('http://127.0.0.1:' + os.environ.get('PORT', '8000') + '/healthz', headers={'Host': h, 'X-Forwarded-Proto': 'https'}), timeout=4)"]

# A deploy stops the old container with SIGTERM: gunicorn (PID 1, exec'd by serve) stops taking
# connections and finishes the requests in flight within GUNICORN_GRACEFUL_TIMEOUT (25 s), under
# the 30 s orchestrators usually allow (with plain Docker: `docker stop --time 30`).
STOPSIGNAL SIGTERM

# Start-up: `manage.py serve` refuses unsafe settings (check --deploy --fail-level WARNING),
# then execs gunicorn with the top-level gunicorn.conf.py: 0.0.0.0:$PORT, $WEB_CONCURRENCY
# workers (default 2) of $GUNICORN_THREADS threads (default 1), JSON logs on stderr.
# Migrations are NOT run here: with several containers starting at once, each would race to
# migrate the same database, and a failing migration would crash-loop every web container.
# Run `python manage.py migrate --noinput && python manage.py import_performance_gov --if-empty`
# once per deploy as a release step, before the new containers start. A single-container
# deployment may use `python manage.py serve --migrate` (it does not import the content).
CMD ["python", "manage.py", "serve"]
