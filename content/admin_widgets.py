"""A date and time input that says which zone its time is in.

The admin reads and shows every time in the site's zone (TIME_ZONE, America/New_York), whatever
zone the editor's computer is in. Django's admin says so only as a warning about the server's
clock ("You are 5 hours ahead of server time"), which static/css/admin.css hides; this widget
names the zone beside the time instead: "Eastern Time (EST)", or "(EDT)" for a time in summer, so
an editor scheduling a July publication sees the July offset, not today's.
"""

import datetime

from django import forms
from django.contrib.admin.widgets import AdminSplitDateTime
from django.db import models
from django.utils import timezone

# The zones' names in words; another zone is shown by its key ("America/Chicago (CST)").
ZONE_NAMES = {"America/New_York": "Eastern Time"}


def _moment(value) -> datetime.datetime | None:
    """The moment a widget's value stands for: a datetime, or the [date, time] texts posted."""
    if isinstance(value, datetime.datetime):
        return value if timezone.is_aware(value) else timezone.make_aware(value)
    if isinstance(value, list | tuple) and value:
        try:
            day = forms.DateField().clean(value[0])
            time = forms.TimeField(required=False).clean(value[1] if len(value) > 1 else "")
        except forms.ValidationError:
            return None
        return timezone.make_aware(datetime.datetime.combine(day, time or datetime.time(12)))
    return None


def zone_label(value=None) -> str:
    """ "Eastern Time (EST)": the site's zone, abbreviated as on the value's date (now if none)."""
    zone = timezone.get_current_timezone()
    local = timezone.localtime(_moment(value) or timezone.now(), zone)
    name = ZONE_NAMES.get(str(zone), str(zone))
    return f"{name} ({local.strftime('%Z')})"


class ZonedSplitDateTime(AdminSplitDateTime):
    """Django's admin date and time boxes, with the zone after the time (and read with it by a
    screen reader: the time box is described by the zone).

    Each box has a label of its own ("Date:", "Time:"), and the field's label ("Publish at:")
    names the date box, so that neither box is nameless to a screen reader, as Django's are.
    The template is in content/templates/, not the project's templates/: Django's form renderer
    reads widget templates from the apps' folders only.
    """

    template_name = "admin/widgets/zoned_split_datetime.html"

    def id_for_label(self, id_):
        # Django's split widget leaves its field's label pointing at nothing.
        return f"{id_}_0" if id_ else ""

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        time = context["widget"]["subwidgets"][1]["attrs"]
        zone_id = f"{time.get('id') or name}_zone"
        time["aria-describedby"] = " ".join(filter(None, [time.get("aria-describedby"), zone_id]))
        context["zone"] = {"id": zone_id, "label": zone_label(value)}
        return context


# Spread into a model admin's `formfield_overrides`: every date and time it edits shows its zone.
ZONED_DATETIMES = {models.DateTimeField: {"widget": ZonedSplitDateTime}}
