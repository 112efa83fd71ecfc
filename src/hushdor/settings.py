"""Django settings, read from the environment (never at import time of library code).

Environment:
  HUSHDOR_DATABASE_URL   sqlite:///var/hushdor.sqlite3 (default, WAL) or postgresql://user@host:port/db
  HUSHDOR_VAR_DIR        where the embedded database, secret key and artefacts live (default ./var)
  HUSHDOR_SECRET_KEY     secret key; generated once under HUSHDOR_VAR_DIR when not given
  HUSHDOR_DEBUG          "1" to turn debugging on (off by default)
  HUSHDOR_ALLOWED_HOSTS  comma-separated host names (default: localhost,127.0.0.1,[::1],testserver)
  HUSHDOR_LANGUAGE       default interface language: tg, ru or en (default en)
  HUSHDOR_CAP_AUTHORITY  the authority part of WMO-register CAP identifiers (default 1)
  HUSHDOR_CAP_SENDER     CAP <sender> of our alerts (default coes.tj)
  HUSHDOR_NODE_ID        this node's EDXL senderID in exchanges with peers (default hushdor@<CAP sender>)
  HUSHDOR_NODE_NAME      the name partners see (default: Committee of Emergency Situations, Tajikistan)
  HUSHDOR_PUBLIC_URL     absolute base URL of the public site (default http://127.0.0.1:8000)
  HUSHDOR_CAP_KEY / HUSHDOR_CAP_CERT  PEM files signing our CAP alerts (self-signed under var/cap when unset)
  HUSHDOR_CAP_TRUSTED_CERTS  folder of PEM certificates whose signatures ingested CAP must carry
  (feeds, association and warning policy: see docs/operations.md, "Configuration reference")
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path

import dj_database_url

PACKAGE_DIR = Path(__file__).resolve().parent
VAR_DIR = Path(os.environ.get("HUSHDOR_VAR_DIR", "var")).resolve()


def _truthy(value: str | None) -> bool:
    return (value or "").strip().lower() in {"1", "true", "yes", "on"}


def _secret_key() -> str:
    if key := os.environ.get("HUSHDOR_SECRET_KEY"):
        return key
    path = VAR_DIR / "secret_key"
    try:
        return path.read_text().strip()
    except FileNotFoundError:
        VAR_DIR.mkdir(parents=True, exist_ok=True)
        key = secrets.token_urlsafe(50)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as handle:
            handle.write(key)
        return key


def _database(url: str) -> dict:
    if url.startswith("sqlite:///"):
        name = url.removeprefix("sqlite:///")
        path = Path(name)
        if not path.is_absolute() and name != ":memory:":
            path = (Path.cwd() / path).resolve()
        if name != ":memory:":
            path.parent.mkdir(parents=True, exist_ok=True)
        return {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": str(path) if name != ":memory:" else ":memory:",
            "OPTIONS": {
                "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=10000;",
                "transaction_mode": "IMMEDIATE",
            },
            "TEST": {"NAME": None},
            # Keep each thread's connection: opening SQLite and running the PRAGMAs per request costs
            # more than most requests do.
            "CONN_MAX_AGE": 600,
            "CONN_HEALTH_CHECKS": True,
        }
    config = dj_database_url.parse(url, conn_max_age=60, conn_health_checks=True)
    if config["ENGINE"].endswith("postgresql"):
        config["ENGINE"] = "django.db.backends.postgresql"
    return config


SECRET_KEY = _secret_key()
DEBUG = _truthy(os.environ.get("HUSHDOR_DEBUG"))
ALLOWED_HOSTS = [
    h.strip()
    for h in os.environ.get("HUSHDOR_ALLOWED_HOSTS", "localhost,127.0.0.1,[::1],testserver").split(",")
    if h.strip()
]
CAP_AUTHORITY = os.environ.get("HUSHDOR_CAP_AUTHORITY", "1")

# Dissemination: the SMTP server e-mail warnings go through, and whether webhooks may target private
# addresses (off: a subscriber's URL must not reach into the operations centre's own network).
SMTP_HOST = os.environ.get("HUSHDOR_SMTP_HOST", "127.0.0.1")
SMTP_PORT = int(os.environ.get("HUSHDOR_SMTP_PORT", "25"))
SMTP_USER = os.environ.get("HUSHDOR_SMTP_USER", "")
SMTP_PASSWORD = os.environ.get("HUSHDOR_SMTP_PASSWORD", "")
SMTP_STARTTLS = _truthy(os.environ.get("HUSHDOR_SMTP_STARTTLS"))
SMTP_FROM = os.environ.get("HUSHDOR_SMTP_FROM", "warnings@coes.tj")
DISSEMINATION_ALLOW_PRIVATE_TARGETS = _truthy(os.environ.get("HUSHDOR_DISSEMINATION_ALLOW_PRIVATE_TARGETS"))
# SMS through Kannel's sendsms API (src/hushdor/data/kannel/kannel.conf); empty URL: the SMS channel is off.
KANNEL_SENDSMS_URL = os.environ.get("HUSHDOR_KANNEL_SENDSMS_URL", "").strip()
KANNEL_USER = os.environ.get("HUSHDOR_KANNEL_USER", "hushdor")
KANNEL_PASSWORD = os.environ.get("HUSHDOR_KANNEL_PASSWORD", "")
SMS_MAX_PARTS = int(os.environ.get("HUSHDOR_SMS_MAX_PARTS", "2"))  # UCS-2: 70 characters, or 67 per part
SMS_RATE = float(os.environ.get("HUSHDOR_SMS_RATE", "20"))  # messages per second to the gateway
# A handed-over message (SMS) without a delivery report after this long becomes "unconfirmed".
RECEIPT_TIMEOUT_MINUTES = int(os.environ.get("HUSHDOR_RECEIPT_TIMEOUT_MINUTES", "360"))

# /metrics is refused unless the client shows this bearer token or connects from one of these networks
# (CIDR, comma-separated; the TCP peer address, never X-Forwarded-For). Neither set: refused to all.
METRICS_TOKEN = os.environ.get("HUSHDOR_METRICS_TOKEN", "").strip() or None
METRICS_ALLOWED_NETWORKS = [
    n.strip() for n in os.environ.get("HUSHDOR_METRICS_ALLOW", "").split(",") if n.strip()
]
CAP_SENDER = os.environ.get("HUSHDOR_CAP_SENDER", "coes.tj")
# This node in exchanges with other nodes (EDXL-DE senderID) and the name partners see.
NODE_ID = os.environ.get("HUSHDOR_NODE_ID", "").strip() or f"hushdor@{CAP_SENDER}"
NODE_NAME = os.environ.get("HUSHDOR_NODE_NAME", "").strip() or "Committee of Emergency Situations, Tajikistan"
# Absolute base URL the public reaches this installation at (CAP <web>, feed links).
PUBLIC_URL = os.environ.get("HUSHDOR_PUBLIC_URL", "http://127.0.0.1:8000").rstrip("/")

INSTALLED_APPS = [
    "django.contrib.admin.apps.SimpleAdminConfig",  # no autodiscover: leaflet.admin needs GDAL
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "leaflet",
    "hushdor.apps.accounts",
    "hushdor.apps.places",
    "hushdor.apps.alerts",
    "hushdor.apps.monitoring",
    "hushdor.apps.dissemination",
    "hushdor.apps.operations",
    "hushdor.apps.hydromet",
    "hushdor.apps.assistance",
    "hushdor.worker",
    "hushdor.web",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "hushdor.urls"
WSGI_APPLICATION = "hushdor.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [PACKAGE_DIR / "web" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

DATABASES = {"default": _database(os.environ.get("HUSHDOR_DATABASE_URL", "sqlite:///var/hushdor.sqlite3"))}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]

LANGUAGE_CODE = os.environ.get("HUSHDOR_LANGUAGE", "en")
LANGUAGES = [("tg", "Тоҷикӣ"), ("ru", "Русский"), ("en", "English")]
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
USE_I18N = True
USE_TZ = True
TIME_ZONE = "Asia/Dushanbe"

STATIC_URL = "/static/"
# Static files are served from the package by WhiteNoise (finders); set HUSHDOR_STATIC_ROOT and run
# `hushdor collectstatic` to serve them from one folder (a reverse proxy, many web processes).
STATIC_ROOT = os.environ.get("HUSHDOR_STATIC_ROOT") or None
STATICFILES_DIRS = [PACKAGE_DIR / "web" / "static"]
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = DEBUG

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = False
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True

LEAFLET_CONFIG = {
    "DEFAULT_CENTER": (38.7, 71.0),
    "DEFAULT_ZOOM": 6,
    "TILES": [],
    "RESET_VIEW": False,
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": os.environ.get("HUSHDOR_LOG_LEVEL", "INFO")},
    "loggers": {"django.db.backends": {"level": "WARNING"}},
}
