"""The number of queries of /cx/data/ and of each download does not grow with the data."""

import pytest
from django.urls import reverse

from cxportal.data.cx_api import ENDPOINTS
from cxportal.data.datasets import DATASETS
from hisps.models import (
    CxMeasure,
    Hisp,
    LegacyScore,
    QuarterlyReport,
    Service,
    ServiceSurvey,
    SurveyResult,
)
from milestones.models import Milestone
from priorities.models import ProgressUpdate
from tests.data.streams import fetch
from tests.factories import (
    AgencyFactory,
    CxMeasureFactory,
    HispFactory,
    LegacyScoreFactory,
    MilestoneFactory,
    PriorityAreaFactory,
    ProgressUpdateFactory,
    QuarterlyReportFactory,
    ReportingPeriodFactory,
    ServiceFactory,
    ServiceSurveyFactory,
    StrategyFactory,
    SurveyResultFactory,
)

pytestmark = pytest.mark.django_db

INDEX_QUERIES = 11  # the newest change of every model (1), a count per dataset (9), measures (1)
DOWNLOAD_QUERIES = 2  # the newest change of its models (1), its rows from one cursor (1)


def _bulk(model, objects):
    return model.objects.bulk_create(objects)


def ten_times_the_data():
    """Ten times the real rows of every dataset, made by the factories (saved in bulk)."""
    agency = AgencyFactory()
    hisps = _bulk(
        Hisp,
        [HispFactory.build(agency=agency, touchpoints_id=70000 + n) for n in range(480)],
    )
    services = _bulk(
        Service,
        [ServiceFactory.build(hisp=hisps[n], touchpoints_id=70000 + n) for n in range(430)],
    )
    reports = _bulk(
        QuarterlyReport,
        [
            # Over 100 quarters, so that trust_by_quarter (a row per quarter) grows tenfold too.
            QuarterlyReportFactory.build(
                hisp=hisps[n // 5], fiscal_year=2030 + n % 100 // 4, quarter=n % 4 + 1
            )
            for n in range(2150)
        ],
    )
    for year in range(2030, 2055):
        for quarter in (1, 2, 3, 4):
            ReportingPeriodFactory(fiscal_year=year, quarter=quarter)
    trust = CxMeasure.objects.get(key="trust")
    surveys = _bulk(
        ServiceSurvey,
        [
            ServiceSurveyFactory.build(
                report=reports[n % 2150],
                service=services[n % 430],
                touchpoints_id=70000 + n,
                touchpoints_collection_id=70000 + n % 2150,
            )
            for n in range(4330)
        ],
    )
    _bulk(
        SurveyResult,
        [
            SurveyResultFactory.build(
                survey=survey, question_number=q, measure=trust if q == 2 else None
            )
            for survey in surveys
            for q in range(1, 8)
        ],
    )
    measures = _bulk(CxMeasure, CxMeasureFactory.build_batch(63))
    _bulk(
        LegacyScore,
        [LegacyScoreFactory.build(hisp=hisps[n], measure=measures[0]) for n in range(320)],
    )
    _bulk(Milestone, MilestoneFactory.build_batch(100, strategy=StrategyFactory()))
    _bulk(ProgressUpdate, ProgressUpdateFactory.build_batch(180, priority_area=PriorityAreaFactory()))  # fmt: skip


def _items(name, body):
    return body.count(f'"type": "{name}"')


def _sizes(client):
    """The rows of every dataset and the items of every performance.gov file, as they are now."""
    rows = {name: dataset.count() for name, dataset in DATASETS.items()}
    items = {name: _items(name, fetch(client, f"/cx/data/{name}.json")[1]) for name in ENDPOINTS}
    return rows, items


def _check_downloads(client, django_assert_num_queries, at_least):
    for name, dataset in DATASETS.items():
        rows = dataset.count()
        assert rows >= at_least[name], name
        for fmt in ["csv", "json"]:
            url = reverse("data:download", kwargs={"name": name, "format": fmt})
            with django_assert_num_queries(DOWNLOAD_QUERIES):
                response, body = fetch(client, url)
            assert response.status_code == 200
            # A CSV line or a JSON array element per row (texts may hold more line breaks).
            assert body.count("\n") >= rows, (name, fmt)


def _check_performance_gov_files(client, django_assert_num_queries, at_least):
    for name in ENDPOINTS:
        with django_assert_num_queries(DOWNLOAD_QUERIES):
            response, body = fetch(client, reverse("data:cx_api", kwargs={"name": name}))
        assert response.status_code == 200
        assert _items(name, body) >= at_least[name], name


def _check_data_page(client, django_assert_num_queries):
    with django_assert_num_queries(INDEX_QUERIES):
        response = client.get(reverse("data:index"))
    assert response.status_code == 200
    page = response.content.decode()
    for dataset in DATASETS.values():
        assert f"{dataset.count():,}" in page


@pytest.mark.parametrize("scale", ["real", "10x"])
def test_the_data_page_downloads_and_files_take_the_same_queries_at_any_size(
    client, django_assert_num_queries, scale
):
    """The same query counts for the real content and for ten times as much (built once)."""
    rows, items = _sizes(client)
    factor = 1
    if scale == "10x":
        ten_times_the_data()
        factor = 10
    _check_downloads(
        client, django_assert_num_queries, {name: factor * n for name, n in rows.items()}
    )
    _check_performance_gov_files(
        client, django_assert_num_queries, {name: factor * n for name, n in items.items()}
    )
    _check_data_page(client, django_assert_num_queries)
