"""Password sign-in that refuses to check passwords while a name is being slowed down."""

from __future__ import annotations

from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.signals import user_logged_in, user_login_failed
from django.dispatch import receiver

from . import policy, throttle


class ThrottledModelBackend(ModelBackend):
    """Django's backend behind the throttle: every caller of authenticate() (pages,
    the admin, anything else) is slowed down the same way. Permissions are the
    policy's, by role, not rows of Django's permission tables."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        name = username or kwargs.get("email") or ""
        if throttle.wait_seconds(name, throttle.address_of(request)) > 0:
            if request is not None:
                request.sign_in_throttled = True  # not a new failure: no password was tried
            return None
        return super().authenticate(request, username=username, password=password, **kwargs)

    def has_perm(self, user_obj, perm, obj=None):
        return policy.admin_permits(user_obj, perm)

    def has_module_perms(self, user_obj, app_label):
        return policy.is_secretariat(user_obj)


@receiver(user_login_failed)
def _count_failure(sender, credentials, request=None, **kwargs):
    if request is not None and getattr(request, "sign_in_throttled", False):
        return
    throttle.record_failure(credentials.get("username") or "", throttle.address_of(request))


@receiver(user_logged_in)
def _forget_failures(sender, request, user, **kwargs):
    throttle.forget(user.get_username())
