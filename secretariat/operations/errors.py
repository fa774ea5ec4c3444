"""Error reporting: Sentry, when SENTRY_DSN is set (`pip install '.[sentry]'`).

Unhandled errors in requests, and errors logged at ERROR (a job's last failure among
them), are sent with Django's context but no personal data (send_default_pii off: no
user names, addresses or cookies). SENTRY_ENVIRONMENT and SENTRY_RELEASE name the
deployment and version when set. A DSN without the SDK installed stops the process at
start: reports silently lost are worse than none configured.
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured


def start_reporting() -> bool:
    """Start the SDK if a DSN is set; whether it was started."""
    dsn = settings.SENTRY_DSN
    if not dsn:
        return False
    try:
        # lazy: an optional package, needed only where a DSN is set
        import sentry_sdk
        from sentry_sdk.integrations.django import DjangoIntegration
    except ImportError as exc:
        raise ImproperlyConfigured(
            "SENTRY_DSN is set but the Sentry SDK is not installed: install it with "
            "`pip install 'secretariat[sentry]'` (or `pip install -e '.[sentry]'`), "
            "or unset SENTRY_DSN."
        ) from exc
    sentry_sdk.init(
        dsn=dsn,
        integrations=[DjangoIntegration()],
        send_default_pii=False,
        environment=settings.SENTRY_ENVIRONMENT,
        release=settings.SENTRY_RELEASE,
    )
    return True
