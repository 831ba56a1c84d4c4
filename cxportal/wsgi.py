"""WSGI entry point, served by gunicorn in production."""

import logging
import os

from django.core.wsgi import get_wsgi_application

# Python's warnings go through logging too, so that they are JSON lines like the rest (ADR 0031).
logging.captureWarnings(True)

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cxportal.settings")
application = get_wsgi_application()
