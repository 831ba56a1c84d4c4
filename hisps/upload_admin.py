"""The admin's quarterly data upload: a form, a preview, a save as drafts, and "Submit these for
review". `UploadAdminMixin` adds the pages to the quarterly reports' admin:

- /admin/hisps/quarterlyreport/upload/: the form; posting a file shows the preview (writes nothing
  but the waiting file, and only a clean one);
- …/upload/<token>/save/: saves the previewed file's rows as drafts (POST);
- …/upload/<token>/: what the upload saved;
- …/upload/<token>/submit/: moves those rows to In review (POST).

Everything is checked on the server: the user needs the add permissions of reports, surveys and
results, and an agency editor reads and writes only its own agencies' data (`editable_agencies`).
A file waits between preview and save in `content.models.Upload`, usable only by the user who
uploaded it (ADR 0013).
"""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.files.uploadhandler import FileUploadHandler, StopUpload
from django.db import IntegrityError, transaction
from django.db.models import Count, Q
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.decorators import method_decorator
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_POST
from simple_history.utils import bulk_update_with_history

from content.admin import may_move, when
from content.models import Upload
from content.publishing import Status
from hisps.models import QuarterlyReport, ReportingPeriod, ServiceSurvey, SurveyResult
from hisps.upload import (
    FORMATS,
    MAX_BYTES,
    TOO_LARGE,
    UploadRefused,
    UploadResult,
    agency_names,
    read_bytes,
    read_upload,
    save_upload,
)

# Saving creates reports, surveys and their results.
PERMISSIONS = ("hisps.add_quarterlyreport", "hisps.add_servicesurvey", "hisps.add_surveyresult")
SAVED_MODELS = (QuarterlyReport, ServiceSurvey, SurveyResult)
# The preview lists at most this many problems or surveys: enough to fix a file by.
SHOWN = 500


class UploadForm(forms.Form):
    file = forms.FileField(
        label="CSV file",
        # The upload's own checks say what is wrong with an empty file, in its words.
        allow_empty_file=True,
        error_messages={"required": "Choose a CSV file to upload."},
        help_text="A .csv file of up to 10 MB, saved as UTF-8.",
    )


class SizeLimit(FileUploadHandler):
    """Stops receiving an uploaded file as soon as it passes the limit, so a file over 10 MB is
    never written to memory or disk; the view then says it is too large."""

    def __init__(self, request, limit: int):
        super().__init__(request)
        self.limit = limit

    def new_file(self, field_name, file_name, *args, **kwargs):
        self.request.upload_file_name = file_name
        super().new_file(field_name, file_name, *args, **kwargs)

    def receive_data_chunk(self, raw_data, start):
        if start + len(raw_data) > self.limit:
            self.request.upload_too_large = True
            raise StopUpload(connection_reset=False)
        return raw_data

    def file_complete(self, file_size):
        return None  # the next handler keeps the file


