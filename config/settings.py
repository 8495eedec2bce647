"""Settings of the internal app, read from the environment (see .env.example).

XUNSHI_ENV is one of ``dev`` (a laptop: `make run` writes random keys into .env),
``test`` (the suite: throwaway keys are made per process) or ``production`` (every key
must be given; the app refuses to start otherwise).
"""

from __future__ import annotations

import contextlib
import os
import secrets
import tempfile
from pathlib import Path
from typing import Any

import environ
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from xunshi.lib.crypto import derive_key, sm2_generate_keypair

BASE_DIR = Path(__file__).resolve().parent.parent
env = environ.Env()
if (BASE_DIR / ".env").exists() and os.environ.get("XUNSHI_ENV") != "test":
    environ.Env.read_env(BASE_DIR / ".env")

XUNSHI_ENV = env.str("XUNSHI_ENV", default="production")
if XUNSHI_ENV not in {"dev", "test", "production"}:
    raise ImproperlyConfigured("XUNSHI_ENV must be dev, test or production")
DEBUG = env.bool("XUNSHI_DEBUG", default=XUNSHI_ENV == "dev")


def _key(name: str, nbytes: int) -> str:
    value = str(env.str(name, default=""))
    if value:
        return value
    if XUNSHI_ENV == "test":
        return secrets.token_hex(nbytes)
    raise ImproperlyConfigured(f"{name} is not set: see .env.example")


SECRET_KEY = _key("XUNSHI_SECRET_KEY", 32)
# The field-encryption master key (SM4) is kept apart from SECRET_KEY so that one leak
# does not give away the other.
FIELD_MASTER_KEY = bytes.fromhex(_key("XUNSHI_FIELD_KEY", 16))
if len(FIELD_MASTER_KEY) != 16:
    raise ImproperlyConfigured("XUNSHI_FIELD_KEY must be 32 hex digits (16 bytes)")
# During a key rotation only: the previous field key, still read, never written with (see
# xunshi/lib/sealed_fields.py and `manage.py rotate_field_key`).
FIELD_MASTER_KEY_OLD = bytes.fromhex(str(env.str("XUNSHI_FIELD_KEY_OLD", default=""))) or None
if FIELD_MASTER_KEY_OLD is not None and len(FIELD_MASTER_KEY_OLD) != 16:
    raise ImproperlyConfigured("XUNSHI_FIELD_KEY_OLD must be 32 hex digits (16 bytes)")


def _dev_key_file(name: str, make: Any) -> str:
    """A key kept in var/keys/<name> (0600, in a 0700 directory), made on first use: a laptop
    needs no setup, production gives every key in the environment."""
    keys = BASE_DIR / "var" / "keys"
    keys.mkdir(mode=0o700, parents=True, exist_ok=True)
    path = keys / name
    if not path.exists():
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as out:
            out.write(str(make()))
    return path.read_text().strip()


def _audit_secret(name: str, nbytes: int, dev_file: str) -> str:
    value = str(env.str(name, default=""))
    if value:
        return value
    if XUNSHI_ENV == "test":
        # Derived from the field key, so that the processes of one browser test (which share
        # a database and a field key) share it too; production gives its own.
        return derive_key(FIELD_MASTER_KEY, "test-audit-key")[:nbytes].hex()
    if XUNSHI_ENV == "dev":
        return _dev_key_file(dev_file, lambda: secrets.token_hex(nbytes))
    return _key(name, nbytes)


# The audit key (HMAC-SM3 of the audit head and of a failed sign-in's user name) is held by the
# app, never by the database: someone who can write the database cannot re-MAC a cut-short head.
AUDIT_KEY = bytes.fromhex(_audit_secret("XUNSHI_AUDIT_KEY", 16, "audit.key"))
if len(AUDIT_KEY) != 16:
    raise ImproperlyConfigured("XUNSHI_AUDIT_KEY must be 32 hex digits (16 bytes)")


def _backup_key() -> str:
    value = str(env.str("XUNSHI_BACKUP_KEY", default=""))
    if value or XUNSHI_ENV == "production":
        return value
    if XUNSHI_ENV == "test":  # shared by the processes of one test, like the audit key
        return derive_key(FIELD_MASTER_KEY, "test-backup-key").hex()
    return _dev_key_file("backup.key", lambda: secrets.token_hex(16))


