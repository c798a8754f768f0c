"""Django settings for Suivi.

Everything that differs between machines comes from the environment (see
``.env.example``). With no environment at all, Suivi runs on an embedded SQLite
file under ``var/`` with a generated secret key kept in ``var/secret_key``.
"""

from __future__ import annotations

import secrets
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

from suivi.env import env_bool, env_int, env_list, env_str

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(env_str("SUIVI_VAR_DIR", str(BASE_DIR / "var")))

DEBUG = env_bool("DEBUG", False)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

DEFAULT_SQLITE_PATH = VAR_DIR / "suivi.sqlite3"
DATABASE_URL = env_str("DATABASE_URL")
if DATABASE_URL:
    try:
        DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=60)}
    except ValueError as exc:
        raise ImproperlyConfigured(f"DATABASE_URL cannot be read: {exc}") from None
    # Read replicas (PostgreSQL streaming replicas): anonymous reads go there, writes and the
    # reads of people signed in stay on the primary (suivi/db_router.py).
    for number, url in enumerate(env_list("DATABASE_REPLICA_URLS", [])):
        try:
            DATABASES[f"replica_{number}"] = dj_database_url.parse(url, conn_max_age=60)
        except ValueError as exc:
            raise ImproperlyConfigured(f"DATABASE_REPLICA_URLS cannot be read ({url!r}): {exc}") from None
        DATABASES[f"replica_{number}"]["TEST"] = {"MIRROR": "default"}
    DATABASE_ROUTERS = ["suivi.db_router.ReplicaRouter"]
else:
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": DEFAULT_SQLITE_PATH,
            "OPTIONS": {
                "transaction_mode": "IMMEDIATE",
                "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
            },
        }
    }


def _missing(name: str) -> str:
    raise ImproperlyConfigured(f"{name} must be set when OIDC_ENABLED is.")


def _read_or_create_dev_secret() -> str:
    """A secret kept in ``var/`` so that sessions survive restarts of a dev server."""
    path = VAR_DIR / "secret_key"
    if path.exists():
        return path.read_text().strip()
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    key = secrets.token_urlsafe(50)
    path.write_text(key)
    path.chmod(0o600)
    return key


SECRET_KEY = env_str("SECRET_KEY")
if not SECRET_KEY and env_str("SECRET_KEY_FILE"):
    # A file the secret is kept in (a container secret, or `make serve-prod`'s var/prod-secret).
    try:
        SECRET_KEY = Path(env_str("SECRET_KEY_FILE")).read_text(encoding="utf-8").strip()
    except OSError as exc:
        raise ImproperlyConfigured(f"SECRET_KEY_FILE cannot be read: {exc}") from None
if not SECRET_KEY:
    if DATABASE_URL and not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY must be set when DATABASE_URL is (a production set-up).")
    SECRET_KEY = _read_or_create_dev_secret()

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.forms",
    "axes",
    "csp",
    "corsheaders",
    "ninja",
    "dsfr",
    "widget_tweaks",
    "simple_history",
    "django_tasks",
    "django_tasks_db",
    "suivi.territories",
    "suivi.sources",
    "suivi.catalogue",
    "suivi.indicators",
    "suivi.initiatives",
    "suivi.contributions",
    "suivi.imports",
    "suivi.reports",
    "suivi.backup",
    "suivi.search",
    "suivi.api",
    "suivi.opendata",
    "suivi.publication",
    "suivi.extraction",
    "suivi.ui",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "suivi.ui.errors.RejectMalformedMiddleware",
    "corsheaders.middleware.CorsMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Security headers and conditional GET apply to cached answers too: they sit outside the cache.
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django.middleware.http.ConditionalGetMiddleware",
    # Which database this request reads: a replica for anonymous reads, when there is one.
    "suivi.db_router.ReplicaMiddleware",
    # Anonymous GETs of public pages, downloads, feeds and the API are answered from the cache
    # here, before sessions and views (see suivi/publication/cache.py).
    "suivi.publication.cache.PublicCacheMiddleware",
    "suivi.api.middleware.MachineReadableMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # A database that cannot be reached gives a DSFR 503 page, not a trace.
    "suivi.ui.errors.DatabaseUnavailableMiddleware",
    # Last, as django-axes asks: it turns a locked-out login into the lockout page.
    "axes.middleware.AxesMiddleware",
]

