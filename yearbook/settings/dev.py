"""Local development and the demo: debug on, insecure key allowed, everything in-process."""

from .base import *  # noqa: F403
from .base import env

DEBUG = env.bool("DEBUG", default=True)
SECRET_KEY = env.str("SECRET_KEY", default="dev-only-insecure-key-not-for-production")  # noqa: S105
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost"])
SERVE_MEDIA = env.bool("SERVE_MEDIA", default=True)  # the demo runs with DEBUG off and still serves its PDFs
