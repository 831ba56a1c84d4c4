"""The reporting periods in the admin: open, close, preview and publish a quarter (see
hisps.periods). Only OMB publishers may change periods; everyone with the view permission (every
role) sees which quarter is open."""

import datetime

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Q
from django.http import Http404, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import Resolver404, path, resolve, reverse
from django.utils import timezone
from simple_history.admin import SimpleHistoryAdmin

from content.admin import when
from content.preview import Notice, render_public
from content.publishing import Status
from hisps import periods
from hisps.models import ReportingPeriod


@admin.display(description="state", ordering="status")
def period_state(period) -> str:
    if period.status == ReportingPeriod.State.PUBLISHED and period.publish_at > timezone.now():
        return f"Scheduled for {when(period.publish_at)}"
    if period.status == ReportingPeriod.State.PUBLISHED:
        return f"Published {when(period.publish_at)}"
    return period.get_status_display()


class PeriodForm(forms.ModelForm):
    """Open and close a period here; publishing has its own page, with a preview."""

    class Meta:
        model = ReportingPeriod
        fields = ("fiscal_year", "quarter", "status", "note")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.status_before = self.instance.status if self.instance.pk else None
        choices = [
            (ReportingPeriod.State.OPEN, ReportingPeriod.State.OPEN.label),
            (ReportingPeriod.State.CLOSED, ReportingPeriod.State.CLOSED.label),
        ]
        if self.status_before == ReportingPeriod.State.PUBLISHED:
            choices.append((ReportingPeriod.State.PUBLISHED, "Published"))
            self.fields[
                "status"
            ].help_text = "Choose Closed to take the whole quarter off the public site again."
        else:
            self.fields["status"].help_text = (
                "Open: agency editors enter and upload the quarter's data. Closed: entry has "
                "ended and OMB reviews it. To publish, use “Preview and publish” on the period's page."
            )
        self.fields["status"].choices = choices
        if self.instance.pk:
            # The quarter is what the period's reports hang from: it never changes.
            for name in ("fiscal_year", "quarter"):
                self.fields[name].disabled = True

    def clean_status(self):
        status = self.cleaned_data["status"]
        if status == ReportingPeriod.State.PUBLISHED and self.status_before != status:
            raise ValidationError("Publish a period from its “Preview and publish” page.")
        return status

    def save(self, commit=True):
        if self.instance.status != ReportingPeriod.State.PUBLISHED:
            self.instance.publish_at = None
        return super().save(commit)


class PublishForm(forms.Form):
    when = forms.ChoiceField(
        label="When",
        choices=[("now", "Publish now"), ("later", "Schedule for a time")],
        widget=forms.RadioSelect,
        initial="now",
    )
    publish_at = forms.DateTimeField(
        label="Date and time (Eastern Time)",
        required=False,
        help_text="For a scheduled publication, e.g. 2031-01-15 09:00. America/New_York time.",
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"],
    )

    def clean(self):
        data = super().clean()
        if data.get("when") == "later":
            moment = data.get("publish_at")
            if moment is None:
                self.add_error("publish_at", "Give the date and time to publish at.")
            elif moment <= timezone.now():
                self.add_error("publish_at", "Choose a time in the future, or Publish now.")
        return data

    def moment(self):
        if self.cleaned_data["when"] == "later":
            return self.cleaned_data["publish_at"]
        return timezone.now()


