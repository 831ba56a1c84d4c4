"""A reporting status as an icon and a word, drawn in Python.

The directory shows four quarters for each of thirty providers, and a profile a row per quarter:
as template includes, the status icon was a tenth of those pages' time (ADR 0028). The markup is
a pure function of the status and the word, so it is made once per pair and kept. (The sprite's
icons are found by static/vendor/uswds_used.py in this file's words: any word here that names a
USWDS icon goes into sprite.used.svg.)
"""

import functools

from django import template
from django.templatetags.static import static
from django.utils.html import format_html

from hisps.models import QuarterlyReport

register = template.Library()

# The icon of each status, from the USWDS sprite.used.svg (never colour alone: the word follows).
ICONS = {
    "in_line": "check_circle",
    "partial": "warning",
    "not_reported": "cancel",
    "not_rated": "help_outline",
}
NO_REPORT_ICON = "remove_circle"


@functools.cache
def _sprite() -> str:
    # The hashed name in the static manifest does not change while the process runs.
    return static("vendor/uswds/img/sprite.used.svg")


@functools.lru_cache(maxsize=256)
def status_markup(status: str, word: str) -> str:
    return format_html(
        '<span class="hisp-status hisp-status--{}"><svg class="usa-icon hisp-status__icon"'
        ' aria-hidden="true" focusable="false"><use href="{}#{}"></use></svg>'
        '<span class="hisp-status__label">{}</span></span>',
        status,
        _sprite(),
        ICONS.get(status, NO_REPORT_ICON),
        word,
    )


@register.simple_tag
def status_icon(status, word):
    """{% status_icon status word %}: status is in_line, partial, not_reported, not_rated or
    no_report."""
    return status_markup(str(status), str(word))


@register.simple_tag
def reporting_status(quarterly):
    """{% reporting_status quarterly %}: a QuarterlyReport's status, or the "No" one for None."""
    if quarterly:
        return status_markup(str(quarterly.reporting_status), str(quarterly.reporting_status_label))
    none = QuarterlyReport.NO_REPORT
    return status_markup(none, QuarterlyReport.STATUS_WORDS[none])
