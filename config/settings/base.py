"""Twelve-factor settings: everything that differs between deployments comes from the
environment. With no environment at all the site runs on SQLite, eager Celery, console
e-mail, local file storage and the local (test money) payment gateway."""

from pathlib import Path

import environ
from csp.constants import NONCE, NONE, SELF
from django.utils.translation import gettext_lazy as _
from kombu import Queue

BASE_DIR = Path(__file__).resolve().parent.parent.parent

env = environ.Env()

SECRET_KEY = env("SECRET_KEY", default="dev-only-insecure-key-change-me-in-production-0123456789")
DEBUG = env.bool("DEBUG", default=False)
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])
SITE_URL = env("SITE_URL", default="http://127.0.0.1:8000")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "rest_framework.authtoken",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "csp",
    "django_fsm",
    "django_htmx",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "marketplace",
    "seekers",
    "solvers",
    "payouts",
    "legal",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "csp.middleware.CSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "marketplace.accounts.mfa.StaffMfaMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"
ASGI_APPLICATION = "config.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "marketplace.notifications.context_processors.unread_notifications",
                "marketplace.organisations.context_processors.organisation_membership",
                "marketplace.judging.context_processors.outside_judging",
            ],
        },
    }
]

DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}")}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Rate limits count in the cache, so every process must share it: set CACHE_URL to a
# Redis URL when more than one process serves requests. Empty: this process's memory.
_CACHE_URL = env("CACHE_URL", default="")
CACHES = {
    "default": (
        {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": _CACHE_URL}
        if _CACHE_URL
        else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    )
}

AUTH_USER_MODEL = "marketplace.User"
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "home"

# django-allauth: e-mail is the identity and must be verified before first log-in.
ACCOUNT_ADAPTER = "marketplace.accounts.adapter.AccountAdapter"
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_FORMS = {"signup": "marketplace.accounts.signup.TermsSignupForm"}
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_CONFIRM_EMAIL_ON_GET = False
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[Challenge Marketplace] "
# Sign-ups per client address; allauth's other limits (log-in, password reset) stay as
# they are. Answered with 429 and Retry-After (config.urls.handler429).
# Reverse proxies in front of the site that append the client's address to
# X-Forwarded-For (0: clients connect directly). Rate limits, throttles and the addresses
# recorded with agreements and deeds all read the client's address through it.
TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=0)
ALLAUTH_TRUSTED_PROXY_COUNT = TRUSTED_PROXY_COUNT
ACCOUNT_RATE_LIMITS = {"signup": env("ACCOUNT_SIGNUP_RATE", default="5/m/ip,20/h/ip")}
ACCOUNT_DEFAULT_HTTP_PROTOCOL = env("ACCOUNT_DEFAULT_HTTP_PROTOCOL", default="http")
# A sensitive change (payout destination, tax form, organisation membership) asks for the
# password (and the second factor, if set up) again unless given in the last 5 minutes.
ACCOUNT_REAUTHENTICATION_TIMEOUT = env.int("ACCOUNT_REAUTHENTICATION_TIMEOUT", default=300)
# Two factors (allauth.mfa): required for staff (marketplace/accounts/mfa.py).
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes", "webauthn"]
MFA_PASSKEY_LOGIN_ENABLED = False
MFA_TOTP_ISSUER = "Challenge Marketplace"
MFA_WEBAUTHN_ALLOW_INSECURE_ORIGIN = DEBUG
# How long the link of an invitation to judge one challenge works.
JUDGE_INVITATION_DAYS = env.int("JUDGE_INVITATION_DAYS", default=14)

