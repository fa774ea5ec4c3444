"""The second factor at sign-in: an authenticator app (TOTP), with one-time recovery codes
beside it for the day the phone is lost (django-otp's TOTPDevice and StaticDevice).

Who must have one is settings.MFA_REQUIRED_ROLES; anyone may turn one on. Devices are
credentials, like a password: the services write them and they stay out of the
record's audit trail. Reads and checks are here; writes are in services.py.
"""

from __future__ import annotations

import base64
from urllib.parse import quote, urlencode

import segno
from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from . import policy

RECOVERY_CODES = 10
ISSUER = "Secretariat"  # how authenticator apps name the site's entry


def required(user) -> bool:
    """Whether the user's role must sign in with a second factor."""
    roles = settings.MFA_REQUIRED_ROLES
    if not roles or not getattr(user, "is_authenticated", False):
        return False  # checked first: no query on sites that require none
    return policy.role_of(user).value in roles


def verified(user) -> bool:
    """Whether this session passed the second factor (django-otp's mark on the user)."""
    is_verified = getattr(user, "is_verified", None)  # absent on token requests' users
    return bool(is_verified and is_verified())


def satisfied(user) -> bool:
    """Whether the user may go on: no second factor required, or this session passed it."""
    return not required(user) or verified(user)


def app_of(user, *, confirmed: bool = True) -> TOTPDevice | None:
    """The user's authenticator app (confirmed: in use; unconfirmed: being set up)."""
    return TOTPDevice.objects.devices_for_user(user, confirmed=confirmed).first()


def is_on(user) -> bool:
    """Whether signing in takes a code after the password."""
    return TOTPDevice.objects.devices_for_user(user, confirmed=True).exists()


def normalized(code: str) -> str:
    """A code as typed, without the spaces and dashes people copy with it."""
    return "".join(code.split()).replace("-", "").lower()


def verify(user, code: str):
    """The device that accepts `code` (a code of the app, or a recovery code, which is then
    used up), else None. Each device keeps its own count of wrong codes as well."""
    code = normalized(code)
    if not code:
        return None
    model = TOTPDevice if code.isdigit() else StaticDevice
    with transaction.atomic():  # two requests with one recovery code: the second waits, fails
        devices = model.objects.devices_for_user(user, confirmed=True).select_for_update()
        for device in devices:
            if device.verify_token(code):
                return device
    return None


def locked_for(user) -> int:
    """Seconds before the user's devices check a code again after wrong ones (django-otp's
    own back-off, beside the sign-in throttle), 0 if they would now."""
    now = timezone.now()
    wait = 0.0
    for model in (TOTPDevice, StaticDevice):
        for device in model.objects.devices_for_user(user, confirmed=True):
            allowed, data = device.verify_is_allowed()
            if not allowed and data and data.get("locked_until"):
                wait = max(wait, (data["locked_until"] - now).total_seconds())
    return int(wait + 0.999)


def key_text(device: TOTPDevice) -> str:
    """The secret in base32, in groups of four, for typing into an app by hand."""
    key = base64.b32encode(device.bin_key).decode().rstrip("=")
    return " ".join(key[i : i + 4] for i in range(0, len(key), 4))


def setup_url(device: TOTPDevice) -> str:
    """The otpauth:// address an authenticator app reads from the QR code."""
    label = f"{ISSUER}:{device.user.get_username()}"
    params = {
        "secret": base64.b32encode(device.bin_key).decode().rstrip("="),
        "issuer": ISSUER,
        "algorithm": "SHA1",
        "digits": device.digits,
        "period": device.step,
    }
    return f"otpauth://totp/{quote(label)}?{urlencode(params, quote_via=quote)}"


def qr_svg(device: TOTPDevice, *, title: str) -> str:
    """The setup address as a QR code, inline SVG (no script, no request of its own)."""
    return segno.make(setup_url(device), error="m").svg_inline(
        scale=5, border=4, light="#fff", title=title, svgclass="qr", lineclass=None
    )


def recovery_codes_left(user) -> int:
    """How many unused recovery codes the user has."""
    return StaticToken.objects.filter(device__user=user, device__confirmed=True).count()
