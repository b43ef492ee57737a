from config.env import env_bool, env_str

from .base import *  # noqa: F403

DEBUG = env_bool("DEBUG", True)
EMAIL_BACKEND = env_str("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
VAR_DIR.mkdir(parents=True, exist_ok=True)  # noqa: F405