class UploadAdminMixin:
    """The upload pages, for the ModelAdmin of QuarterlyReport."""

    def get_urls(self):
        name = f"{self.opts.app_label}_{self.opts.model_name}_upload"
        view = self.admin_site.admin_view
        return [
            path("upload/", view(self._limited(self.upload_view)), name=name),
            path("upload/<uuid:token>/", view(self.upload_result_view), name=f"{name}_result"),
            path("upload/<uuid:token>/save/", view(self.upload_save_view), name=f"{name}_save"),
            path(
                "upload/<uuid:token>/submit/",
                view(self.upload_submit_view),
                name=f"{name}_submit",
            ),
            *super().get_urls(),
        ]

    def _limited(self, view):
        """`view` with the size limit on its uploads. The CSRF check reads the posted body, so it
        must run after the limit is in place: the view is exempt from the middleware's check and
        makes the same check itself (csrf_protect), once the handler is set."""

        @csrf_exempt
        def limited(request, *args, **kwargs):
            self._require_permission(request)
            request.upload_handlers.insert(0, SizeLimit(request, MAX_BYTES))
            return csrf_protect(view)(request, *args, **kwargs)

        return limited

    # Who may upload, and what they may touch

    def _require_permission(self, request):
        if not request.user.has_perms(PERMISSIONS):
            raise PermissionDenied(
                "Uploading quarterly data needs permission to add quarterly reports, surveys and survey results."
            )

    def _agencies(self, request):
        # Imported here: hisps.admin imports this module for QuarterlyReportAdmin.
        from hisps.admin import editable_agencies

        return editable_agencies(request)

    def _scoped(self, request, model):
        """The rows of `model` the user may see: its admin's queryset (an agency editor's own)."""
        return self.admin_site._registry[model].get_queryset(request)

    def _upload(self, request, token, **filters):
        """The user's own upload: another user's token answers 404, as if it did not exist."""
        return get_object_or_404(Upload, pk=token, user=request.user, **filters)

    def _context(self, request, title, **extra):
        return {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": title,
            "formats": FORMATS,
            "upload_url": reverse(f"admin:{self.opts.app_label}_{self.opts.model_name}_upload"),
            **extra,
        }

    def _open_periods(self):
        return ReportingPeriod.objects.filter(status=ReportingPeriod.State.OPEN).order_by(
            "fiscal_year", "quarter"
        )

    # The pages

    def upload_view(self, request):
        form = UploadForm()
        if request.method == "POST":
            form = UploadForm(request.POST, request.FILES)
            result = None
            if getattr(request, "upload_too_large", False):
                name = getattr(request, "upload_file_name", "") or "the file"
                result = UploadResult(name)
                result.errors.append(TOO_LARGE)
            elif form.is_valid():
                result = read_upload(form.cleaned_data["file"], agencies=self._agencies(request))
            if result is not None:
                return self._preview(request, result)
        context = self._context(
            request,
            "Upload quarterly data",
            form=form,
            open_periods=self._open_periods(),
            agencies=self._agency_names(request),
        )
        return TemplateResponse(request, "admin/hisps/upload/form.html", context)

    def _agency_names(self, request):
        agencies = self._agencies(request)
        return None if agencies is None else agency_names(agencies)

    def _preview(self, request, result: UploadResult, upload: Upload | None = None, note=""):
        if result.clean and upload is None:
            Upload.forget_old()
            upload = Upload.objects.create(
                user=request.user, filename=result.filename[:255], data=result.data
            )
        context = self._context(
            request,
            "Check the file before saving",
            upload_step=True,
            result=result,
            upload=upload,
            errors=result.errors[:SHOWN],
            more_errors=max(len(result.errors) - SHOWN, 0),
            surveys=result.surveys[:SHOWN],
            more_surveys=max(len(result.surveys) - SHOWN, 0),
            form=UploadForm(),
            note=note,
        )
        return TemplateResponse(request, "admin/hisps/upload/preview.html", context)

    @method_decorator(require_POST)
    def upload_save_view(self, request, token):
        self._require_permission(request)
        upload = self._upload(request, token)
        if upload.saved_at is None:
            try:
                result = save_upload(upload, user=request.user, agencies=self._agencies(request))
            except UploadRefused as refused:
                note = "The file no longer passes its checks, so nothing was saved."
                return self._preview(request, refused.result, upload, note)
            except IntegrityError:
                # Another upload made the same quarterly report at the same moment: show the
                # file as it reads now, against what that upload saved.
                note = "Another upload saved rows for the same quarter at the same moment, so nothing was saved. Check the file again below."
                result = read_bytes(
                    bytes(upload.data), upload.filename, agencies=self._agencies(request)
                )
                return self._preview(request, result, upload, note)
            messages.success(
                request,
                f"Saved {len(result.surveys)} surveys with {result.questions} questions from "
                f"{upload.filename} as drafts.",
            )
        return redirect(self._result_url(upload))

    def _result_url(self, upload):
        return reverse(
            f"admin:{self.opts.app_label}_{self.opts.model_name}_upload_result", args=[upload.pk]
        )

    def upload_result_view(self, request, token):
        self._require_permission(request)
        upload = self._upload(request, token, saved_at__isnull=False)
        ids = upload.saved
        surveys = (
            self._scoped(request, ServiceSurvey)
            .filter(pk__in=ids.get("hisps.ServiceSurvey", []))
            .select_related("report__hisp", "service")
            .annotate(
                uploaded=Count(
                    "results", filter=Q(results__pk__in=ids.get("hisps.SurveyResult", []))
                )
            )
            .order_by(
                "report__hisp__name",
                "-report__fiscal_year",
                "-report__quarter",
                "service__name",
                "channel",
            )
        )
        drafts = sum(
            self._scoped(request, model)
            .filter(pk__in=ids.get(model._meta.label, []), status=Status.DRAFT)
            .count()
            for model in SAVED_MODELS
        )
        context = self._context(
            request,
            "Saved as drafts",
            upload_step=True,
            upload=upload,
            saved_when=when(upload.saved_at),
            surveys=surveys,
            counts={
                model._meta.verbose_name_plural: len(ids.get(model._meta.label, []))
                for model in SAVED_MODELS
            },
            drafts=drafts,
        )
        return TemplateResponse(request, "admin/hisps/upload/result.html", context)

    @method_decorator(require_POST)
    def upload_submit_view(self, request, token):
        """The workflow's submit step for exactly the rows this upload saved that are still drafts,
        each checked as the admin's own "Submit for review" action checks it."""
        self._require_permission(request)
        upload = self._upload(request, token, saved_at__isnull=False)
        reason = f"Submitted for review (uploaded from {upload.filename})"[:100]
        moved = []
        with transaction.atomic():
            for model in SAVED_MODELS:
                admin = self.admin_site._registry[model]
                ids = upload.saved.get(model._meta.label, [])
                rows = list(model.objects.select_for_update().filter(pk__in=ids))
                # The admin's own scope, read once: `has_change_permission(request, row)` would
                # ask it again for every row.
                visible = set(
                    admin.get_queryset(request).filter(pk__in=ids).values_list("pk", flat=True)
                )
                may_change = admin.has_change_permission(request)
                drafts = [row for row in rows if row.status == Status.DRAFT]
                refused = [
                    row
                    for row in drafts
                    if row.pk not in visible
                    or not may_change
                    or not may_move(request, model, row.status, Status.IN_REVIEW)
                ]
                if refused:
                    raise PermissionDenied(
                        f"You may not submit {len(refused)} of these {model._meta.verbose_name_plural} for review."
                    )
                now = timezone.now()
                for row in drafts:
                    row.status, row.updated_at = Status.IN_REVIEW, now
                bulk_update_with_history(
                    drafts,
                    model,
                    ["status", "updated_at"],
                    batch_size=1000,
                    default_user=request.user,
                    default_change_reason=reason,
                )
                moved.append(f"{len(drafts)} {model._meta.verbose_name_plural}")
        messages.success(request, "Submitted for review: " + ", ".join(moved) + ".")
        return redirect(self._result_url(upload))
