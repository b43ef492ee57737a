from .base import *  # noqa: F403

DEBUG = False
SECRET_KEY = "test-secret-key-not-for-production-0123456789abcdefghijklmnop"  # noqa: S105
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
# Tasks run synchronously in tests unless a test selects the database backend itself.
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend", "QUEUES": ["default"]}}
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

# A file, not memory: concurrency tests open several real connections (pytest-django adds a
# suffix per xdist worker).
if DATABASES["default"]["ENGINE"] == "civicmeet.core.sqlite":  # noqa: F405
    DATABASES["default"]["TEST"] = {"NAME": str(VAR_DIR / "test-civicmeet.sqlite3")}  # noqa: F405
(VAR_DIR / "static").mkdir(parents=True, exist_ok=True)  # noqa: F405 - whitenoise warns without it
RATE_LIMITS_ENABLED = False
# Versions trusted as long as the pages are kept: a test that counts the queries of a second
# request must not depend on how fast this machine answered the first. The tests of the bound set
# the production value themselves (tests/processes/test_changes_across_processes.py).
EVENT_VERSION_SECONDS = 300
RATELIMIT_ENABLE = False
