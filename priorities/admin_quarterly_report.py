"""The quarterly milestone report screen in the admin: one page on which OMB staff write a priority
area's Summary of Progress, change the status of many of its milestones (each with an optional
note), preview the area's page and its strategy pages as they will look, and publish all of it at
one time, now or at a chosen time (see `priorities.quarterly_report` for how it is stored).

Who may do what is decided here, on the server, whatever the buttons show: OMB editors and
publishers open the screen and save the report as a draft or in review; only a user with the
publish permission of both models written (an OMB publisher) may publish or schedule it, and its
publish address answers 403 to anyone else, for GET and POST alike. Agency editors have no access.
"""

from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.http import Http404, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone

from content.admin import can_publish, may_move, when
from content.preview import PREVIEW, Notice, hiding, publish_for_preview, render_public
from content.publishing import Status
from milestones.models import MilestoneUpdate
from priorities import quarterly_report as qr
from priorities.models import PriorityArea, ProgressUpdate, Strategy

TEMPLATE = "admin/priorities/quarterly_report/report.html"
ACTIONS = {
    "draft": (Status.DRAFT, "saved as a draft"),
    "review": (Status.IN_REVIEW, "submitted for review"),
}


def may_prepare(request) -> bool:
    """Whether the user may open the screen and save a report: add and change both models."""
    return request.user.has_perms(
        [
            "priorities.add_progressupdate",
            "priorities.change_progressupdate",
            "milestones.add_milestoneupdate",
            "milestones.change_milestoneupdate",
        ]
    )


def may_publish(request) -> bool:
    return can_publish(request, ProgressUpdate) and can_publish(request, MilestoneUpdate)


def report_url(area, view="") -> str:
    name = "admin:priorities_priorityarea_quarterly_report" + (f"_{view}" if view else "")
    return reverse(name, args=[area.pk])


