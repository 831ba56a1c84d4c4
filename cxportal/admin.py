"""The admin site's own words, and the user form with the agencies of an agency editor. The admin
base classes the apps build on are in `content.admin`; the roles in `cxportal.roles`."""

from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin

from content.admin_widgets import ZONED_DATETIMES
from hisps.models import AgencyEditor

admin.site.site_header = "CX progress portal administration"
admin.site.site_title = "CX progress portal admin"
admin.site.index_title = "Content"


class AgencyEditorInline(admin.TabularInline):
    model = AgencyEditor
    extra = 0
    autocomplete_fields = ("agency",)
    verbose_name = "agency"
    verbose_name_plural = "Agencies this user edits (for the Agency editor role)"


User = get_user_model()
admin.site.unregister(User)


@admin.register(User)
class EditorAdmin(UserAdmin):
    """Users, with the agencies an agency editor is bound to."""

    inlines = (AgencyEditorInline,)
    # "Last login" and "Date joined" say their zone, like every date and time in the admin.
    formfield_overrides = ZONED_DATETIMES
    list_display = ("username", "email", "first_name", "last_name", "is_staff", "role_names")
    list_filter = ("groups", "is_staff", "is_superuser", "is_active")

    @admin.display(description="roles")
    def role_names(self, user):
        return ", ".join(group.name for group in user.groups.all())

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("groups")
