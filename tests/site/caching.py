"""Fixtures of the page cache tests (a pytest plugin: tests/conftest.py). What they share: the cache turned on, on a real Redis or on the database cache;
an anonymous reader; a signed-in publisher; and a commit, which is what changes the content
version (the tests' own transaction never commits, so `committed` runs the on-commit callbacks
the way a real commit would)."""

import pytest
from django.contrib.auth.models import Group
from django.core.cache import cache
from django.test import Client

from cxportal.roles import OMB_PUBLISHER
from priorities.models import PriorityArea

DATABASE_CACHE = {
    "default": {
        "BACKEND": "django.core.cache.backends.db.DatabaseCache",
        "LOCATION": "cxportal_cache",
        "KEY_PREFIX": "cxportal",
    }
}


def redis_cache(url: str) -> dict:
    return {
        "default": {
            "BACKEND": "cxportal.caching.RedisCache",
            "LOCATION": url,
            "KEY_PREFIX": "cxportal",
        }
    }


@pytest.fixture
def on_redis(settings, redis_server, db):
    settings.CACHES = redis_cache(redis_server)
    settings.CXPORTAL_PAGE_CACHE = True
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def on_database(settings, db):
    settings.CACHES = DATABASE_CACHE
    settings.CXPORTAL_PAGE_CACHE = True
    cache.clear()
    yield


@pytest.fixture(params=["redis", "database"])
def page_cache(request):
    """The page cache on, once on each shared cache."""
    request.getfixturevalue("on_redis" if request.param == "redis" else "on_database")
    return request.param


@pytest.fixture
def anonymous():
    """An anonymous reader: no cookie at all."""
    return Client()


@pytest.fixture
def signed_in_publisher(django_user_model, db):
    user = django_user_model.objects.create_user("cache-publisher", is_staff=True)
    user.groups.add(Group.objects.get(name=OMB_PUBLISHER))
    client = Client()
    client.force_login(user)
    client.user = user
    return client


@pytest.fixture
def commit(django_capture_on_commit_callbacks):
    """`with commit():` around a change runs its on-commit callbacks at the end, as a commit
    of the request's transaction would."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


@pytest.fixture
def cx_area(db):
    """The reference priority area of the real content, /pma/cx/."""
    return PriorityArea.objects.get(slug="cx")


def page(client, path, **headers):
    response = client.get(path, headers=headers)
    assert response.status_code == 200, (path, response.status_code)
    return response


def text(response) -> str:
    return response.content.decode()
