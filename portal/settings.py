"""Settings of the public portal (码上巡察), read from the environment.

PORTAL_ENV is one of ``dev`` (a laptop: `make run` writes the keys into .env), ``test``
(the suite: throwaway keys per process, including an office key pair so that tests can open
envelopes) or ``production`` (every key must be given; the portal refuses to start
otherwise). The portal never holds the office's private key outside the test settings.

Variables (see the README of portal/):
PORTAL_SECRET_KEY, PORTAL_DATABASE_URL, PORTAL_OFFICE_PUBLIC_KEY, PORTAL_API_TOKEN_SM3,
PORTAL_RECEIPT_KEY, PORTAL_RECEIPT_SALT, PORTAL_THROTTLE_KEY, PORTAL_BASE_URL,
PORTAL_ALLOWED_HOSTS, PORTAL_DEBUG, PORTAL_SSL_REDIRECT, PORTAL_PROXY_SSL_HEADER,
PORTAL_HSTS_PRELOAD and the limits below.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import re
import secrets
import tempfile
from pathlib import Path

import environ
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent
PORTAL_DIR = Path(__file__).resolve().parent
env = environ.Env()
# Its own file, not the internal app's .env (which holds the office's private key on a
# laptop): `python -m portal.keys --portal-file var/portal.env` writes it.
ENV_FILE = Path(os.environ.get("PORTAL_ENV_FILE", str(BASE_DIR / "var" / "portal.env")))
if ENV_FILE.exists() and os.environ.get("PORTAL_ENV") != "test":
    environ.Env.read_env(ENV_FILE)

PORTAL_ENV = env.str("PORTAL_ENV", default="production")
if PORTAL_ENV not in {"dev", "test", "production"}:
    raise ImproperlyConfigured("PORTAL_ENV must be dev, test or production")
DEBUG = env.bool("PORTAL_DEBUG", default=PORTAL_ENV == "dev")


def _required(name: str, test_default: str) -> str:
    value = str(env.str(name, default=""))
    if value:
        return value
    if PORTAL_ENV == "test":
        return test_default
    raise ImproperlyConfigured(f"{name} is not set: see portal/README.md")


SECRET_KEY = _required("PORTAL_SECRET_KEY", secrets.token_urlsafe(48))

# The office's SM2 public key: every submission is sealed to it before anything is written.
if PORTAL_ENV == "test":
    from envelope import generate_keypair

    _test_private, _test_public = generate_keypair()
    # Only the test settings hold a private key, so that the suite can open what it sealed.
    PORTAL_TEST_OFFICE_PRIVATE_KEY = _test_private
    PORTAL_OFFICE_PUBLIC_KEY = str(env.str("PORTAL_OFFICE_PUBLIC_KEY", default=_test_public))
else:
    PORTAL_OFFICE_PUBLIC_KEY = _required("PORTAL_OFFICE_PUBLIC_KEY", "")
if not re.fullmatch(r"04[0-9a-fA-F]{128}", PORTAL_OFFICE_PUBLIC_KEY):
    raise ImproperlyConfigured("PORTAL_OFFICE_PUBLIC_KEY must be an SM2 public key: 04 and 128 hex")
# The internal app's API token is never stored, only its SM3 digest (64 hex digits).
PORTAL_API_TOKEN_SM3 = _required("PORTAL_API_TOKEN_SM3", secrets.token_hex(32)).lower()
if not re.fullmatch(r"[0-9a-f]{64}", PORTAL_API_TOKEN_SM3):
    raise ImproperlyConfigured("PORTAL_API_TOKEN_SM3 must be the SM3 digest (64 hex) of the token")
# The key of the receipt digests' HMAC-SM3 (hex): a receipt is stored only as its HMAC with
# this key, which the database does not hold; changing it orphans every receipt. A laptop
# (`dev`) without it derives one from the secret key; production must give it.
if PORTAL_ENV == "dev" and not env.str("PORTAL_RECEIPT_KEY", default=""):
    PORTAL_RECEIPT_KEY = hmac.new(SECRET_KEY.encode(), b"portal.receipt", hashlib.sha256).digest()
else:
    PORTAL_RECEIPT_KEY = bytes.fromhex(_required("PORTAL_RECEIPT_KEY", secrets.token_hex(32)))
if len(PORTAL_RECEIPT_KEY) < 16:
    raise ImproperlyConfigured("PORTAL_RECEIPT_KEY must be at least 32 hex digits")
# The system-wide salt and rounds of the PBKDF2-HMAC-SM3 digests stored before the keyed ones:
# a lookup still finds such a report (and re-keys it) while any is left; changing the salt
# orphans them.
PORTAL_RECEIPT_SALT = bytes.fromhex(_required("PORTAL_RECEIPT_SALT", secrets.token_hex(16)))
if len(PORTAL_RECEIPT_SALT) < 16:
    raise ImproperlyConfigured("PORTAL_RECEIPT_SALT must be at least 32 hex digits")
# PBKDF2-HMAC-SM3 rounds; the suite uses few so that it stays quick.
PORTAL_RECEIPT_ITERATIONS = env.int(
    "PORTAL_RECEIPT_ITERATIONS", default=2_000 if PORTAL_ENV == "test" else 200_000
)
if PORTAL_ENV != "test" and PORTAL_RECEIPT_ITERATIONS < 100_000:
    raise ImproperlyConfigured("PORTAL_RECEIPT_ITERATIONS must be at least 100000")
# The key of the lookup throttle's HMAC (hex), a key of its own: a throttle row names a code
# only through it, so the database alone links no report to the hour it was looked up. A laptop
# (`dev`) without it derives one from the secret key; production must give it.
if PORTAL_ENV == "dev" and not env.str("PORTAL_THROTTLE_KEY", default=""):
    PORTAL_THROTTLE_KEY = hmac.new(SECRET_KEY.encode(), b"portal.throttle", hashlib.sha256).digest()
else:
    PORTAL_THROTTLE_KEY = bytes.fromhex(_required("PORTAL_THROTTLE_KEY", secrets.token_hex(32)))
if len(PORTAL_THROTTLE_KEY) < 16:
    raise ImproperlyConfigured("PORTAL_THROTTLE_KEY must be at least 32 hex digits")
PORTAL_BASE_URL = str(env.str("PORTAL_BASE_URL", default="http://127.0.0.1:8001")).rstrip("/")

# Limits of the forms and of the receipt lookup (see /privacy/).
PORTAL_MAX_FILES = env.int("PORTAL_MAX_FILES", default=5)
PORTAL_MAX_FILE_BYTES = env.int("PORTAL_MAX_FILE_BYTES", default=10 * 1024 * 1024)
PORTAL_MAX_CONTENT_CHARS = env.int("PORTAL_MAX_CONTENT_CHARS", default=5_000)
PORTAL_MAX_PERSONS_CHARS = env.int("PORTAL_MAX_PERSONS_CHARS", default=500)
PORTAL_CHALLENGE_MAX_AGE = env.int("PORTAL_CHALLENGE_MAX_AGE", default=2 * 60 * 60)
PORTAL_LOOKUPS_PER_CODE_PER_HOUR = env.int("PORTAL_LOOKUPS_PER_CODE_PER_HOUR", default=10)
# Every form and every receipt lookup carries a proof of work (hashcash): a counter whose
# SHA-256 with the challenge's single-use nonce starts with this many zero bits, found by the
# page's script (2^16 tries on average: half a second in a desktop chromium, a few on a slow
# phone, done while the citizen types). The suite keeps it small.
PORTAL_POW_BITS = env.int("PORTAL_POW_BITS", default=8 if PORTAL_ENV == "test" else 16)
if not 0 <= PORTAL_POW_BITS <= 32:
    raise ImproperlyConfigured("PORTAL_POW_BITS must be between 0 and 32")
PORTAL_SUBMISSIONS_PER_DAY = env.int("PORTAL_SUBMISSIONS_PER_DAY", default=2_000)
# Days the portal keeps an envelope after the internal app fetched it (`portal_purge`).
PORTAL_ENVELOPE_DAYS = env.int("PORTAL_ENVELOPE_DAYS", default=30)

ALLOWED_HOSTS = env.list("PORTAL_ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "testserver"])

# No auth, admin, sessions or messages: the portal has no accounts and sets no cookie.
INSTALLED_APPS = [
    "django.contrib.staticfiles",
    "portal.reports",
]

MIDDLEWARE = [
    "portal.reports.middleware.PortalHeadersMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Checks the Host header against ALLOWED_HOSTS (a 400 otherwise) and adds the slash.
    "django.middleware.common.CommonMiddleware",
    # Kept so that any new POST view is protected by default; the report, follow-up and API
    # views are exempt (see portal/reports/views.py) because the portal has no cookie or
    # session to ride on: the forms carry a signed challenge instead.
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Forgets the throttle windows and spent challenge nonces whose time is over.
    "portal.reports.middleware.LimitsPurgeMiddleware",
]

ROOT_URLCONF = "portal.urls"
WSGI_APPLICATION = "portal.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {"context_processors": []},
    }
]

DATABASES = {
    "default": env.db(
        "PORTAL_DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'var' / 'portal.sqlite3'}"
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }
    if PORTAL_ENV == "test":
        # A file, not memory, so that the suite can search the bytes the portal wrote.
        DATABASES["default"]["TEST"] = {
            "NAME": str(Path(tempfile.gettempdir()) / f"portal-test-{os.getpid()}.sqlite3")
        }
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # Parameters bound by the server, and a statement prepared on its second use in a
    # connection: the portal sends the same few statements over and over (queries.py,
    # throttle.py, actions._insert), and PostgreSQL's parsing and planning of each cost more
    # CPU than running it (a lookup's PostgreSQL CPU about halved, BENCHMARKS-portal.md).
    # Restart the workers after a migration, as a deploy does, so no plan outlives its table.
    DATABASES["default"]["OPTIONS"] = {
        **DATABASES["default"].get("OPTIONS", {}),
        "server_side_binding": True,
        "prepare_threshold": 2,
    }
DATABASES["default"]["ATOMIC_REQUESTS"] = False
# Each worker keeps its connection (opening one to PostgreSQL cost about as much as the rest of
# a report, BENCHMARKS-portal.md), checked before a request reuses it.
DATABASES["default"]["CONN_MAX_AGE"] = env.int("PORTAL_DB_CONN_MAX_AGE", default=600)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

CACHES = {"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}

# Uploads stay in memory (never a temporary file in plain text): see reports/uploads.py.
FILE_UPLOAD_HANDLERS = ["portal.reports.uploads.BoundedMemoryUploadHandler"]
DATA_UPLOAD_MAX_NUMBER_FILES = 20
DATA_UPLOAD_MAX_NUMBER_FIELDS = 100

LANGUAGE_CODE = "zh-hans"
USE_I18N = True
TIME_ZONE = "Asia/Shanghai"
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "var" / "portal-static"
STORAGES = {
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if PORTAL_ENV != "production"
        else "whitenoise.storage.CompressedStaticFilesStorage"
    },
}
WHITENOISE_USE_FINDERS = PORTAL_ENV != "production"

SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "no-referrer"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
CSRF_FAILURE_VIEW = "portal.reports.errors.csrf_failure"
# No cookie is ever set; these only keep the deploy checks honest should one appear.
CSRF_COOKIE_SECURE = PORTAL_ENV == "production"
CSRF_COOKIE_HTTPONLY = True
if PORTAL_ENV == "production":
    SECURE_SSL_REDIRECT = env.bool("PORTAL_SSL_REDIRECT", default=True)
    SECURE_HSTS_SECONDS = 31536000
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = env.bool("PORTAL_HSTS_PRELOAD", default=True)
    # The health check answers a monitor on plain HTTP too (portal/health.py).
    SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
if env.bool("PORTAL_PROXY_SSL_HEADER", default=False):
    # Behind a TLS-terminating proxy that sets X-Forwarded-Proto (and strips it from clients).
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# Nothing logs a request's address, agent or body: Django's request loggers go through a
# filter that drops the request object, runserver's per-request lines are off, and no code
# of the portal logs what a reporter wrote. Run gunicorn without --access-logfile.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"no_request": {"()": "portal.reports.logfilters.DropRequest"}},
    "handlers": {
        "console": {"class": "logging.StreamHandler", "filters": ["no_request"]},
    },
    "root": {"handlers": ["console"], "level": "WARNING"},
    "loggers": {
        "django": {"handlers": [], "level": "WARNING", "propagate": True},
        "django.server": {"handlers": [], "level": "ERROR", "propagate": True},
        # Pillow logs EXIF tag values (a photo's description, GPS) at DEBUG: never let it.
        "PIL": {"level": "WARNING"},
        "pypdf": {"level": "WARNING"},
    },
}
