from django import forms
from django.contrib import admin
from django.db.models import Q

from content.admin import CONTENT_COLUMNS, CONTENT_FILTERS, CompactInline, ContentAdmin
from hisps.admin_filters import AgencyFilter, quarter_filters
from hisps.models import (
    Agency,
    AgencyEditor,
    CxMeasure,
    Document,
    Hisp,
    LegacyPath,
    LegacyScore,
    QuarterlyReport,
    Service,
    ServiceSurvey,
    SurveyResult,
)

# The reporting periods' admin (registered there), and its rule for agency editors' data entry.
from hisps.periods_admin import OpenPeriodOnly
from hisps.upload_admin import UploadAdminMixin


def editable_agencies(request):
    """The agencies whose HISP data the user may see and edit: None for all (OMB's roles), else
    the user's own agencies (`AgencyEditor`) and the bureaus of those that are departments."""
    if request.user.has_perm("hisps.all_agencies"):
        return None
    own = AgencyEditor.objects.filter(user=request.user).values("agency")
    return Agency.objects.filter(Q(pk__in=own) | Q(parent__in=own))


class AgencyScopedAdmin(ContentAdmin):
    """An admin of HISP data that an agency editor sees only for its own agencies: in lists, forms,
    autocomplete, history and by direct URL (every object check goes through `get_queryset`), and in
    the choices of its foreign keys."""

    # The lookups from a row to the agencies it belongs to (its HISP's department and bureau).
    agency_paths: tuple[str, ...] = ()

    def scope(self, request, queryset):
        agencies = editable_agencies(request)
        if agencies is None:
            return queryset
        match = Q()
        for path in self.agency_paths:
            match |= Q(**{f"{path}__in": agencies})
        return queryset.filter(match)

    def get_queryset(self, request):
        return self.scope(request, super().get_queryset(request))

    def _in_scope(self, request, obj):
        return obj is None or self.get_queryset(request).filter(pk=obj.pk).exists()

    def has_view_permission(self, request, obj=None):
        return super().has_view_permission(request, obj) and self._in_scope(request, obj)

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and self._in_scope(request, obj)

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and self._in_scope(request, obj)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        related = self.admin_site._registry.get(db_field.related_model)
        if isinstance(related, AgencyScopedAdmin | AgencyAdmin):
            kwargs["queryset"] = related.get_queryset(request)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        related = self.admin_site._registry.get(db_field.related_model)
        if isinstance(related, AgencyScopedAdmin):
            kwargs["queryset"] = related.get_queryset(request)
        return super().formfield_for_manytomany(db_field, request, **kwargs)


@admin.display(description="Answers")
def total_answers(result):
    return result.total


@admin.display(description="% agree")
def percent_agree(result):
    return result.pct_agree


@admin.display(description="Mean (1–5)")
def mean_score(result):
    return result.mean


class AgencyKindFilter(admin.SimpleListFilter):
    title = "kind"
    parameter_name = "kind"

    def lookups(self, request, model_admin):
        return [("department", "Department"), ("bureau", "Bureau")]

    def queryset(self, request, queryset):
        if self.value() == "department":
            return queryset.filter(parent__isnull=True)
        if self.value() == "bureau":
            return queryset.filter(parent__isnull=False)
        return queryset


@admin.register(Agency)
class AgencyAdmin(ContentAdmin):
    """Agencies. An agency editor (who may only view them) sees its own, to choose in its forms."""

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        agencies = editable_agencies(request)
        return queryset if agencies is None else queryset.filter(pk__in=agencies)

    list_display = ("name", "abbreviation", "parent", *CONTENT_COLUMNS)
    list_select_related = ("parent",)
    list_filter = (AgencyKindFilter, *CONTENT_FILTERS)
    search_fields = ("name", "abbreviation", "slug")
    autocomplete_fields = ("parent",)
    prepopulated_fields = {"slug": ("abbreviation",)}


class ServiceInline(CompactInline):
    model = Service
    fields = ("name", "slug", "designated", "status")
    prepopulated_fields = {"slug": ("name",)}


class QuarterlyReportInline(CompactInline):
    model = QuarterlyReport
    fields = ("fiscal_year", "quarter", "rating", "status")
    select_related = ("hisp",)


class LegacyPathInline(CompactInline):
    model = LegacyPath
    fields = ("path", "status")
    verbose_name_plural = "old performance.gov addresses"


@admin.register(Hisp)
class HispAdmin(AgencyScopedAdmin):
    agency_paths = ("agency", "bureau")
    list_display = (
        "name",
        "abbreviation",
        "agency",
        "bureau",
        "cohort",
        "active",
        *CONTENT_COLUMNS,
    )
    list_select_related = ("agency", "bureau")
    list_filter = ("cohort", "active", AgencyFilter, *CONTENT_FILTERS)
    search_fields = ("name", "abbreviation", "agency__name", "agency__abbreviation", "bureau__name")
    autocomplete_fields = ("agency", "bureau", "earlier_designations")
    prepopulated_fields = {"slug": ("name",)}
    readonly_fields = ("touchpoints_id",)
    inlines = (ServiceInline, QuarterlyReportInline, LegacyPathInline)


@admin.register(Service)
class ServiceAdmin(AgencyScopedAdmin):
    agency_paths = ("hisp__agency", "hisp__bureau")
    list_display = ("name", "hisp", "designated", "previously_reported", *CONTENT_COLUMNS)
    list_select_related = ("hisp",)
    list_filter = ("designated", "previously_reported", AgencyFilter, *CONTENT_FILTERS)
    search_fields = ("name", "hisp__name", "hisp__abbreviation", "touchpoints_slug")
    autocomplete_fields = ("hisp",)
    prepopulated_fields = {"slug": ("name",)}
    readonly_fields = ("touchpoints_id", "touchpoints_slug")

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if db_field.name == "channels":
            # Tick boxes rather than a comma-separated list of codes.
            return forms.TypedMultipleChoiceField(
                label="Channels",
                choices=Service.Channel.choices,
                widget=forms.CheckboxSelectMultiple,
                required=False,
                help_text="How customers reach the service.",
            )
        return super().formfield_for_dbfield(db_field, request, **kwargs)