# The backup key (SM4) seals the archives of `manage.py backup` (xunshi/ops/README.md), apart
# from the field key so that an archive and a leaked app key are not one loss. Production may
# start without it; `backup` and `restore` then refuse.
XUNSHI_BACKUP_KEY = bytes.fromhex(_backup_key())
if XUNSHI_BACKUP_KEY and len(XUNSHI_BACKUP_KEY) != 16:
    raise ImproperlyConfigured("XUNSHI_BACKUP_KEY must be 32 hex digits (16 bytes)")


ALLOWED_HOSTS = env.list("XUNSHI_ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "testserver"])

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_htmx",
    "axes",
    # The second factor (xunshi/accounts/otp.py): TOTP authenticators and recovery codes.
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "django_tasks",
    "django_tasks_db",
    "xunshi.accounts",
    "xunshi.audit",
    "xunshi.searchindex",  # searchindex: the full-text index and its writer (issue 14)
    "xunshi.jobs",
    "xunshi.registry",
    "xunshi.doctemplates",  # doctemplates: the documents' wording the office edits (issue 14)
    "xunshi.rounds",
    "xunshi.deadlines",
    "xunshi.files",
    "xunshi.fieldwork",
    "xunshi.decisions",  # decisions: the leading group's records (issue 11)
    "xunshi.knowledge",  # knowledge: 知识库, regulations, cases, 定性 (issue 14)
    "xunshi.findings",
    "xunshi.rectification",
    "xunshi.pdfjobs",  # pdfjobs: every Word document also as PDF, in the worker (issue 14)
    "xunshi.intake",  # intake: the public portal's submissions (issue 5)
    "xunshi.oversight",  # oversight: reporting up and the view of the bodies below (issue 10)
    "xunshi.dashboards",  # dashboards: charts and tables of the own body's work (issue 11)
    "xunshi.lifecycle",
    "xunshi.users",
    "xunshi.web",
    "xunshi.search",  # search: the search page over every kind a user may read (issue 14)
    "xunshi.desk",  # desk: the home page per role and the reminders (issue 11)
    "xunshi.ops",  # ops: backup and restore (issue 12)
    "xunshi.demo",
    "xunshi.api",  # api: the REST API and personal API tokens (issue 14)
    "ninja",  # its Swagger UI from ninja's own static files, never a CDN
]

MIDDLEWARE = [
    "xunshi.web.jsonlog.RequestIdMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "xunshi.web.middleware.SecurityHeadersMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "xunshi.web.middleware.ChosenLanguageOnlyMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",  # the device that verified this session, if any
    "xunshi.accounts.middleware.LoginRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "xunshi.web.context.navigation",
            ],
        },
    }
]

DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'var' / 'xunshi.sqlite3'}")
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets the worker write while the web process reads; IMMEDIATE avoids the
    # "database is locked" upgrade deadlock between two writers. secure_delete (Debian's
    # default, said here for other builds) overwrites what a change removes, so that a text
    # replaced or sealed (issue 12) leaves no old copy in the file's free space. mmap_size
    # reads the file through the OS's page cache, which every connection shares, instead of
    # each connection's own 2 MB cache, cold at each request: the search looks up a few
    # thousand matched rows of the index per query (BENCHMARKS-search.md).
    DATABASES["default"]["OPTIONS"] = {
        "init_command": (
            "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA secure_delete=ON;"
            " PRAGMA mmap_size=2147483648;"
        ),
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }
DATABASES["default"]["ATOMIC_REQUESTS"] = False
# Outside the tests a connection is kept for a minute and checked before it is used again:
# opening one costs PostgreSQL a backend's start and SQLite a cold page cache, which a search
# over a million index entries reads again (p95 64 ms warm against 120 ms on a new
# connection, BENCHMARKS-search.md). The tests keep Django's default, one per request.
if XUNSHI_ENV != "test":
    DATABASES["default"]["CONN_MAX_AGE"] = env.int("XUNSHI_DB_CONN_MAX_AGE", default=60)
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True


