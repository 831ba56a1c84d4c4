import pytest
from django.db import connection
from django.db.models import Count
from django.test.utils import CaptureQueriesContext
from tests.test_admin import admin_url, editor  # noqa
from hisps.models import Hisp, QuarterlyReport, ServiceSurvey
from priorities.models import PriorityArea, Strategy
pytestmark = pytest.mark.django_db

def test_dbg(editor):
    for model, rel in ((Hisp, "quarterly_reports"), (QuarterlyReport, "surveys"), (ServiceSurvey, "results"), (PriorityArea, "leaders"), (Strategy, "milestones")):
        obj = model.objects.annotate(n=Count(rel)).order_by("-n").first()
        editor.get(admin_url(obj, "change"))
        with CaptureQueriesContext(connection) as q:
            r = editor.get(admin_url(obj, "change"))
        print(model.__name__, obj.n, r.status_code, len(q))

def test_new_strategy_with_milestone(editor):
    area = PriorityArea.objects.first()
    from django.utils import timezone
    now = timezone.localtime()
    data = {"priority_area": area.pk, "number": 99, "title": "New", "status": "draft",
            "publish_at_0": f"{now:%Y-%m-%d}", "publish_at_1": f"{now:%H:%M:%S}", "sources": "[]"}
    for prefix in ("goals", "milestones"):
        data.update({f"{prefix}-TOTAL_FORMS": "0", f"{prefix}-INITIAL_FORMS": "0"})
    data.update({"milestones-TOTAL_FORMS": "1", "milestones-0-title": "First step", "milestones-0-progress": "planned", "milestones-0-status": "draft"})
    r = editor.post(admin_url(Strategy, "add"), data)
    print("status", r.status_code)
    if r.status_code == 200:
        print([f.errors for f in r.context["inline_admin_formsets"][1].formset.forms], r.context["adminform"].form.errors, [fs.formset.non_form_errors() for fs in r.context["inline_admin_formsets"]])
