"""Users of each editorial role, signed in, and HISP data of two agencies: the agency editor's own
and another's."""

import pytest
from django.contrib.auth.models import Group

from content.publishing import Status
from cxportal.roles import AGENCY_EDITOR, OMB_EDITOR, OMB_PUBLISHER
from hisps.models import AgencyEditor
from tests.factories import (
    AgencyFactory,
    DocumentFactory,
    HispFactory,
    QuarterlyReportFactory,
    ServiceFactory,
    ServiceSurveyFactory,
    SurveyResultFactory,
)

DRAFT = {"status": Status.DRAFT}


def agency_data(name):
    """A department, one of its bureaus, and a draft HISP of the bureau with a draft of each kind of
    HISP data; named after `name`."""
    department = AgencyFactory(name=f"{name} Department", slug=f"{name.lower()}-dept")
    bureau = AgencyFactory(name=f"{name} Bureau", slug=f"{name.lower()}-bureau", parent=department)
    hisp = HispFactory(agency=department, bureau=bureau, name=f"{name} Provider", **DRAFT)
    service = ServiceFactory(hisp=hisp, name=f"{name} Service", **DRAFT)
    report = QuarterlyReportFactory(hisp=hisp, fiscal_year=2031, quarter=1, **DRAFT)
    survey = ServiceSurveyFactory(report=report, service=service, **DRAFT)
    return {
        "hisps.Agency": department,
        "hisps.Hisp": hisp,
        "hisps.Service": service,
        "hisps.QuarterlyReport": report,
        "hisps.ServiceSurvey": survey,
        "hisps.SurveyResult": SurveyResultFactory(
            survey=survey, question_text=f"{name} question", **DRAFT
        ),
        "hisps.Document": DocumentFactory(hisp=hisp, title=f"{name} plan", **DRAFT),
    }


@pytest.fixture
def own(db):
    """The agency editor's agency's data (the editor is bound to the department)."""
    return agency_data("Ownagency")


@pytest.fixture
def other(db):
    return agency_data("Otheragency")


def _signed_in(client, django_user_model, role, username):
    user = django_user_model.objects.create_user(username, is_staff=True)
    user.groups.add(Group.objects.get(name=role))
    client.force_login(user)
    client.user = user
    return client


@pytest.fixture
def publisher(client, django_user_model):
    return _signed_in(client, django_user_model, OMB_PUBLISHER, "publisher")


@pytest.fixture
def omb_editor(client, django_user_model):
    return _signed_in(client, django_user_model, OMB_EDITOR, "omb-editor")


@pytest.fixture
def agency_editor(client, django_user_model, own):
    signed_in = _signed_in(client, django_user_model, AGENCY_EDITOR, "agency-editor")
    AgencyEditor.objects.create(user=signed_in.user, agency=own["hisps.Agency"])
    return signed_in
