"""The one contract of a filtered page, shared by every list with filters (the HISP directory, a
strategy's milestones).

- The filters are a `FilterForm` read from the query string (`GET`), so every state has an address.
  A value it does not understand is an error on that field only: the other filters still apply,
  and the page lists what was left out (`ignored`), in `includes/filter_errors.html`.
- The form carries `data-hx-get` and is a real GET form, so it works without JavaScript too.
- The view renders the whole page, or for an htmx request that is not a history restore only the
  template's `results` partial (`wants_partial`), and varies on HX-Request.
- The count above the results is a live region (`includes/filter_count.html`); a partial response
  sends its new text out of band into that region, so screen readers announce the change.
"""

from django import forms


class FilterForm(forms.Form):
    """Filters read from the query string (`FilterForm(request.GET)`)."""

    # The fields that narrow the list (not, say, a sort order).
    narrowing: tuple[str, ...] = ()

    @property
    def values(self) -> dict:
        """The valid filter values (the form is validated once, on first use)."""
        self.is_valid()
        return self.cleaned_data

    @property
    def filtered(self) -> bool:
        """Whether a valid filter narrows the list."""
        return any(self.values.get(name) for name in self.narrowing)

    def ignored(self) -> list[str]:
        """What the visitor asked for that was not understood, in words."""
        return [
            f"{self.fields[name].label}: {' '.join(errors)}" for name, errors in self.errors.items()
        ]

    def apply(self, queryset):
        """The queryset filtered (and ordered) by the valid values."""
        raise NotImplementedError


def wants_partial(request) -> bool:
    """Whether to answer with the `results` partial only: an htmx request, not a history restore."""
    return bool(request.htmx) and not request.htmx.history_restore_request