# Content-Security-Policy (django-csp): only this site's own scripts, styles, fonts and images
# (the DSFR and dsfr-chart are served from here); no inline script or style, no framing.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}

ROOT_URLCONF = "suivi.urls"
WSGI_APPLICATION = "suivi.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "suivi.ui.context_processors.site",
            ],
        },
    },
]
FORM_RENDERER = "django.forms.renderers.TemplatesSetting"

# Accounts: email and password, throttled by django-axes; ProConnect (OpenID Connect) when configured.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "suivi.contributions.auth.EmailBackend",
]
LOGIN_URL = "contributions:login"
LOGIN_REDIRECT_URL = "contributions:dashboard"
LOGOUT_REDIRECT_URL = "publication:home"
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = env_int("AXES_COOLOFF_MINUTES", 15) / 60  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_USERNAME_FORM_FIELD = "username"
AXES_LOCKOUT_TEMPLATE = "contributions/locked_out.html"
AXES_RESET_ON_SUCCESS = True

OIDC_ENABLED = env_bool("OIDC_ENABLED", False)
if OIDC_ENABLED:
    INSTALLED_APPS.append("mozilla_django_oidc")
    AUTHENTICATION_BACKENDS.append("suivi.contributions.auth.ProConnectBackend")
    OIDC_RP_CLIENT_ID = env_str("OIDC_RP_CLIENT_ID") or _missing("OIDC_RP_CLIENT_ID")
    OIDC_RP_CLIENT_SECRET = env_str("OIDC_RP_CLIENT_SECRET") or _missing("OIDC_RP_CLIENT_SECRET")
    OIDC_OP_AUTHORIZATION_ENDPOINT = env_str("OIDC_OP_AUTHORIZATION_ENDPOINT") or _missing(
        "OIDC_OP_AUTHORIZATION_ENDPOINT"
    )
    OIDC_OP_TOKEN_ENDPOINT = env_str("OIDC_OP_TOKEN_ENDPOINT") or _missing("OIDC_OP_TOKEN_ENDPOINT")
    OIDC_OP_USER_ENDPOINT = env_str("OIDC_OP_USER_ENDPOINT") or _missing("OIDC_OP_USER_ENDPOINT")
    OIDC_OP_JWKS_ENDPOINT = env_str("OIDC_OP_JWKS_ENDPOINT") or _missing("OIDC_OP_JWKS_ENDPOINT")
    OIDC_RP_SIGN_ALGO = env_str("OIDC_RP_SIGN_ALGO", "RS256")
    OIDC_RP_SCOPES = env_str("OIDC_RP_SCOPES", "openid email given_name usual_name")
    # Accounts are made by administrators, who give the roles: ProConnect only proves who someone is.
    OIDC_CREATE_USER = False

# Production (a DATABASE_URL and no DEBUG): cookies only over HTTPS.
SECURE_COOKIES = env_bool("SECURE_COOKIES", bool(DATABASE_URL) and not DEBUG)
SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = SECURE_COOKIES

# Behind a reverse proxy that terminates TLS (README, "Production"): trust its X-Forwarded-Proto
# and X-Forwarded-Host, and let it redirect HTTP to HTTPS (or SECURE_SSL_REDIRECT here).
if env_bool("BEHIND_PROXY", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    USE_X_FORWARDED_HOST = True
# In production (served over HTTPS: SECURE_COOKIES on) HTTP is redirected and HSTS is sent.
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", SECURE_COOKIES)
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31536000 if SECURE_COOKIES else 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", True)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", SECURE_COOKIES)
# Health checks answer over plain HTTP too (a load balancer calls them on the private side).
SECURE_REDIRECT_EXEMPT = [r"^sante/"]
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True

