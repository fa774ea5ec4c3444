"""The admin's door (Secretariat only, throttled sign-in), accounts, second factors and API
tokens."""

from __future__ import annotations

from django.contrib import admin, messages
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from . import policy, services
from .models import Account, ApiToken


class AccountInline(admin.StackedInline):
    model = Account
    can_delete = False
    fields = ["role", "actor", "focal_point", "removed_at"]
    readonly_fields = ["removed_at"]
    autocomplete_fields = ["actor"]

    def has_change_permission(self, request, obj=None):
        return policy.may_manage_accounts(request.user)

    has_add_permission = has_change_permission


User = get_user_model()
admin.site.unregister(User)


@admin.register(User)
class AccountUserAdmin(UserAdmin):
    """Users with their role; roles are given through the accounts service, so staff
    status always follows the role."""

    inlines = [AccountInline]
    list_display = ["username", "email", "role", "is_active", "last_login"]
    list_select_related = ["account"]
    readonly_fields = ["is_staff", "is_superuser", "last_login", "date_joined"]

    @admin.display(description="role")
    def role(self, obj):
        return policy.role_of(obj).label

    def _manage(self, request, obj=None):
        return policy.may_manage_accounts(request.user)

    has_add_permission = has_change_permission = has_delete_permission = _manage

    def has_view_permission(self, request, obj=None):
        return policy.is_secretariat(request.user)

    def save_formset(self, request, form, formset, change):
        if formset.model is not Account:
            return super().save_formset(request, form, formset, change)
        for inline_form in formset.forms:
            data = inline_form.cleaned_data
            if data and not data.get("DELETE"):
                services.account_role_set(
                    user=form.instance,
                    role=data["role"],
                    actor=data["actor"],
                    focal_point=data.get("focal_point", False),
                )


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    """Tokens are made by their owners on their account page; here they can be revoked."""

    list_display = ["name", "user", "prefix", "created_at", "last_used_at", "revoked_at"]
    list_filter = ["revoked_at"]
    fields = list_display
    readonly_fields = list_display
    actions = ["revoke"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def has_view_permission(self, request, obj=None):
        return policy.may_manage_accounts(request.user)

    @admin.action(description="Revoke the selected tokens")
    def revoke(self, request, queryset):
        if not policy.may_manage_accounts(request.user):
            messages.error(request, "Only administrators revoke other people's tokens.")
            return
        for token in queryset:
            services.token_revoke(token=token)
        messages.success(request, f"Revoked {queryset.count()} token(s).")


# django-otp's own admin shows and edits every user's secret keys, to officers too (the
# policy's account apps are "accounts" and "auth"): here, administrators see who has a
# second factor, and can only reset it for someone who lost the phone.
for _model in (TOTPDevice, StaticDevice):
    if admin.site.is_registered(_model):
        admin.site.unregister(_model)


@admin.register(TOTPDevice)
class SecondFactorAdmin(admin.ModelAdmin):
    """Who signs in with an authenticator app; the keys themselves are never shown."""

    list_display = ["user", "confirmed", "created_at", "last_used_at"]
    list_filter = ["confirmed"]
    fields = list_display
    readonly_fields = list_display
    search_fields = ["user__username"]
    actions = ["reset"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def has_view_permission(self, request, obj=None):
        return policy.may_manage_accounts(request.user)

    @admin.action(description="Reset the second factor (the user sets up a new one)")
    def reset(self, request, queryset):
        if not policy.may_manage_accounts(request.user):
            messages.error(request, "Only administrators reset a second factor.")
            return
        users = {device.user for device in queryset.select_related("user")}
        for user in users:
            services.second_factor_remove(user=user)
        messages.success(request, f"Reset the second factor of {len(users)} user(s).")