@admin.register(LegacyPath)
class LegacyPathAdmin(ContentAdmin):
    list_display = ("path", "hisp", *CONTENT_COLUMNS)
    list_select_related = ("hisp",)
    list_filter = CONTENT_FILTERS
    search_fields = ("path", "hisp__name", "hisp__abbreviation")
    autocomplete_fields = ("hisp",)


@admin.register(CxMeasure)
class CxMeasureAdmin(ContentAdmin):
    list_display = ("label", "key", "order", *CONTENT_COLUMNS)
    list_filter = CONTENT_FILTERS
    search_fields = ("label", "key", "sample_statement")
    prepopulated_fields = {"key": ("label",)}


class ServiceSurveyInline(CompactInline):
    model = ServiceSurvey
    fields = ("service", "channel", "volume_of_respondents", "status")
    autocomplete_fields = ("service",)
    select_related = ("service", "report__hisp")


@admin.register(QuarterlyReport)
class QuarterlyReportAdmin(UploadAdminMixin, OpenPeriodOnly, AgencyScopedAdmin):
    agency_paths = ("hisp__agency", "hisp__bureau")
    list_display = ("__str__", "hisp", "fiscal_year", "quarter", "rating", *CONTENT_COLUMNS)
    list_select_related = ("hisp",)
    list_filter = (*quarter_filters(), AgencyFilter, "rating", *CONTENT_FILTERS)
    search_fields = ("hisp__name", "hisp__abbreviation", "rating_note")
    autocomplete_fields = ("hisp",)
    inlines = (ServiceSurveyInline,)


class SurveyResultInline(CompactInline):
    model = SurveyResult
    fields = (
        "question_number",
        "measure",
        "strongly_disagree",
        "disagree",
        "neutral",
        "agree",
        "strongly_agree",
        total_answers,
        percent_agree,
        mean_score,
        "status",
    )
    readonly_fields = (total_answers, percent_agree, mean_score)
    autocomplete_fields = ("measure",)
    select_related = ("measure",)


@admin.register(ServiceSurvey)
class ServiceSurveyAdmin(OpenPeriodOnly, AgencyScopedAdmin):
    report_path = "report__"
    agency_paths = ("report__hisp__agency", "report__hisp__bureau")
    list_display = (
        "__str__",
        "report",
        "service",
        "channel",
        "volume_of_customers",
        "volume_of_respondents",
        *CONTENT_COLUMNS,
    )
    list_select_related = ("service", "report__hisp")
    list_filter = (*quarter_filters("report"), AgencyFilter, "channel", *CONTENT_FILTERS)
    search_fields = (
        "service__name",
        "report__hisp__name",
        "report__hisp__abbreviation",
        "transaction_point",
        "omb_control_number",
    )
    autocomplete_fields = ("report", "service")
    readonly_fields = (
        "touchpoints_id",
        "touchpoints_collection_id",
        "reported_created_at",
        "reported_updated_at",
    )
    inlines = (SurveyResultInline,)


@admin.register(SurveyResult)
class SurveyResultAdmin(OpenPeriodOnly, AgencyScopedAdmin):
    report_path = "survey__report__"
    agency_paths = ("survey__report__hisp__agency", "survey__report__hisp__bureau")
    list_display = (
        "__str__",
        "survey",
        "measure",
        total_answers,
        percent_agree,
        mean_score,
        *CONTENT_COLUMNS,
    )
    list_select_related = ("survey__service", "survey__report__hisp", "measure")
    list_filter = (
        *quarter_filters("survey__report"),
        AgencyFilter,
        "measure",
        "survey__channel",
        *CONTENT_FILTERS,
    )
    search_fields = ("question_text", "survey__service__name", "survey__report__hisp__name")
    autocomplete_fields = ("survey", "measure")
    readonly_fields = (total_answers, percent_agree, mean_score)


@admin.register(LegacyScore)
class LegacyScoreAdmin(ContentAdmin):
    list_display = (
        "__str__",
        "hisp",
        "fiscal_year",
        "quarter",
        "measure",
        "average_score",
        *CONTENT_COLUMNS,
    )
    list_select_related = ("hisp", "measure")
    list_filter = ("fiscal_year", "quarter", "measure", *CONTENT_FILTERS)
    search_fields = ("hisp__name", "hisp__abbreviation", "statement")
    autocomplete_fields = ("hisp", "measure")


@admin.register(Document)
class DocumentAdmin(AgencyScopedAdmin):
    agency_paths = ("hisp__agency", "hisp__bureau")
    list_display = ("title", "kind", "year", "hisp", *CONTENT_COLUMNS)
    list_select_related = ("hisp",)
    list_filter = ("kind", "year", AgencyFilter, *CONTENT_FILTERS)
    search_fields = ("title", "url", "hisp__name", "hisp__abbreviation")
    autocomplete_fields = ("hisp",)

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        if editable_agencies(request) is not None and "hisp" in form.base_fields:
            # An agency editor's document belongs to one of its providers: without one, it
            # would be outside the editor's agencies, and the editor could not see it again.
            form.base_fields["hisp"].required = True
            form.base_fields["hisp"].help_text = "The provider this document is about."
        return form