class QuarterlyReportAdminMixin:
    """For `PriorityAreaAdmin`: the screen's three addresses, under the area's own."""

    change_form_template = "admin/priorities/quarterly_report/priorityarea_change_form.html"

    def get_urls(self):
        name = "priorities_priorityarea_quarterly_report"
        view = self.admin_site.admin_view
        own = [
            path("<path:object_id>/quarterly-report/", view(self.report_view), name=name),
            path(
                "<path:object_id>/quarterly-report/publish/",
                view(self.report_publish_view),
                name=f"{name}_publish",
            ),
            path(
                "<path:object_id>/quarterly-report/preview/",
                view(self.report_preview_view),
                name=f"{name}_preview",
            ),
        ]
        return own + super().get_urls()

    # The three views

    def report_view(self, request, object_id):
        """GET: the form, with the saved report. POST: save it as a draft or in review."""
        area = self._area(request, object_id)
        if request.method != "POST":
            return self._render(request, area, Screen.unbound(area))
        screen = Screen.bound(area, request.POST)
        action = request.POST.get("action")
        if action not in ACTIONS:
            return HttpResponseRedirect(report_url(area))
        status, done = ACTIONS[action]
        if not screen.is_valid():
            return self._render(request, area, screen)
        if not screen.report and not screen.saved.objects:
            screen.error("Nothing to save: write a summary or choose a new status for a milestone.")
            return self._render(request, area, screen)
        if not self._may_write(request, screen, status):
            return self._render(request, area, screen)
        if not self._write(request, screen, status=status, reason=f"{qr.REASON}: {done}"):
            return self._render(request, area, screen)
        request.session.pop(_stash_key(area), None)
        self.message_user(request, f"The report is {done}.", messages.SUCCESS)
        return HttpResponseRedirect(report_url(area))

    def report_publish_view(self, request, object_id):
        """POST: publish the report now, or schedule it. Refused (403) to anyone who may not."""
        area = self._area(request, object_id)
        if not may_publish(request):
            raise PermissionDenied("Only an OMB publisher can publish the quarterly report.")
        if request.method != "POST":
            return HttpResponseRedirect(report_url(area))
        screen = Screen.bound(area, request.POST)
        action = request.POST.get("action")
        if action not in ("publish", "schedule"):
            return HttpResponseRedirect(report_url(area))
        valid = screen.is_valid()
        publish_at = screen.schedule.cleaned_data.get("publish_at") if valid else None
        if valid and action == "schedule" and publish_at is None:
            screen.schedule.add_error("publish_at", "Choose the day and time to publish it.")
            valid = False
        if valid and not screen.report:
            screen.error(
                "Nothing to publish: write a summary or choose a new status for a milestone."
            )
            valid = False
        if not valid or not self._may_write(request, screen, Status.PUBLISHED):
            return self._render(request, area, screen)
        if action == "publish":
            publish_at = timezone.now()
            reason, done = f"{qr.REASON}: published", "published: it is public now"
        else:
            reason = f"{qr.REASON}: scheduled for {when(publish_at)}"
            done = f"scheduled for {when(publish_at)}: it goes public by itself then"
        if not self._write(
            request, screen, status=Status.PUBLISHED, reason=reason, publish_at=publish_at
        ):
            return self._render(request, area, screen)
        request.session.pop(_stash_key(area), None)
        self.message_user(request, f"The report is {done}.", messages.SUCCESS)
        return HttpResponseRedirect(report_url(area))

    def report_preview_view(self, request, object_id):
        """POST: keep the report on the form in the session (nothing is saved) and show its
        preview. GET ?page=: the area's page, or one of its strategy pages, as it will look with
        that report (or with the saved one, when the session has none)."""
        area = self._area(request, object_id)
        pages = {area.get_absolute_url(): area}
        strategies = list(
            Strategy.objects.filter(priority_area=area).select_related("priority_area")
        )
        pages.update({strategy.get_absolute_url(): strategy for strategy in strategies})
        if request.method == "POST":
            screen = Screen.bound(area, request.POST)
            if not screen.is_valid():
                return self._render(request, area, screen)
            request.session[_stash_key(area)] = screen.report.as_json()
            # The public views answer GET only: show the preview at its own address.
            return HttpResponseRedirect(report_url(area, "preview"), status=303)
        page = request.GET.get("page", area.get_absolute_url())
        if page not in pages:
            raise Http404("The report changes only this priority area's pages.")
        stashed = request.session.get(_stash_key(area))
        report = qr.Report.from_json(stashed) if stashed else qr.load(area).report()
        links = [("The priority area's page", area.get_absolute_url())]
        links += [
            (f"Strategy {strategy.number}", strategy.get_absolute_url()) for strategy in strategies
        ]
        notice = Notice(
            "preview",
            PREVIEW.heading,
            "This is how the page will look once the quarterly report is published; the public "
            "cannot see it yet. Here the changes are dated today; once published, they are dated "
            "with the day they go public.",
            links=tuple(
                (label, f"{report_url(area, 'preview')}?{urlencode({'page': url}, safe='/')}")
                for label, url in links
                if url != page
            ),
        )

        def change():
            publish_for_preview(hiding(pages[page]))
            written = qr.plan(area, report, qr.load(area))
            qr.apply(
                written,
                status=Status.PUBLISHED,
                user=request.user,
                reason="Preview",
                publish_at=timezone.now(),
            )

        try:
            return render_public(request, page, notice, change=change)
        except ValidationError as error:
            self.message_user(request, " ".join(error.messages), messages.ERROR)
            return HttpResponseRedirect(report_url(area))

    # Their parts

    def _area(self, request, object_id) -> PriorityArea:
        if not may_prepare(request):
            raise PermissionDenied("Only OMB staff prepare the quarterly report.")
        area = self.get_object(request, object_id)
        if area is None:
            raise Http404("No priority area with this id.")
        return area

    def _may_write(self, request, screen, status) -> bool:
        """Whether the user may move every row the report writes, and drop every row it leaves
        out, to `status`; if not, the screen says why."""
        try:
            planned = screen.plan()
        except ValidationError as error:
            screen.summary_error(error)
            return False
        refused = [
            obj
            for obj, before in planned.writes
            if not may_move(request, type(obj), before, status)
        ] + [
            obj
            for obj in planned.discards
            if not may_move(request, type(obj), obj.status, Status.DRAFT)
        ]
        if refused:
            screen.error(
                "This report is scheduled to be published, and only an OMB publisher can change "
                "or withdraw what is scheduled. Ask a publisher, or wait until it is public."
            )
            return False
        return True

    def _write(self, request, screen, **kwargs) -> bool:
        try:
            with transaction.atomic():
                qr.apply(screen.plan(), user=request.user, **kwargs)
        except (ValidationError, IntegrityError):
            # Another editor saved a summary for that month in the meantime.
            screen.summary_error(
                ValidationError(
                    "This priority area already has a Summary of Progress for that month. Edit "
                    "that update instead, or choose another month."
                )
            )
            return False
        return True

    def _render(self, request, area, screen):
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "original": area,
            "title": f"Quarterly milestone report: {area.short_title}",
            "screen": screen,
            "may_publish": may_publish(request),
            "state": screen.state(),
            "report_url": report_url(area),
            "preview_url": report_url(area, "preview"),
            "publish_url": report_url(area, "publish"),
        }
        return TemplateResponse(request, TEMPLATE, context)


