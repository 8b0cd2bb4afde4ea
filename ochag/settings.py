"""Django settings for Ochag.

Everything deployment-specific comes from the environment; the defaults run the embedded
SQLite demo on 127.0.0.1 with no further configuration.
"""

import os
import secrets
from pathlib import Path

import dj_database_url
from django.utils.csp import CSP

# Everything the service writes — the SQLite database and its journal, the secret key, uploads,
# logs — is readable by the service user only: the umask covers files that libraries create
# (SQLite), the explicit modes below cover Django's uploads (whose default is 0644).
os.umask(0o077)

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("OCHAG_VAR_DIR", BASE_DIR / "var"))
VAR_DIR.mkdir(mode=0o700, parents=True, exist_ok=True)
VAR_DIR.chmod(0o700)
FILE_UPLOAD_PERMISSIONS = 0o600
FILE_UPLOAD_DIRECTORY_PERMISSIONS = 0o700


def _secret_key() -> str:
    """Read the key from the environment, else from a file outside the repo created once."""
    if key := os.environ.get("OCHAG_SECRET_KEY"):
        return key
    key_file = VAR_DIR / "secret_key"
    if not key_file.exists():
        key_file.write_text(secrets.token_urlsafe(50))
        key_file.chmod(0o600)
    return key_file.read_text().strip()


SECRET_KEY = _secret_key()
DEBUG = os.environ.get("OCHAG_DEBUG", "") == "1"
ALLOWED_HOSTS = os.environ.get("OCHAG_ALLOWED_HOSTS", "127.0.0.1,localhost,testserver").split(",")

# Our apps come first so their templates and translations take precedence over Django's
# (e.g. Django's own catalogue renders the field label "name" as «имя»).
INSTALLED_APPS = [
    "ochag.core",
    "ochag.access",
    "ochag.registry",
    "ochag.signals",
    "ochag.cases",
    "ochag.support",
    "ochag.care",
    "ochag.databank",
    "ochag.monitoring",
    "ochag.demo",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_tasks_db",
    "ninja",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "ochag.core.middleware.RequestIdMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "ochag.access.idle.IdleTimeoutMiddleware",
    "ochag.access.middleware.TwoFactorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "ochag.access.middleware.StaffLoginRequiredMiddleware",
]

ROOT_URLCONF = "ochag.urls"
WSGI_APPLICATION = "ochag.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.template.context_processors.csp",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "ochag.access.context_processors.shell",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{VAR_DIR / 'ochag.sqlite3'}"),
        conn_max_age=int(os.environ.get("OCHAG_DB_CONN_MAX_AGE", "0")),
    )
}
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    # WAL lets the background worker write while pages read.
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }
    # Tests use a file too: an in-memory database shared between threads answers "table is
    # locked" at once instead of waiting, so concurrency tests could not run against it.
    # One file per test run (process), so two runs in one checkout do not share it.
    DATABASES["default"]["TEST"] = {"NAME": str(VAR_DIR / f"test-ochag-{os.getpid()}.sqlite3")}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "access.User"
LOGIN_URL = "access:login"
LOGIN_REDIRECT_URL = "core:home"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Sessions end after 30 idle minutes; the page warns two minutes ahead (WCAG 2.2.1).
# Idle time is measured by ochag.access.idle from the last request a person made; background
# polls renew neither that stamp nor the stored session, which is saved only when changed and
# kept a little longer than the idle limit so the middleware can say why the session ended.
SESSION_IDLE_SECONDS = int(os.environ.get("OCHAG_SESSION_SECONDS", str(30 * 60)))
SESSION_COOKIE_AGE = SESSION_IDLE_SECONDS + 5 * 60
SESSION_SAVE_EVERY_REQUEST = False
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_WARNING_SECONDS = 120
CSRF_COOKIE_SAMESITE = "Lax"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
OCHAG_HTTPS = os.environ.get("OCHAG_HTTPS") == "1"
if OCHAG_HTTPS:
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_SSL_REDIRECT = True
    # A year, this domain and its subdomains, preload allowed: checked at start-up
    # (ochag/access/checks.py) so it cannot be switched off by accident.
    SECURE_HSTS_SECONDS = int(os.environ.get("OCHAG_HSTS_SECONDS", "31536000"))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = os.environ.get("OCHAG_HSTS_SUBDOMAINS", "1") == "1"
    SECURE_HSTS_PRELOAD = os.environ.get("OCHAG_HSTS_PRELOAD", "1") == "1"
    if os.environ.get("OCHAG_TRUSTED_PROXY_HEADER"):
        # TLS ends at our reverse proxy, which says so; without this every request would be
        # redirected to HTTPS again.
        SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# Login throttling (ochag/access/lockout.py): this many attempts with one login (or from one