@admin.register(ReportingPeriod)
class ReportingPeriodAdmin(SimpleHistoryAdmin):
    form = PeriodForm
    list_display = ("__str__", period_state, "reports_in_review", "reports_published", "note")
    list_filter = ("status", "fiscal_year")
    ordering = ("-fiscal_year", "-quarter")
    history_list_display = ["status", "publish_at"]
    change_form_template = "admin/hisps/reportingperiod/change_form.html"

    def get_queryset(self, request):
        reports = "quarterly_reports__status"
        return (
            super()
            .get_queryset(request)
            .annotate(
                in_review=Count("quarterly_reports", filter=Q(**{reports: Status.IN_REVIEW})),
                published=Count("quarterly_reports", filter=Q(**{reports: Status.PUBLISHED})),
            )
        )

    @admin.display(description="reports in review", ordering="in_review")
    def reports_in_review(self, period):
        return period.in_review

    @admin.display(description="reports published", ordering="published")
    def reports_published(self, period):
        return period.published

    def has_delete_permission(self, request, obj=None):
        # A quarter's reports hang from it; an ended quarter stays on record.
        return False

    def has_publish_permission(self, request, obj=None):
        return request.user.has_perm("hisps.publish_reportingperiod")

    def get_urls(self):
        own = [
            path(
                "<int:object_id>/publish/",
                self.admin_site.admin_view(self.publish_view),
                name="hisps_reportingperiod_publish",
            ),
            path(
                "<int:object_id>/preview/",
                self.admin_site.admin_view(self.preview_view),
                name="hisps_reportingperiod_preview",
            ),
        ]
        return own + super().get_urls()

    def _period(self, request, object_id):
        period = self.get_object(request, str(object_id))
        if period is None:
            raise Http404("No such reporting period.")
        if not self.has_publish_permission(request, period):
            raise PermissionDenied
        return period

    def publish_view(self, request, object_id):
        """The quarter as it will be published: what goes public, who has not reported, and the
        form to publish it now or at a chosen time."""
        period = self._period(request, object_id)
        form = PublishForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            try:
                done = periods.publish_period(period, form.moment(), request.user)
            except periods.PeriodError as error:
                form.add_error(None, str(error))
            else:
                period.refresh_from_db()
                rows = ", ".join(
                    f"{count} {model._meta.verbose_name if count == 1 else model._meta.verbose_name_plural}"
                    for model, count in done.items()
                )
                going = (
                    "is scheduled for" if period.publish_at > timezone.now() else "was published"
                )
                self.message_user(
                    request,
                    f"{period} {going} {when(period.publish_at)}. Published with it: {rows}.",
                    messages.SUCCESS,
                )
                return HttpResponseRedirect(reverse("admin:hisps_reportingperiod_changelist"))
        summary = periods.summarize(period)
        preview = reverse("admin:hisps_reportingperiod_preview", args=[period.pk])
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "original": period,
            "title": f"Preview and publish {period}",
            "summary": summary,
            "form": form,
            "previews": [
                ("The HISP directory", f"{preview}?path={reverse('hisps:list')}"),
                ("The home page", f"{preview}?path={reverse('home')}"),
                ("The data downloads page", f"{preview}?path={reverse('data:index')}"),
                *[
                    (hisp.name, f"{preview}?path={hisp.get_absolute_url()}")
                    for hisp in summary.reported
                ],
            ],
            "is_open": period.status == ReportingPeriod.State.OPEN,
            "now": timezone.localtime(),
        }
        return TemplateResponse(request, "admin/hisps/reportingperiod/publish.html", context)

    def preview_view(self, request, object_id):
        """A public page as it will look once the period is published (nothing is written)."""
        period = self._period(request, object_id)
        target = request.GET.get("path") or reverse("hisps:list")
        try:
            match = resolve(target.split("?")[0])
        except Resolver404:
            raise Http404("Not a page of the public site.") from None
        if (match.namespace or "").startswith("admin") or not target.startswith("/"):
            raise Http404("Not a page of the public site.")
        notice = Notice(
            "preview",
            f"Preview — {period} not published",
            f"This is how the page will look once {period} is published. The public cannot see "
            "its data yet.",
        )

        def publish():
            if period.status == ReportingPeriod.State.OPEN:
                # A preview may be asked for before closing: show the data as it stands.
                ReportingPeriod.objects.filter(pk=period.pk).update(
                    status=ReportingPeriod.State.CLOSED
                )
            periods.publish_period(period, timezone.now() - datetime.timedelta(seconds=1))

        return render_public(request, target, notice, change=publish)


def _open_quarters() -> str:
    open_ = ReportingPeriod.objects.filter(status=ReportingPeriod.State.OPEN)
    return ", ".join(str(period) for period in open_) or "none"


class OpenPeriodOnly:
    """For agency editors: a quarter's reports, surveys and results are entered and changed only
    while its reporting period is open. After that they see them, but cannot change them; OMB
    staff still can (corrections), since their changes go through review and publishing anyway.

    `report_path` leads from the row to its report ("" for a report itself).
    """

    report_path = ""

    def _period_rule_applies(self, request) -> bool:
        return not request.user.has_perm("hisps.all_agencies")

    def _quarter_of(self, obj, data=None):
        """The (fiscal year, quarter) of a row, read from the form's `data` where it has them."""
        data = data or {}
        names = [name for name in self.report_path.split("__") if name]
        if not names:
            year = data.get("fiscal_year", obj.fiscal_year)
            number = data.get("quarter", obj.quarter)
            return (year, number) if year and number else None
        step = data.get(names[0])
        if step is None:
            step = getattr(obj, f"{names[0]}_id", None) and getattr(obj, names[0])
        for name in names[1:]:
            if step is None:
                return None
            step = getattr(step, name)
        return (step.fiscal_year, step.quarter) if step is not None else None

    def quarter_is_open(self, quarter) -> bool:
        if quarter is None:
            return True  # the form asks for the missing report first
        year, number = quarter
        return ReportingPeriod.objects.filter(
            fiscal_year=year, quarter=number, status=ReportingPeriod.State.OPEN
        ).exists()

    def has_change_permission(self, request, obj=None):
        allowed = super().has_change_permission(request, obj)
        if allowed and obj is not None and self._period_rule_applies(request):
            return self.quarter_is_open(self._quarter_of(obj))
        return allowed

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        if not self._period_rule_applies(request):
            return form
        admin_ = self

        class OpenPeriodForm(form):
            def clean(self):
                data = super().clean()
                quarter = admin_._quarter_of(self.instance, data)
                if quarter and not admin_.quarter_is_open(quarter):
                    label = f"FY{quarter[0] % 100:02d} Q{quarter[1]}"
                    raise ValidationError(
                        f"{label} is not open for reporting, so its data cannot be entered or "
                        f"changed. Open for reporting now: {_open_quarters()}."
                    )
                return data

        return OpenPeriodForm
