"""Markup the HTML standard accepts, on every kind of public page (issue 8): `datetime` values of
at most three digits of a second (Django's "c" format gave six), and no `role="img"` on an image
that is only decoration (the banner's, 100 of the Nu HTML Checker's errors)."""

import re

import pytest

from tests.site.test_home import PUBLIC_PAGES

pytestmark = pytest.mark.django_db

# A valid date, month, or global date and time string (with at most 3 digits of a second).
VALID = re.compile(r"^\d{4}-\d{2}(-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?(Z|[+-]\d{2}:\d{2}))?)?$")


@pytest.mark.parametrize("path", PUBLIC_PAGES)
def test_datetime_values_are_valid_and_images_have_no_needless_role(client, path):
    page = client.get(path).content.decode()
    values = re.findall(r'datetime="([^"]*)"', page)
    assert all(VALID.match(value) for value in values), [v for v in values if not VALID.match(v)]
    assert not re.search(r'<img[^>]*role="img"', page)


def test_last_updated_carries_a_valid_time_to_the_second(client):
    from hisps.models import Hisp

    hisp = Hisp.objects.public().get(slug="veterans-health-administration")
    hisp.save()  # a published item's change: its page now says when
    page = client.get(hisp.get_absolute_url()).content.decode()
    value = re.search(r'Last updated <time datetime="([^"]+)">', page).group(1)
    assert re.fullmatch(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}[+-]\d{2}:\d{2}", value), value