def _stash_key(area) -> str:
    return f"quarterly-report-preview-{area.pk}"


class Screen:
    """The screen's forms for one area: the summary, one row per milestone, the schedule."""

    def __init__(self, area, data, saved, initial):
        self.area, self.saved = area, saved
        self.milestones = list(qr.milestones_of(area))
        report = initial or qr.Report()
        summary = report.summary
        self.summary = qr.SummaryForm(
            data,
            prefix="summary",
            initial=(
                {"period_label": summary.period_label, "month": summary.month, "body": summary.body}
                if summary
                else {
                    "period_label": f"{timezone.localdate():%B %Y}",
                    "month": timezone.localdate().replace(day=1),
                }
            ),
        )
        changes = {change.milestone_id: change for change in report.changes}
        self.rows = []
        for milestone in self.milestones:
            change = changes.get(milestone.pk)
            initial_row = {"progress": change.progress, "note": change.note} if change else {}
            self.rows.append(qr.StatusChangeForm(data, milestone=milestone, initial=initial_row))
        self.schedule = qr.ScheduleForm(data, prefix="schedule")
        now = timezone.localtime()
        publish_at = self.schedule.fields["publish_at"]
        publish_at.label = f"Schedule for (Eastern Time, {now:%Z})"
        publish_at.help_text = (
            f"The day and time, in Eastern Time: it is now {when(now)}. The report goes public "
            "by itself at that moment, all of it at once."
        )
        self.errors: list[str] = []

    @classmethod
    def unbound(cls, area):
        saved = qr.load(area)
        return cls(area, None, saved, saved.report())

    @classmethod
    def bound(cls, area, data):
        return cls(area, data, qr.load(area), None)

    @property
    def forms(self):
        return [self.summary, *self.rows, self.schedule]

    def is_valid(self) -> bool:
        return all([form.is_valid() for form in self.forms]) and not self.errors

    @property
    def report(self) -> qr.Report:
        changes = [row.change() for row in self.rows]
        return qr.Report(self.summary.summary(), [change for change in changes if change])

    def plan(self) -> qr.Plan:
        return qr.plan(self.area, self.report, self.saved)

    def error(self, message: str) -> None:
        self.errors.append(message)

    def summary_error(self, error: ValidationError) -> None:
        self.summary.add_error("month", ValidationError(error.messages))

    def strategies(self):
        """The milestone rows, by strategy: [(strategy, [(milestone, form)])]."""
        groups = {}
        for form in self.rows:
            groups.setdefault(form.milestone.strategy, []).append(form)
        return list(groups.items())

    def error_summary(self) -> list[tuple[str, str]]:
        """Each error with the id of the field it belongs to, for the list at the top."""
        found = []
        for form in self.forms:
            if not form.is_bound:
                continue
            for name, errors in form.errors.items():
                if name == "__all__":
                    continue
                bound = form[name]
                label = bound.label
                if isinstance(form, qr.StatusChangeForm):
                    label = f"{label} of “{form.milestone}”"
                found += [(bound.id_for_label, f"{label}: {error}") for error in errors]
        return found

    def state(self) -> str:
        """What is saved of the report, in words."""
        objects = self.saved.objects
        if not objects:
            return ""
        statuses = {obj.status for obj in objects}
        if statuses == {Status.PUBLISHED}:
            moments = sorted({obj.publish_at for obj in objects})
            return "Scheduled for " + ", ".join(when(moment) for moment in moments) + "."
        if statuses == {Status.IN_REVIEW}:
            return "Saved and in review: a publisher can publish it."
        if statuses == {Status.DRAFT}:
            return "Saved as a draft."
        return "Saved in parts: " + ", ".join(sorted(Status(s).label for s in statuses)) + "."