def _private_files() -> None:
    """var/ 0700 and the SQLite database with its WAL 0600: files made before the umask of
    manage.py and wsgi.py (0077) was set are tightened on start (issue 12)."""
    paths = [(BASE_DIR / "var", 0o700)]
    if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
        name = str(DATABASES["default"]["NAME"])
        paths += [(Path(name + suffix), 0o600) for suffix in ("", "-wal", "-shm", "-journal")]
    for path, mode in paths:
        # Not there yet, or another user's (a read-only checkout): nothing to tighten here.
        with contextlib.suppress(OSError):
            path.chmod(mode)


if XUNSHI_ENV != "test":
    _private_files()

# --- scale-out (issue 13; docs/scaling.md): what every web process and worker shares ------------
# Nothing a request depends on lives in one process: sign-in failures and their challenges
# (`LoginThrottle`, `LoginChallenge`), the account lock (django-axes' database handler), jobs
# and the worker's heartbeat are rows of the database; sessions follow the database (below).
# Redis (XUNSHI_REDIS_URL) carries the task queue when XUNSHI_TASKS=redis and is the default
# cache; without it the default cache keeps nothing (no code of Xunshi caches through it, and a
# per-process cache would answer differently from one process to the next).
XUNSHI_REDIS_URL = str(env.str("XUNSHI_REDIS_URL", default=""))
if XUNSHI_REDIS_URL and not XUNSHI_REDIS_URL.startswith(("redis://", "rediss://", "unix://")):
    raise ImproperlyConfigured("XUNSHI_REDIS_URL must be a redis://, rediss:// or unix:// URL")