# trusted browser) pause it for the given minutes; an address may try this many times in that
# time, whatever the logins.
LOGIN_MAX_FAILURES = 5
LOGIN_LOCKOUT_MINUTES = 15
LOGIN_MAX_PER_ADDRESS = int(os.environ.get("OCHAG_LOGIN_MAX_PER_ADDRESS", "50"))

# The client's address for rate limits: behind a reverse proxy set the header it appends the
# address to (e.g. X-Forwarded-For) and how many proxies of ours append to it; unset, the
# address is REMOTE_ADDR (ochag/access/addresses.py).
OCHAG_TRUSTED_PROXY_HEADER = os.environ.get("OCHAG_TRUSTED_PROXY_HEADER", "")
OCHAG_TRUSTED_PROXY_COUNT = int(os.environ.get("OCHAG_TRUSTED_PROXY_COUNT", "1"))

# The public report form: reports an hour from one address, and from everyone together.
OCHAG_PUBLIC_REPORTS_PER_ADDRESS = int(os.environ.get("OCHAG_PUBLIC_REPORTS_PER_ADDRESS", "5"))
OCHAG_PUBLIC_REPORTS_OVERALL = int(os.environ.get("OCHAG_PUBLIC_REPORTS_OVERALL", "300"))

# The address staff reach Ochag at, for links in e-mails.
OCHAG_SITE_URL = os.environ.get("OCHAG_SITE_URL", "http://127.0.0.1:8000")

SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.NONE],
    "frame-ancestors": [CSP.NONE],
    "form-action": [CSP.SELF],
}

LANGUAGE_CODE = "ru"
LANGUAGES = [("ru", "Русский"), ("en", "English")]
LOCALE_PATHS: list[Path] = []
TIME_ZONE = os.environ.get("OCHAG_TIME_ZONE", "Europe/Moscow")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = VAR_DIR / "static"
STATIC_ROOT.mkdir(exist_ok=True)
STATICFILES_DIRS = [BASE_DIR / "ochag" / "static"]
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = DEBUG
# Attachments live outside the web root and are served only through the access policy.
PRIVATE_MEDIA_ROOT = Path(os.environ.get("OCHAG_PRIVATE_MEDIA", VAR_DIR / "private"))

# Mail: the console in development. For a real relay set OCHAG_EMAIL_BACKEND to
# django.core.mail.backends.smtp.EmailBackend
# with OCHAG_EMAIL_HOST / OCHAG_EMAIL_PORT for a real relay.
MAILERS = {
    "default": {
        "BACKEND": os.environ.get(
            "OCHAG_EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend"
        ),
        "OPTIONS": (
            {
                "host": os.environ.get("OCHAG_EMAIL_HOST", "127.0.0.1"),
                "port": int(os.environ.get("OCHAG_EMAIL_PORT", "25")),
            }
            if os.environ.get("OCHAG_EMAIL_BACKEND", "").endswith("smtp.EmailBackend")
            else {}
        ),
    }
}
DEFAULT_FROM_EMAIL = os.environ.get("OCHAG_FROM_EMAIL", "ochag@localhost")

TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

# Monitoring reports on open cases are due every this many months (a regional setting).
OCHAG_CASES_MONITORING_MONTHS = int(os.environ.get("OCHAG_CASES_MONITORING_MONTHS", "1"))

# The plain INSERT of ochag.core.inserts, switched off ("0") only to measure what it buys
# (bench/intake/switches.sh, issue 11 §6).
OCHAG_PLAIN_INSERTS = os.environ.get("OCHAG_PLAIN_INSERTS", "1") != "0"
# The API's combined writes (ochag.core.combining), likewise switched off only to measure them.
OCHAG_API_COMBINER = os.environ.get("OCHAG_API_COMBINER", "1") != "0"
# The intake's tolerance (issue 19): its second, error-tolerant look-up
# (ochag.registry.candidates.Linker._widen) and its scorer's blocking by near and swapped names,
# switched off ("0") only to measure what they cost next to the rest (bench/intake): without
# them a known child reported with a date or a name slip is created again.
OCHAG_INTAKE_TOLERANT = os.environ.get("OCHAG_INTAKE_TOLERANT", "1") != "0"

# Bulk import: rows per transaction, and how long a worker may stay silent before its import
# counts as stalled and is resumed by another (ochag.signals.bulk).
OCHAG_IMPORT_BATCH = int(os.environ.get("OCHAG_IMPORT_BATCH", "500"))
OCHAG_IMPORT_LEASE_SECONDS = int(os.environ.get("OCHAG_IMPORT_LEASE_SECONDS", "120"))

# Seed of the synthetic demo region.
OCHAG_DEMO_SEED = int(os.environ.get("OCHAG_DEMO_SEED", "20261123"))

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("OCHAG_LOG_LEVEL", "WARNING")},
}
