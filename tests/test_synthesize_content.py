"""manage.py synthesize_content: N times the real content, for benchmarks (ADR 0028)."""

import io

import pytest
from django.core.management import CommandError, call_command

from hisps.models import Agency, Hisp, ServiceSurvey, SurveyResult
from priorities.models import Highlight, LifeExperience, PriorityArea
from tests.discovery.searching import hit_links, search

pytestmark = pytest.mark.django_db


def test_copies_the_content_wired_to_itself_and_refuses_a_second_run(client):
    before = {
        model: model.objects.count()
        for model in (Hisp, ServiceSurvey, SurveyResult, PriorityArea, Highlight, LifeExperience)
    }
    agencies = Agency.objects.count()
    out = io.StringIO()
    call_command("synthesize_content", "--factor", "3", stdout=out)
    assert "Synthesized 3× the content" in out.getvalue()

    for model, count in before.items():
        assert model.objects.count() == 3 * count, model
    assert Agency.objects.count() == agencies  # the copies share the real departments

    copy = Hisp.objects.get(slug="veterans-health-administration-synthetic-2")
    assert copy.name == "Veterans Health Administration (synthetic 2)"
    real = Hisp.objects.get(slug="veterans-health-administration")
    assert copy.agency_id == real.agency_id
    # Its reports and results are its own copies, not the real provider's.
    assert copy.quarterly_reports.count() == real.quarterly_reports.count()
    assert SurveyResult.objects.filter(survey__report__hisp=copy).count() == (
        SurveyResult.objects.filter(survey__report__hisp=real).count()
    )
    page = client.get(copy.get_absolute_url())
    assert page.status_code == 200 and "Veterans Health Administration (synthetic 2)" in (
        page.content.decode()
    )
    area = PriorityArea.objects.get(slug="cx-synthetic-1")
    assert client.get(area.get_absolute_url()).status_code == 200
    assert client.get(f"{area.get_absolute_url()}strategy/2/").status_code == 200
    assert copy.get_absolute_url() in hit_links(search(client, q="veterans health"))

    with pytest.raises(CommandError, match="already holds synthetic content"):
        call_command("synthesize_content", "--factor", "3")