CACHES: dict[str, dict[str, Any]] = {
    "default": {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": XUNSHI_REDIS_URL,
    }
    if XUNSHI_REDIS_URL
    else {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # SQLite has one writer at a time: sessions saved on every request (the idle timeout)
    # would wait behind a long import. Keep them in a server-side file cache instead, still
    # deleted at logout: SQLite is one machine's database, and every process of that machine
    # shares the directory. The suite gives each process a directory of its own unless
    # XUNSHI_SESSIONS_DIR names one (the tests that run two web processes share it).
    # PostgreSQL keeps them in its table (Django's default), for every process and machine.
    SESSION_ENGINE = "django.contrib.sessions.backends.cache"
    SESSION_CACHE_ALIAS = "sessions"
    CACHES["sessions"] = {
        "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
        "LOCATION": str(
            env.str(
                "XUNSHI_SESSIONS_DIR",
                default=tempfile.mkdtemp(prefix="xunshi-sessions-")
                if XUNSHI_ENV == "test"
                else str(BASE_DIR / "var" / "sessions"),
            )
        ),
        "OPTIONS": {"MAX_ENTRIES": 10000},
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
# Django's rules with their messages in Chinese (xunshi/accounts/passwords.py).
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "xunshi.accounts.passwords.UserAttributeSimilarityValidator"},
    {"NAME": "xunshi.accounts.passwords.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "xunshi.accounts.passwords.CommonPasswordValidator"},
    {"NAME": "xunshi.accounts.passwords.CharacterClassValidator"},
    {"NAME": "xunshi.accounts.passwords.ContextWordValidator"},
    {"NAME": "xunshi.accounts.passwords.PasswordHistoryValidator"},
]
# Django's default list, its PBKDF2-SHA256 computed by xunshi/accounts/hashers.py (the same
# hashes and iterations, in half the time). Two hashers of one algorithm name cannot both be
# listed: the later would decide for every stored hash of that name.
PASSWORD_HASHERS = [
    "xunshi.accounts.hashers.PBKDF2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2SHA1PasswordHasher",
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.BCryptSHA256PasswordHasher",
    "django.contrib.auth.hashers.ScryptPasswordHasher",
]
if XUNSHI_ENV == "test":
    # Hashing at full strength would make the suite crawl; production keeps the default.
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# Failed sign-ins slow down the client that makes them (xunshi/accounts/throttle.py): per user
# name and client address, no delay for the first LOGIN_DELAY_AFTER failures, then 2, 4, 8 …
# seconds up to LOGIN_DELAY_MAX, and from LOGIN_CHALLENGE_AFTER on a proof of work of
# LOGIN_CHALLENGE_BITS zero bits with every try; failures older than LOGIN_THROTTLE_WINDOW
# seconds are forgotten.
LOGIN_DELAY_AFTER = 3
LOGIN_DELAY_MAX = 300
LOGIN_CHALLENGE_AFTER = 5
LOGIN_CHALLENGE_BITS = 16
LOGIN_CHALLENGE_TTL = 600
LOGIN_THROTTLE_WINDOW = 3600
# MLPS level 3 locks the account after repeated failures, for 30 minutes, by user name; a
# lock that five guesses from anybody could set would lock out the security admin, so the
# account is locked only after 50 failures from all clients together (the throttle above
# keeps one client far from that), and the security admin is alerted.
AXES_FAILURE_LIMIT = 50
AXES_COOLOFF_TIME = 0.5
# The lock ends 30 minutes after it began: tries while locked do not make it longer, so that
# an attacker cannot keep an account locked with one guess every half hour.
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_LOCKOUT_PARAMETERS = ["username"]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "xunshi.accounts.views.locked_out"
AXES_VERBOSE = False
AXES_ENABLE_ACCESS_FAILURE_LOG = True
# Locking by address would lock a whole office behind one NAT address; MLPS asks for the
# account to be locked, which is what the user-name parameter does.
SILENCED_SYSTEM_CHECKS = ["axes.W006"]

# The client's address, for the sign-in throttle and django-axes alike (one function:
# `xunshi.accounts.throttle.client_ip`): REMOTE_ADDR, unless the app stands behind
# XUNSHI_TRUSTED_PROXIES reverse proxies (nginx: 1), which append the address they saw to
# X-Forwarded-For; then the entry that many places from the right, the one the nearest
# trusted proxy wrote. What a client puts in the header itself is further left and ignored.
XUNSHI_TRUSTED_PROXIES = env.int("XUNSHI_TRUSTED_PROXIES", default=0)
AXES_CLIENT_IP_CALLABLE = "xunshi.accounts.throttle.client_ip"
if env.bool("XUNSHI_PROXY_SSL_HEADER", default=False):
    # Behind a TLS-terminating proxy that sets X-Forwarded-Proto (deploy/nginx: it does).
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# The second factor (xunshi/accounts/otp.py): the name authenticator apps show, and no
# drift learnt from the codes typed (one step either way is accepted, never more).
OTP_TOTP_ISSUER = "巡视巡察工作平台"
OTP_TOTP_SYNC = False

# Idle timeout of 30 minutes: every request pushes the expiry forward.
SESSION_COOKIE_AGE = 30 * 60
SESSION_SAVE_EVERY_REQUEST = True
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
if XUNSHI_ENV == "production":
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_SSL_REDIRECT = env.bool("XUNSHI_SSL_REDIRECT", default=True)
    SECURE_HSTS_SECONDS = 31536000
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = env.bool("XUNSHI_HSTS_PRELOAD", default=True)
    # The health check answers a load balancer on plain HTTP too.
    SECURE_REDIRECT_EXEMPT = [r"^healthz$"]

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", _("简体中文")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "var" / "static"
# Front-end libraries come from npm (package.json) and are served straight from
# node_modules, never copied by hand into the repository.
STATICFILES_DIRS = [
    BASE_DIR / "static",
    ("vendor/htmx", BASE_DIR / "node_modules" / "htmx.org" / "dist"),
    ("vendor/echarts", BASE_DIR / "node_modules" / "echarts" / "dist"),
]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if XUNSHI_ENV != "production"
        else "whitenoise.storage.CompressedStaticFilesStorage"
    },
}
WHITENOISE_USE_FINDERS = XUNSHI_ENV != "production"
MEDIA_ROOT = Path(env.str("XUNSHI_MEDIA_ROOT", default=str(BASE_DIR / "var" / "media")))
FILE_UPLOAD_PERMISSIONS = 0o600
FILE_UPLOAD_DIRECTORY_PERMISSIONS = 0o700
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
XUNSHI_IMPORT_MAX_BYTES = 20 * 1024 * 1024
# Evidence and attachments: kept outside anything the web server serves, readable only by
# the app's user; every download goes through an audited view.
XUNSHI_FILES_ROOT = Path(
    env.str(
        "XUNSHI_FILES_ROOT",
        default=tempfile.mkdtemp(prefix="xunshi-files-")
        if XUNSHI_ENV == "test"
        else str(BASE_DIR / "var" / "files"),
    )
)
# jieba's dictionary cache (the full-text search's segmenter, xunshi/searchindex/tokens.py):
# written once, read by every process at its first search or indexed write.
XUNSHI_SEGMENTER_DIR = Path(
    env.str("XUNSHI_SEGMENTER_DIR", default=str(BASE_DIR / "var" / "jieba"))
)
XUNSHI_UPLOAD_MAX_BYTES = env.int("XUNSHI_UPLOAD_MAX_BYTES", default=20 * 1024 * 1024)
# Documents as PDF (xunshi/pdfjobs): LibreOffice's command, the longest a conversion may take,
# and the folder of its profiles and passing files (0700; the PDFs themselves go to files).
XUNSHI_SOFFICE = env.str("XUNSHI_SOFFICE", default="soffice")
XUNSHI_PDF_TIMEOUT = env.float("XUNSHI_PDF_TIMEOUT", default=120.0)
XUNSHI_PDF_WORK = Path(
    env.str("XUNSHI_PDF_WORK", default="")
    or (
        Path(tempfile.gettempdir()) / "xunshi-soffice"
        if XUNSHI_ENV == "test"
        else BASE_DIR / "var" / "soffice"
    )
)

