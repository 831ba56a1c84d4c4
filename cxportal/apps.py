"""The admin app, on the project's own admin site.

Django's documented way to replace `admin.site`: every `@admin.register` in the apps, and the
admins django-otp and django-axes ship, land on `cxportal.admin_site.PortalAdminSite`. The admin's
module is imported, not its class, and the class says `default = False`: Django takes an AppConfig
class it finds in a package's apps.py as that package's own, and this one is not the `cxportal`
app's.
"""

from django.contrib.admin import apps


class PortalAdminConfig(apps.AdminConfig):
    default = False
    default_site = "cxportal.admin_site.PortalAdminSite"
