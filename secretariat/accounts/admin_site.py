"""The admin's door: the Secretariat only (by the policy), through the site's throttled
sign-in, with a second factor where the role requires one.

Kept apart from admin.py: the admin's AppConfig loads it before any model is ready.
"""

from django.contrib import admin
from django.contrib.admin.apps import AdminConfig


class SecretariatAdminSite(admin.AdminSite):
    site_header = "Secretariat"
    site_title = "Secretariat"

    @property
    def login_form(self):
        # lazy: this class is loaded with the admin, before the app registry is ready
        from .forms import AdminSignInForm

        return AdminSignInForm

    def has_permission(self, request):
        # The policy, not Django's staff flag alone, decides who enters the admin; a role
        # that requires a second factor enters with a session that passed it.
        from . import policy, second_factor  # lazy: as login_form

        return policy.is_secretariat(request.user) and second_factor.satisfied(request.user)

    def login(self, request, extra_context=None):
        # One sign-in for the site and the admin, so the admin has its second step too.
        # lazy: as login_form
        from django.urls import reverse

        from .views import admin_sign_in

        index = reverse("admin:index", current_app=self.name)
        return admin_sign_in(request, index=index, permitted=self.has_permission(request))


class SecretariatAdminConfig(AdminConfig):
    default_site = "secretariat.accounts.admin_site.SecretariatAdminSite"