# The task queue (XUNSHI_TASKS): `database` (django-tasks-db: the default, nothing more to run),
# `redis` (django-tasks-rq on XUNSHI_REDIS_URL: workers on several machines take from one
# queue) or `immediate` (the task runs inside the request: the suite's default, never in
# production). `manage.py jobs_worker` serves either queue and beats the heartbeat for both.
XUNSHI_TASKS = str(
    env.str("XUNSHI_TASKS", default="immediate" if XUNSHI_ENV == "test" else "database")
)
_TASK_BACKENDS = {
    "immediate": "django_tasks.backends.immediate.ImmediateBackend",
    "database": "django_tasks_db.backend.DatabaseBackend",
    "redis": "django_tasks_rq.RQBackend",
}
if XUNSHI_TASKS not in _TASK_BACKENDS or (XUNSHI_TASKS == "immediate" and XUNSHI_ENV != "test"):
    raise ImproperlyConfigured("XUNSHI_TASKS must be database or redis")
TASKS: dict[str, dict[str, Any]] = {"default": {"BACKEND": _TASK_BACKENDS[XUNSHI_TASKS]}}
if XUNSHI_TASKS == "redis":
    if not XUNSHI_REDIS_URL:
        raise ImproperlyConfigured("XUNSHI_TASKS=redis needs XUNSHI_REDIS_URL")
    INSTALLED_APPS.append("django_rq")
    TASKS["default"]["QUEUES"] = ["default"]
    RQ_QUEUES = {
        # RQ kills a task after DEFAULT_TIMEOUT seconds (its own default is 180): longer than
        # any job here, which stop at their own limits (a planning run, an import).
        "default": {"URL": XUNSHI_REDIS_URL, "DEFAULT_TIMEOUT": 6 * 3600},
    }
    # A task is pushed once the transaction that made its job commits (RQ's default, said
    # here): a worker never takes a job whose row it cannot see yet.
    RQ = {"COMMIT_MODE": "on_db_commit"}
# --- end scale-out --------------------------------------------------------------------------------

