"""The admin's door: the Secretariat only (by the policy), with the throttled sign-in.

Kept apart from admin.py: the admin's AppConfig loads it before any model is ready.
"""

from django.contrib import admin
from django.contrib.admin.apps import AdminConfig


class SecretariatAdminSite(admin.AdminSite):
    site_header = "Secretariat"
    site_title = "Secretariat"

    @property
    def login_form(self):
        from .forms import AdminSignInForm

        return AdminSignInForm

    def has_permission(self, request):
        # The policy, not Django's staff flag alone, decides who enters the admin.
        from . import policy

        return policy.is_secretariat(request.user)


class SecretariatAdminConfig(AdminConfig):
    default_site = "secretariat.accounts.admin_site.SecretariatAdminSite"
