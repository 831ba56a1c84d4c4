import os

import pytest

# Real Redis and nginx, and the page cache's fixtures, for the caching tests.
pytest_plugins = ["tests.servers", "tests.site.caching"]


@pytest.fixture(scope="session")
def django_db_modify_db_settings(django_db_modify_db_settings_parallel_suffix):
    """Let two test runs share one Postgres server: TEST_DB_SUFFIX names a separate test database."""
    from django.conf import settings

    suffix = os.environ.get("TEST_DB_SUFFIX")
    if suffix:
        # pytest-xdist's workers (gw0, gw1…) each keep a database of their own too.
        worker = os.environ.get("PYTEST_XDIST_WORKER")
        test = settings.DATABASES["default"].setdefault("TEST", {})
        test["NAME"] = f"test_cxportal_{suffix}" + (f"_{worker}" if worker else "")


@pytest.fixture(scope="session", autouse=True)
def _fast_password_hashing():
    """Editors sign in in many tests: a fast hasher there, PBKDF2 everywhere else. Passwords'
    strength is the password validators' business, which the tests still run."""
    from django.test import override_settings

    with override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"]):
        yield


@pytest.fixture(scope="session")
def data_dir():
    """The real performance.gov content that the site runs on, kept in the checkout."""
    from django.conf import settings

    return settings.BASE_DIR / "data" / "performance_gov"


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker, data_dir):
    """Every test starts from the test database with the real content imported once."""
    from django.core.management import call_command

    with django_db_blocker.unblock():
        call_command("import_performance_gov", str(data_dir), stdout=open(os.devnull, "w"))  # noqa: SIM115


@pytest.fixture(scope="session", autouse=True)
def _plain_static_storage():
    """Tests render templates without running collectstatic first. Set once for the session, not
    per test: the live server's threads may be serving a page while a test ends, and a setting
    switched back and forth under them once served a 500 from the manifest storage."""
    from django.conf import settings
    from django.test import override_settings

    storages = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    with override_settings(STORAGES=storages):
        yield


@pytest.fixture(scope="session", autouse=True)
def _page_cache_off():
    """The page cache is off unless a test turns it on (tests/site/test_page_cache.py and its
    neighbours). Most tests change content inside a transaction that is never committed, and the
    content version changes only on a commit: with the cache on, their second request would be
    answered from the cache. Off, public pages go out `no-cache` and no cache is read."""
    from django.test import override_settings

    with override_settings(CXPORTAL_PAGE_CACHE=False):
        yield