# --- intake: the public portal (issue 5; see xunshi/intake/README.md) -------------------------
XUNSHI_PORTAL_URL = str(env.str("XUNSHI_PORTAL_URL", default="http://127.0.0.1:8001")).rstrip("/")
# The bearer token of the portal's API; the portal keeps only its SM3 digest.
XUNSHI_PORTAL_TOKEN = str(env.str("XUNSHI_PORTAL_TOKEN", default=""))
XUNSHI_PORTAL_PULL_SECONDS = env.int("XUNSHI_PORTAL_PULL_SECONDS", default=60)
# The office's SM2 key pair (hex): submissions are sealed to the public key on the portal and
# opened here with the private key, which nothing else holds.
XUNSHI_OFFICE_SM2_PRIVATE_KEY = str(env.str("XUNSHI_OFFICE_SM2_PRIVATE_KEY", default=""))
XUNSHI_OFFICE_SM2_PUBLIC_KEY = str(env.str("XUNSHI_OFFICE_SM2_PUBLIC_KEY", default=""))
if XUNSHI_ENV == "test" and not XUNSHI_OFFICE_SM2_PRIVATE_KEY:
    try:  # a throwaway pair per process; the tests seal with its public key
        from envelope import generate_keypair

        XUNSHI_OFFICE_SM2_PRIVATE_KEY, XUNSHI_OFFICE_SM2_PUBLIC_KEY = generate_keypair()
    except ImportError:  # the shared package is not there yet
        pass
    XUNSHI_PORTAL_TOKEN = XUNSHI_PORTAL_TOKEN or secrets.token_urlsafe(32)
# --- end intake ---------------------------------------------------------------------------------

# --- audit checkpoints (issue 12; see xunshi/audit/README.md) ---------------------------------
# Every AUDIT_CHECKPOINT_EVENTS events, every AUDIT_CHECKPOINT_MINUTES and at each verification,
# the chain's end (count, last id, last hash, time) is signed with the audit SM2 key and appended
# to AUDIT_CHECKPOINT_DIR/checkpoints.jsonl, a place the database user cannot write (0700/0600;
# in production a directory of its own, `chattr +a` on the file), and to syslog when
# AUDIT_CHECKPOINT_SYSLOG is set ("/dev/log" or "host:port").
AUDIT_CHECKPOINT_DIR = Path(
    str(env.str("XUNSHI_AUDIT_CHECKPOINT_DIR", default=""))
    # The suite: one directory per process, made only when a checkpoint is written.
    or (
        str(Path(tempfile.gettempdir()) / f"xunshi-audit-{secrets.token_hex(8)}")
        if XUNSHI_ENV == "test"
        else str(BASE_DIR / "var" / "audit")
    )
)
# The suite's transactions never commit, so no checkpoint is written on the way: a trail the
# length of the demo's needs none there (the tests of checkpoints set their own interval).
AUDIT_CHECKPOINT_EVENTS = env.int(
    "XUNSHI_AUDIT_CHECKPOINT_EVENTS", default=1_000_000 if XUNSHI_ENV == "test" else 1000
)
AUDIT_CHECKPOINT_MINUTES = env.int("XUNSHI_AUDIT_CHECKPOINT_MINUTES", default=10)
AUDIT_CHECKPOINT_SYSLOG = str(env.str("XUNSHI_AUDIT_CHECKPOINT_SYSLOG", default=""))
AUDIT_SM2_PRIVATE_KEY = str(env.str("XUNSHI_AUDIT_SM2_PRIVATE_KEY", default=""))
AUDIT_SM2_PUBLIC_KEY = str(env.str("XUNSHI_AUDIT_SM2_PUBLIC_KEY", default=""))
if not AUDIT_SM2_PRIVATE_KEY and XUNSHI_ENV in {"dev", "test"}:
    if XUNSHI_ENV == "test":  # a throwaway pair per process
        AUDIT_SM2_PRIVATE_KEY, AUDIT_SM2_PUBLIC_KEY = sm2_generate_keypair()
    else:
        AUDIT_SM2_PRIVATE_KEY, AUDIT_SM2_PUBLIC_KEY = _dev_key_file(
            "audit-sm2.key", lambda: " ".join(sm2_generate_keypair())
        ).split()
if XUNSHI_ENV == "production" and not (AUDIT_SM2_PRIVATE_KEY and AUDIT_SM2_PUBLIC_KEY):
    raise ImproperlyConfigured(
        "XUNSHI_AUDIT_SM2_PRIVATE_KEY and XUNSHI_AUDIT_SM2_PUBLIC_KEY are not set: see .env.example"
    )
# --- end audit checkpoints ----------------------------------------------------------------------

