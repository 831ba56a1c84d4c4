"""Synthetic HISP content made by factories, about ten times what a real page shows."""

import datetime

import pytest
from django.utils import timezone

from content.publishing import Status
from hisps.models import CxMeasure, Hisp, QuarterlyReport
from tests.factories import (
    AgencyFactory,
    DocumentFactory,
    HispFactory,
    LegacyPathFactory,
    LegacyScoreFactory,
    QuarterlyReportFactory,
    ServiceFactory,
    ServiceSurveyFactory,
    SurveyResultFactory,
)

RATINGS = ["in_line", "partial", "not_reported", ""]


def hidden_variants():
    """Keyword sets that make an object invisible to the public: a draft, and a scheduled one."""
    tomorrow = timezone.now() + datetime.timedelta(days=1)
    return [
        {"status": Status.DRAFT},
        {"status": Status.IN_REVIEW},
        {"status": Status.ARCHIVED},
        {"status": Status.PUBLISHED, "publish_at": tomorrow},
    ]


def quarters(count, first_year=2013):
    """`count` consecutive (fiscal year, quarter) pairs from FY`first_year` Q1."""
    return [(first_year + index // 4, index % 4 + 1) for index in range(count)]


def make_profile(hisp=None, services=10, periods=90, earlier=5):
    """A provider with ten times VA VHA's content: 10 services, 90 quarterly reports with
    reflections, each with a survey answering every A-11 measure (630 answers), documents, legacy
    paths and scores, and earlier designations."""
    hisp = hisp or HispFactory(
        agency=AgencyFactory(), bureau=AgencyFactory(), headline="Serves many people."
    )
    measures = list(CxMeasure.objects.public())
    own_services = ServiceFactory.create_batch(services, hisp=hisp, channels=["computer", "phone"])
    for index, (year, quarter) in enumerate(quarters(periods)):
        report = QuarterlyReportFactory(
            hisp=hisp,
            fiscal_year=year,
            quarter=quarter,
            rating=RATINGS[index % 4],
            reflection=f"We learned **something** in FY{year} Q{quarter}.",
        )
        survey = ServiceSurveyFactory(report=report, service=own_services[index % services])
        for number, measure in enumerate(measures, start=1):
            SurveyResultFactory(survey=survey, question_number=number, measure=measure)
    for number in range(earlier):
        entry = HispFactory(agency=hisp.agency, active=False, cohort=Hisp.Cohort.LIST_2020)
        hisp.earlier_designations.add(entry)
        LegacyPathFactory(hisp=entry)
        DocumentFactory(hisp=entry)
        LegacyScoreFactory(hisp=entry, fiscal_year=2010 + number, measure=measures[1])
    DocumentFactory.create_batch(10, hisp=hisp)
    LegacyPathFactory.create_batch(3, hisp=hisp)
    return hisp


def make_directory(count=300, per_agency=30):
    """Ten times the real directory: providers in several agencies, each reporting four quarters."""
    latest = (
        QuarterlyReport.objects.public()
        .order_by("-fiscal_year", "-quarter")
        .values_list("fiscal_year", "quarter")
        .first()
    )
    made = []
    for start in range(0, count, per_agency):
        department = AgencyFactory()
        bureau = AgencyFactory(parent=department)
        for number in range(start, min(start + per_agency, count)):
            hisp = HispFactory(agency=department, bureau=bureau, active=number % 5 != 0)
            ServiceFactory(hisp=hisp)
            for offset in range(4):
                year, quarter = latest[0] - offset, latest[1]
                QuarterlyReportFactory(
                    hisp=hisp, fiscal_year=year, quarter=quarter, rating=RATINGS[number % 4]
                )
            made.append(hisp)
    return made


@pytest.fixture
def synthetic_profile(db):
    return make_profile()