LANGUAGE_CODE = "en"
LANGUAGES = [("en", _("English")), ("es", _("Spanish"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
USE_TZ = True
TIME_ZONE = "UTC"

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = None
MEDIA_ROOT = env("MEDIA_ROOT", default=str(BASE_DIR / "media"))

# Private uploads live in the "private" storage and are only ever served through views
# that check permission. Locally that is the file system; in production any
# S3-compatible bucket (django-storages), selected with STORAGE_BACKEND=s3.
if env("STORAGE_BACKEND", default="local") == "s3":
    _private_storage = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": env("AWS_STORAGE_BUCKET_NAME"),
            "endpoint_url": env("AWS_S3_ENDPOINT_URL", default=None),
            "default_acl": "private",
            "querystring_auth": True,
        },
    }
else:
    _private_storage = {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": MEDIA_ROOT, "base_url": None},
    }
STORAGES = {
    "default": _private_storage,
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

EMAIL_BACKEND = env("EMAIL_BACKEND", default="django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = env("EMAIL_HOST", default="localhost")
EMAIL_PORT = env.int("EMAIL_PORT", default=25)
EMAIL_HOST_USER = env("EMAIL_HOST_USER", default="")
EMAIL_HOST_PASSWORD = env("EMAIL_HOST_PASSWORD", default="")
EMAIL_USE_TLS = env.bool("EMAIL_USE_TLS", default=False)
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default="Challenge Marketplace <noreply@localhost>")

# Celery: with no broker configured, tasks run eagerly in the calling process (which
# still opens a producer: the in-memory transport, so nothing looks for a broker).
_BROKER = env("CELERY_BROKER_URL", default="")
CELERY_BROKER_URL = _BROKER or "memory://localhost/"
CELERY_RESULT_BACKEND = env("CELERY_RESULT_BACKEND", default=_BROKER or None)
CELERY_TASK_ALWAYS_EAGER = not _BROKER
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_ACKS_LATE = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
# A task whose worker died unacknowledged is delivered again after this many seconds
# (Redis); each worker looks for such tasks every CELERY_RESTORE_EVERY_SECONDS. Money
# tasks are idempotent, so a second delivery is safe.
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": env.int("CELERY_VISIBILITY_TIMEOUT_SECONDS", default=3600),
    "unacked_restore_interval": env.int("CELERY_RESTORE_EVERY_SECONDS", default=10),
    "unacked_restore_throttle": 1,
}
CELERY_TASK_REJECT_ON_WORKER_LOST = True
# Money comes first. Certificates (a PDF each, several times the cost of a payment) and
# e-mails (a template rendered per reader) have queues of their own, so that a worker busy
# drawing or writing never delays a payment; money and every other task stay on the
# default queue ("celery"). A worker started without -Q consumes all three;
# `-Q celery` and `-Q certificates,mail` split them (README, "Running workers").
CELERY_TASK_QUEUES = (
    Queue("celery", routing_key="celery"),
    Queue("certificates", routing_key="certificates"),
    Queue("mail", routing_key="mail"),
)
CELERY_TASK_ROUTES = {
    "marketplace.tasks.generate_certificate": {"queue": "certificates"},
    "marketplace.tasks.send_notification_emails": {"queue": "mail"},
    "marketplace.tasks.send_event_emails": {"queue": "mail"},
    "marketplace.tasks.send_submission_receipt": {"queue": "mail"},
}
CELERY_TIMEZONE = "UTC"
CELERY_BEAT_SCHEDULE = {
    "close-expired-challenges": {
        "task": "marketplace.tasks.close_expired_challenges",
        "schedule": env.int("CLOSE_EXPIRED_EVERY_SECONDS", default=60),
    },
    "settle-released-awards": {
        "task": "marketplace.tasks.settle_released_awards",
        "schedule": env.int("SETTLE_AWARDS_EVERY_SECONDS", default=300),
    },
    "forfeit-expired-awards": {
        "task": "marketplace.tasks.forfeit_expired_awards",
        "schedule": env.int("FORFEIT_EXPIRED_EVERY_SECONDS", default=3600),
    },
    "send-deadline-reminders": {
        "task": "marketplace.tasks.send_deadline_reminders",
        "schedule": env.int("DEADLINE_REMINDERS_EVERY_SECONDS", default=3600),
    },
    "expire-personal-exports": {
        "task": "marketplace.tasks.expire_personal_exports",
        "schedule": env.int("EXPIRE_EXPORTS_EVERY_SECONDS", default=3600),
    },
    "send-notification-digests": {
        "task": "marketplace.tasks.send_notification_digests",
        "schedule": env.int("NOTIFICATION_DIGESTS_EVERY_SECONDS", default=86400),
    },
    "send-entry-notices": {
        "task": "marketplace.tasks.send_entry_notices",
        "schedule": env.int("ENTRY_NOTICES_EVERY_SECONDS", default=300),
    },
}

REST_FRAMEWORK = {
    "NUM_PROXIES": TRUSTED_PROXY_COUNT or None,
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticatedOrReadOnly"],
    # JSON bodies: one object, at most DATA_UPLOAD_MAX_MEMORY_SIZE bytes, nested at most
    # 32 levels; forms are held to Django's DATA_UPLOAD_* limits.
    "DEFAULT_PARSER_CLASSES": [
        "marketplace.core.api.parsers.JSONParser",
        "rest_framework.parsers.FormParser",
        "rest_framework.parsers.MultiPartParser",
    ],
    # OPTIONS answers as GET would (401, 404) and describes the endpoint, never a form.
    "DEFAULT_METADATA_CLASS": "marketplace.core.api.metadata.EndpointMetadata",
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": 20,
    "EXCEPTION_HANDLER": "marketplace.core.api.errors.exception_handler",
    # Every POST, PUT, PATCH and DELETE counts per user (per address when anonymous);
    # invitations and uploads have tighter scopes, API tokens the tightest (per address).
    "DEFAULT_THROTTLE_CLASSES": ["marketplace.core.api.throttling.WriteRateThrottle"],
    "DEFAULT_THROTTLE_RATES": {
        "writes": env("API_WRITE_RATE", default="120/hour"),
        "invitations": env("API_INVITATION_RATE", default="30/hour"),
        "uploads": env("API_UPLOAD_RATE", default="60/hour"),
        "token": "10/min",
        # Erasing one's data asks for the password: few attempts, to slow guessing.
        "erasure": "10/min",
    },
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Challenge Marketplace API",
    "DESCRIPTION": "Challenges, prizes in escrow, solutions, awards and payouts.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "COMPONENT_SPLIT_REQUEST": True,
    "ENUM_NAME_OVERRIDES": {
        "BillingDocumentKindEnum": "marketplace.billing.models.DocumentKind",
        "KindEnum": "marketplace.challenges.models.ChallengeKind",
    },
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "marketplace.core.api.schema.document_write_limits",
    ],
    # Swagger UI and Redoc come from the installed package, never from a CDN.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    # No badge fetched from the public validator: the page asks only this site.
    "SWAGGER_UI_SETTINGS": {"deepLinking": True, "validatorUrl": None},
}