# Oversight: how often `manage.py oversight_figures --every` counts every lower body's figures
# for the pages of the bodies above (a province's page reads them while they are younger than
# twice this, and counts the others itself).
XUNSHI_OVERSIGHT_FIGURES_SECONDS = env.int("XUNSHI_OVERSIGHT_FIGURES_SECONDS", default=300)

# Dashboards: how long a page's figures are kept in the cache (Redis; none with DummyCache), keyed
# by the body, the role, the filters and the day; the page says when they were counted.
XUNSHI_DASHBOARD_CACHE_SECONDS = env.int("XUNSHI_DASHBOARD_CACHE_SECONDS", default=300)

# Desk: the reminders (issue 11). `manage.py reminders --every` writes the in-app reminders this
# often and sends each person at most one digest a day, by e-mail only when EMAIL_HOST is set.
XUNSHI_REMINDERS_SECONDS = env.int("XUNSHI_REMINDERS_SECONDS", default=3600)
EMAIL_HOST = str(env.str("EMAIL_HOST", default=""))
EMAIL_PORT = env.int("EMAIL_PORT", default=25)
EMAIL_HOST_USER = str(env.str("EMAIL_HOST_USER", default=""))
EMAIL_HOST_PASSWORD = str(env.str("EMAIL_HOST_PASSWORD", default=""))
EMAIL_USE_TLS = env.bool("EMAIL_USE_TLS", default=False)
EMAIL_USE_SSL = env.bool("EMAIL_USE_SSL", default=False)
EMAIL_TIMEOUT = env.int("EMAIL_TIMEOUT", default=20)
DEFAULT_FROM_EMAIL = str(env.str("DEFAULT_FROM_EMAIL", default="xunshi@localhost"))
# The link in a digest: the address people open the app at.
XUNSHI_BASE_URL = str(env.str("XUNSHI_BASE_URL", default="http://127.0.0.1:8000")).rstrip("/")

# Health (`/healthz`, xunshi/web/health.py): the task worker (`manage.py jobs_worker`) beats
# every XUNSHI_HEARTBEAT_SECONDS and counts as down after XUNSHI_HEALTH_WORKER_SECONDS of
# silence; the portal as unreachable when the puller's last try failed or is older than
# XUNSHI_HEALTH_PORTAL_SECONDS; the disks of var/ and the files as full below
# XUNSHI_HEALTH_DISK_MIN_MB megabytes free.
XUNSHI_HEARTBEAT_SECONDS = env.int("XUNSHI_HEARTBEAT_SECONDS", default=30)
XUNSHI_HEALTH_WORKER_SECONDS = env.int("XUNSHI_HEALTH_WORKER_SECONDS", default=120)
XUNSHI_HEALTH_PORTAL_SECONDS = env.int(
    "XUNSHI_HEALTH_PORTAL_SECONDS", default=3 * XUNSHI_PORTAL_PULL_SECONDS + 30
)
XUNSHI_HEALTH_DISK_MIN_MB = env.int("XUNSHI_HEALTH_DISK_MIN_MB", default=1024)

# Production logs one JSON object per line to standard output (journald keeps it): time,
# level, logger, message, the request id nginx set, an error's traceback; never a request's
# body (xunshi/web/jsonlog.py). XUNSHI_LOG_JSON turns it on or off elsewhere.
LOG_JSON = env.bool("XUNSHI_LOG_JSON", default=XUNSHI_ENV == "production")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    # A refused request (403, a suspicious one) is one line, not a traceback.
    "filters": {
        "refusal_one_line": {"()": "xunshi.web.logfilters.RefusalOneLine"},
        "request_id": {"()": "xunshi.web.jsonlog.RequestIdFilter"},
    },
    "formatters": {"json": {"()": "xunshi.web.jsonlog.JsonFormatter"}},
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "stream": "ext://sys.stdout" if LOG_JSON else "ext://sys.stderr",
            "filters": ["refusal_one_line", "request_id"],
            **({"formatter": "json"} if LOG_JSON else {}),
        }
    },
    "root": {"handlers": ["console"], "level": env.str("XUNSHI_LOG_LEVEL", default="WARNING")},
    "loggers": {"axes": {"level": "ERROR"}},
}
