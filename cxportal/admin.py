"""The admin site's own words. The admin base classes the apps build on are in `content.admin`."""

from django.contrib import admin

admin.site.site_header = "CX progress portal administration"
admin.site.site_title = "CX progress portal admin"
admin.site.index_title = "Content"