# Where Stripe hosts the onboarding of winners' Connect accounts: setting up payouts
# posts here and is redirected there, which the policy's form-action must allow.
STRIPE_CONNECT_ORIGIN = env("STRIPE_CONNECT_ORIGIN", default="https://connect.stripe.com")

# Content-Security-Policy (django-csp): everything from this site; inline <script> and
# <style> only with the per-response nonce; no plugins, no framing, forms post here (and
# may be redirected to Stripe's onboarding). Stripe's script, frame and API origins are
# added by the funding page alone, when it shows the card form
# (seekers/views/funding.py `stripe_policy`).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "style-src": [SELF, NONCE],
        "img-src": [SELF, "data:"],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF, STRIPE_CONNECT_ORIGIN],
        "frame-ancestors": [NONE],
    },
}

# Marketplace rules that operators may change without code.
MARKETPLACE = {
    # ISO 4217 codes accepted for prize pools.
    "CURRENCIES": env.list(
        "MARKETPLACE_CURRENCIES", default=["USD", "EUR", "GBP", "CHF", "MXN", "JPY", "CAD", "BRL"]
    ),
    # Largest prize pool in minor units (100 million in a two-decimal currency).
    "MAX_PRIZE_MINOR": env.int("MARKETPLACE_MAX_PRIZE_MINOR", default=10_000_000_000),
    "MAX_REQUIREMENTS": 10,
    "MAX_AWARDS": 1000,
    "CLOSE_BATCH_SIZE": env.int("MARKETPLACE_CLOSE_BATCH_SIZE", default=1000),
    "CATALOGUE_PAGE_SIZE": 12,
}

# Platform fee on a prize pool: marginal tiers (upper bound in major units, rate), then a
# minimum in major units. Default: 10% up to 100,000.00 and 5% above. Set
# MARKETPLACE_FEE_TIERS as JSON, e.g. '[[100000, "0.10"], [null, "0.05"]]'.
MARKETPLACE_FEE_TIERS = env.json(
    "MARKETPLACE_FEE_TIERS", default=[[100_000, "0.10"], [None, "0.05"]]
)
MARKETPLACE_FEE_MINIMUM = env("MARKETPLACE_FEE_MINIMUM", default="0")
# The largest single payment in minor units (a prize pool's maximum plus any fee fits).
PAYMENT_MAX_MINOR = env.int("PAYMENT_MAX_MINOR", default=2 * MARKETPLACE["MAX_PRIZE_MINOR"])

# Payment gateways: "local" moves test money at once; "stripe" talks to Stripe (or any
# server speaking its API at STRIPE_API_BASE, such as a local fake in tests).
PAYMENT_GATEWAY = env("PAYMENT_GATEWAY", default="local")
STRIPE_SECRET_KEY = env("STRIPE_SECRET_KEY", default="")
STRIPE_PUBLISHABLE_KEY = env("STRIPE_PUBLISHABLE_KEY", default="")
STRIPE_WEBHOOK_SECRET = env("STRIPE_WEBHOOK_SECRET", default="")
STRIPE_API_BASE = env("STRIPE_API_BASE", default="https://api.stripe.com")
STRIPE_MAX_NETWORK_RETRIES = env.int("STRIPE_MAX_NETWORK_RETRIES", default=2)
# Stripe.js for the funding page's card form: Stripe's own, or a fake speaking like it
# (localstripe's, at <its URL>/js.stripe.com/v3/; see `make localstripe`).
STRIPE_JS_URL = env("STRIPE_JS_URL", default="https://js.stripe.com/v3/")

