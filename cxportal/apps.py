"""The admin app, on the project's own admin site.

Django's documented way to replace `admin.site`: every `@admin.register` in the apps, and the
admins django-otp and django-axes ship, land on `cxportal.admin_site.PortalAdminSite`. The admin's
module is imported, not its class, and the class says `default = False`: Django takes an AppConfig
class it finds in a package's apps.py as that package's own, and this one is not the `cxportal`
app's.
"""

from django.apps import AppConfig
from django.contrib.admin import apps


class PortalAdminConfig(apps.AdminConfig):
    default = False
    default_site = "cxportal.admin_site.PortalAdminSite"


class PortalConfig(AppConfig):
    """The `cxportal` app itself: it connects the page cache's receivers (cxportal.caching)."""

    default = True
    name = "cxportal"

    def ready(self):
        from django.core import checks
        from django.db import connections
        from django.db.backends.signals import connection_created

        from cxportal import caching

        connection_created.connect(caching.watch_connection)
        for connection in connections.all(initialized_only=True):
            caching.watch_connection(sender=None, connection=connection)
        caching.content_changed.connect(caching.purge_proxies)
        checks.register(caching.check_proxy_purge)
