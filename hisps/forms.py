from django import forms
from django.db.models import Exists, OuterRef

from content.filters import FilterForm
from hisps.models import Agency, Hisp, QuarterlyReport


class HispFilterForm(FilterForm):
    """The directory's filters (see `content.filters` for the contract every filtered page keeps)."""

    narrowing = ("q", "agency", "status")

    SORTS = [("name", "Name"), ("agency", "Agency, then name")]
    STATUSES = [
        ("", "Any status"),
        ("in_line", "In line"),
        ("partial", "Partial"),
        ("not_reported", "Not reported"),
        (QuarterlyReport.NOT_RATED, "Not rated"),
        (QuarterlyReport.NO_REPORT, "No report"),
    ]

    q = forms.CharField(
        label="Search by name, agency or description", required=False, max_length=200
    )
    agency = forms.ModelChoiceField(
        label="Agency",
        queryset=Agency.objects.none(),
        to_field_name="slug",
        required=False,
        empty_label="All agencies",
        error_messages={"invalid_choice": "That agency is not in the list."},
    )
    status = forms.ChoiceField(
        label="Reporting status",
        choices=STATUSES,
        required=False,
        error_messages={"invalid_choice": "That reporting status is not in the list."},
    )
    sort = forms.ChoiceField(
        label="Sort by",
        choices=SORTS,
        required=False,
        error_messages={"invalid_choice": "Results can be sorted by name or by agency only."},
    )
    earlier = forms.BooleanField(label="Include earlier designations (2020 list)", required=False)

    def __init__(self, data, latest_quarter=None):
        self.latest_quarter = latest_quarter
        super().__init__(data)
        # Departments with at least one published provider: asked per department (an index
        # probe each), not by joining every provider and removing the duplicates (ADR 0028).
        self.fields["agency"].queryset = (
            Agency.objects.public()
            .filter(parent__isnull=True)
            .filter(Exists(Hisp.objects.public().filter(agency=OuterRef("pk"))))
            .order_by("name")
        )
        if latest_quarter:
            self.fields["status"].label = f"Reporting status in {latest_quarter}"
        self.fields["q"].widget.attrs["class"] = "usa-input"
        for name in ("agency", "status", "sort"):
            self.fields[name].widget.attrs["class"] = "usa-select"
        self.fields["earlier"].widget.attrs["class"] = "usa-checkbox__input"

    def apply(self, hisps):
        """Filter and sort `hisps` by the fields that are valid."""
        data = self.values
        if not data.get("earlier"):
            hisps = hisps.filter(active=True)
        if data.get("agency"):
            hisps = hisps.filter(agency=data["agency"])
        if data.get("status") and self.latest_quarter:
            hisps = hisps.with_status_in(self.latest_quarter, data["status"])
        if data.get("q"):
            hisps = hisps.search(data["q"])
        if data.get("sort") == "agency":
            return hisps.order_by("agency__name", "name", "pk")
        return hisps.order_by("name", "pk")

    @property
    def with_earlier(self) -> bool:
        return bool(self.values.get("earlier"))