# Billing documents (pro-forma invoices, receipts, credit notes): who issues them, and
# the tax rate included in the platform fee ("0.21" for 21%; "0": no tax shown). Set
# MARKETPLACE_BILLING_ISSUER as JSON with name, address and tax_id.
MARKETPLACE_BILLING_ISSUER = env.json(
    "MARKETPLACE_BILLING_ISSUER",
    default={
        "name": "Example Marketplace Ltd",
        "address": "1 Example Street, London, United Kingdom",
        "tax_id": "GB000000000",
    },
)
MARKETPLACE_TAX_RATE = env("MARKETPLACE_TAX_RATE", default="0")

# Bank transfers ("wire"): the platform's account that Seekers pay into, printed on the
# pro-forma invoice and the funding page. Set MARKETPLACE_WIRE_BANK_DETAILS as JSON with
# these keys; the embedded default is an example account, marked as such on the page.
WIRE_BANK_DETAILS = env.json(
    "MARKETPLACE_WIRE_BANK_DETAILS",
    default={
        "beneficiary": "Example Marketplace Ltd (example account, do not pay)",
        "bank": "Example Bank",
        "iban": "GB33BUKB20201555555555",
        "bic": "BUKBGB22",
        "address": "1 Example Street, London, United Kingdom",
        "example": True,
    },
)

# Payouts
# Fernet key (urlsafe base64 of 32 bytes) encrypting payees' tax numbers. Empty: one is
# derived from SECRET_KEY, so set this in production before SECRET_KEY ever rotates, or
# the stored numbers can no longer be read. Make one with
# `python -c "from cryptography.fernet import Fernet; print(Fernet.generate_key().decode())"`.
TAX_ID_KEY = env("TAX_ID_KEY", default="")
# Dotted paths of extra ledger audit checks: callables taking the audit's `breach(message)`.
# Called after commit with `reference=` when a payout is confirmed (the awards settle).
PAYOUT_CONFIRMED_HOOKS = ["marketplace.awards.services.payment.award_payout_confirmed"]
PAYOUT_REVERSED_HOOKS = ["marketplace.awards.payout_runs.award_payout_reversed"]
# Called inside the transaction that confirms a payment (with `payment=`) or completes a
# refund (with `refund=`): the billing documents are issued with the money.
PAYMENT_CONFIRMED_HOOKS = ["marketplace.billing.services.receipt_issue"]
REFUND_DONE_HOOKS = ["marketplace.billing.services.credit_note_issue"]
# A person's own data: how long the link to their export works, and what the front
# doors add to an export and clear on erasure (dotted paths, see marketplace/privacy/).
PERSONAL_DATA_LINK_DAYS = env.int("PERSONAL_DATA_LINK_DAYS", default=7)
PERSONAL_DATA_SECTIONS = ["solvers.privacy.profile_data"]
PERSONAL_DATA_ERASERS = ["solvers.privacy.profile_erase"]
LEDGER_AUDIT_EXTRA_CHECKS = env.list(
    "LEDGER_AUDIT_EXTRA_CHECKS",
    default=[
        "marketplace.escrow.audit.escrow_checks",
        "marketplace.awards.audit.award_checks",
        "marketplace.participation.audit.registration_checks",
    ],
)

# Organisation invitations an organisation may send in a day (renewals included).
ORGANISATION_INVITATIONS_PER_DAY = env.int("ORGANISATION_INVITATIONS_PER_DAY", default=20)

# Submissions: how many files, how large, and which types (decided by content, not name).
SUBMISSION_MAX_FILES = env.int("SUBMISSION_MAX_FILES", default=10)
SUBMISSION_MAX_FILE_BYTES = env.int("SUBMISSION_MAX_FILE_BYTES", default=200 * 1024 * 1024)
SUBMISSION_ALLOWED_TYPES = env.list(
    "SUBMISSION_ALLOWED_TYPES",
    default=[
        "application/pdf",
        "image/png",
        "image/jpeg",
        "image/gif",
        "image/webp",
        "application/zip",
        "application/gzip",
        "text/plain",
    ],
)
# Uploads larger than this go to a temporary file on disk as they arrive.
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
FILE_UPLOAD_HANDLERS = ["marketplace.core.uploads.HashingUploadHandler"]

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", default="INFO")},
    # PDF rendering logs every font it loads; only its warnings are worth reading.
    "loggers": {
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
    },
}

# Open ideation: how often one account, and one client address, may support ideas.
IDEA_SUPPORTS_PER_HOUR_ACCOUNT = env.int("IDEA_SUPPORTS_PER_HOUR_ACCOUNT", default=60)
IDEA_SUPPORTS_PER_HOUR_IP = env.int("IDEA_SUPPORTS_PER_HOUR_IP", default=300)
