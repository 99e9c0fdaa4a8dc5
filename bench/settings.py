"""Settings for the benchmark: the product's settings, the benchmark's URL map (the
product's plus a bare baseline view) and the throwaway database that `bench/catalogue.py`
prepares and passes in `BENCH_DATABASE_URL` (and, for a PostgreSQL server, the name of
the database it created there in `BENCH_DATABASE_NAME`)."""

import warnings

from config.settings.base import *  # noqa: F403
from config.settings.base import env

ROOT_URLCONF = "bench.urls"
DEBUG = False
ALLOWED_HOSTS = ["127.0.0.1", "localhost", "testserver"]
DATABASES = {"default": env.db("BENCH_DATABASE_URL")}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
if env("BENCH_DATABASE_NAME", default=""):
    DATABASES["default"]["NAME"] = env("BENCH_DATABASE_NAME")

# `--no-cache`: every request does all its work (the catalogue keeps nothing).
if env.bool("BENCH_NO_CACHE", default=False):
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}

# The benchmark never fetches static files; do not warn that collectstatic has not run.
warnings.filterwarnings("ignore", message="No directory at", category=UserWarning)
