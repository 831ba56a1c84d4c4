"""The admin lists' filters of HISP data: by agency, by fiscal quarter and by the state of the
quarter's reporting period.

The choices come from the rows the user may see (the model admin's `get_queryset`, scoped for an
agency editor), and the agency choices only from the user's own agencies, so an agency editor's
filter never names another agency, not even the department of a bureau it edits.
"""

from django.contrib import admin
from django.db.models import Exists, OuterRef, Q

from content.fiscal import FiscalQuarter
from hisps.models import Agency, ReportingPeriod


class AgencyFilter(admin.SimpleListFilter):
    """Rows of one agency: a department with its bureaus, or one bureau.

    Reads the model admin's `agency_paths` (`AgencyScopedAdmin`): the lookups from a row to its
    HISP's department and bureau.
    """

    title = "agency"
    parameter_name = "agency"

    def __init__(self, request, params, model, model_admin):
        self.agency_paths = model_admin.agency_paths
        super().__init__(request, params, model, model_admin)

    def lookups(self, request, model_admin):
        # Imported here: hisps.admin imports this module.
        from hisps.admin import editable_agencies

        rows = model_admin.get_queryset(request)
        used = Q()
        for path in self.agency_paths:
            used |= Q(pk__in=rows.values(path)) | Q(bureaus__in=rows.values(path))
        agencies = Agency.objects.filter(used)
        own = editable_agencies(request)
        if own is not None:
            agencies = agencies.filter(pk__in=own)
        agencies = list(agencies.distinct().select_related("parent"))
        listed = {agency.pk for agency in agencies}

        def place(agency):
            department = agency.parent if agency.parent_id in listed else agency
            return (department.name, agency.pk != department.pk, agency.name)

        choices = []
        for agency in sorted(agencies, key=place):
            label = agency.name
            if agency.parent_id in listed:
                label = f"{agency.name} ({agency.parent.short_name})"
            choices.append((agency.slug, label))
        return choices

    def queryset(self, request, queryset):
        if not self.value():
            return queryset
        family = Agency.objects.filter(Q(slug=self.value()) | Q(parent__slug=self.value()))
        match = Q()
        for path in self.agency_paths:
            match |= Q(**{f"{path}__in": family})
        return queryset.filter(match)


def quarter_filters(report: str = ""):
    """The filters by fiscal quarter and by period state, for rows whose quarterly report is at
    `report` ("" for a report itself, "report" for a survey, "survey__report" for a result)."""
    prefix = f"{report}__" if report else ""

    class FiscalQuarterFilter(admin.SimpleListFilter):
        title = "fiscal quarter"
        parameter_name = "fiscal_quarter"

        def lookups(self, request, model_admin):
            year, quarter = f"{prefix}fiscal_year", f"{prefix}quarter"
            quarters = (
                model_admin.get_queryset(request)
                .order_by(f"-{year}", f"-{quarter}")
                .values_list(year, quarter)
                .distinct()
            )
            return [(f"FY{y}Q{q}", str(FiscalQuarter(y, q))) for y, q in quarters]

        def queryset(self, request, queryset):
            if not self.value():
                return queryset
            # A value that is no quarter raises: the admin then shows the list unfiltered, with
            # its "invalid filter" notice.
            chosen = FiscalQuarter.parse(self.value())
            return queryset.filter(
                **{f"{prefix}fiscal_year": chosen.year, f"{prefix}quarter": chosen.quarter}
            )

    class PeriodStateFilter(admin.SimpleListFilter):
        title = "reporting period"
        parameter_name = "period"
        NONE = "none"

        def lookups(self, request, model_admin):
            return [*ReportingPeriod.State.choices, (self.NONE, "No reporting period")]

        def queryset(self, request, queryset):
            if self.value() in ReportingPeriod.State.values:
                return queryset.filter(**{f"{prefix}reporting_period__status": self.value()})
            if self.value() == self.NONE:
                periods = ReportingPeriod.objects.filter(
                    fiscal_year=OuterRef(f"{prefix}fiscal_year"),
                    quarter=OuterRef(f"{prefix}quarter"),
                )
                return queryset.filter(~Exists(periods))
            return queryset

    return FiscalQuarterFilter, PeriodStateFilter