# A local demo administrator is created by `make run` on the embedded database only.
SUIVI_DEMO_ACCOUNTS = env_bool("SUIVI_DEMO_ACCOUNTS", not DATABASE_URL)

# Public suggestions: at most this many per address and hour.
SUGGESTION_RATE_PER_HOUR = env_int("SUGGESTION_RATE_PER_HOUR", 5)

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "fr"
LANGUAGES = [("fr", "Français")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Paris"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
# Lets the dev server and the test client serve static files without collectstatic.
WHITENOISE_USE_FINDERS = True
MEDIA_ROOT = VAR_DIR / "media"

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Where the npm packages installed by `npm ci` live (the COG territories, the charts).
NODE_MODULES_DIR = Path(env_str("SUIVI_NODE_MODULES", str(BASE_DIR / "node_modules")))

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "WARNING")},
}

# The programme the home page shows (the first published one if it does not exist).
SUIVI_HOME_PROGRAMME = env_str("SUIVI_HOME_PROGRAMME", "ciec")

# Caches: Redis when REDIS_URL is set (production: one cache shared by every worker and
# machine), else files under var/cache/ (the embedded default: shared by the server and the
# background worker, no extra server needed).
REDIS_URL = env_str("REDIS_URL")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": env_str("CACHE_KEY_PREFIX", "suivi"),
        }
    }
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": str(VAR_DIR / "cache"),
            "OPTIONS": {"MAX_ENTRIES": 20000},
        }
    }
# Public responses are cached until the published record changes (suivi/publication/cache.py).
SUIVI_PAGE_CACHE = env_bool("SUIVI_PAGE_CACHE", True)
SUIVI_PAGE_CACHE_ALIAS = "default"
# What identifies the running code in cache keys (default: a digest of the source files).
SUIVI_RELEASE = env_str("SUIVI_RELEASE", "")

# The public address of the site, for the links a report or a download carries outside it.
SUIVI_SITE_URL = env_str("SUIVI_SITE_URL", "http://127.0.0.1:8000")

STATICFILES_DIRS = [("dsfr-chart", NODE_MODULES_DIR / "@gouvfr" / "dsfr-chart" / "dist")]

# The API, open data and feeds are open to any origin, read-only.
CORS_URLS_REGEX = r"^/(api|donnees|flux)/.*$"
CORS_ALLOW_ALL_ORIGINS = True
CORS_ALLOW_METHODS = ["GET", "HEAD", "OPTIONS"]
CORS_EXPOSE_HEADERS = ["ETag", "Last-Modified"]

# django-dsfr: mark optional fields, as the DSFR now recommends (the future default).
DSFR_MARK_OPTIONAL_FIELDS = True

# Background work (imports): django-tasks with its database backend, so the embedded
# default needs no extra server; `manage.py db_worker` runs them (`make run` starts one).
# TASKS_BACKEND=immediate runs them in the request instead (tests, one-off scripts).
TASKS_BACKEND = env_str("TASKS_BACKEND", "database")
_TASK_BACKENDS = {
    "database": "django_tasks_db.DatabaseBackend",
    "immediate": "django_tasks.backends.immediate.ImmediateBackend",
    # Production with a broker: RQ on Redis (REDIS_URL); workers: `manage.py rqworker
    # --job-class django_tasks_rq.Job default`. The tasks are the same code.
    "rq": "django_tasks_rq.RQBackend",
}
if TASKS_BACKEND not in _TASK_BACKENDS:
    raise ImproperlyConfigured(f"TASKS_BACKEND={TASKS_BACKEND!r} is not one of {', '.join(_TASK_BACKENDS)}.")
TASKS = {"default": {"BACKEND": _TASK_BACKENDS[TASKS_BACKEND], "QUEUES": ["default"]}}
if TASKS_BACKEND == "rq":
    if not REDIS_URL:
        raise ImproperlyConfigured("TASKS_BACKEND=rq needs REDIS_URL (the broker).")
    INSTALLED_APPS += ["django_rq", "django_tasks_rq"]
    RQ_QUEUES = {"default": {"URL": REDIS_URL, "DEFAULT_TIMEOUT": 3600}}
