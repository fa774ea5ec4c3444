"""Admin for treaties, with their actions inline (figures reported about a treaty are
edited with every other reported figure, in figures.admin).

Every row is saved through validated_save, so Model.clean() runs rules.py and the
admin refuses exactly what the services refuse; an action is deleted through
treaty_action_delete, which refuses to leave another action without its ground.
"""

import datetime as dt

from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpResponseRedirect

from secretariat.records.admin import ServiceInline, SourcedAdmin
from secretariat.records.services import record_delete, validated_save

from . import selectors, services
from .answers import TreatyOut
from .models import Treaty, TreatyAction


class ActionInline(ServiceInline):
    model = TreatyAction
    partial_dates = {"date": True, "effective": False, "domestic_act_date": False}
    fields = [
        "actor",
        "kind",
        "date",
        "effective",
        "domestic_act_en",
        "domestic_act_date",
        "statement",
    ]
    autocomplete_fields = ["actor"]
    can_delete = False  # deleted on the action's own page, which says why when it refuses
    verbose_name_plural = "actions (cite their sources on each action's page)"


@admin.register(Treaty)
class TreatyAdmin(SourcedAdmin):
    list_display = ["document", "depositary_en", "opened_date", "parties", "status_now"]
    list_select_related = ["document"]
    search_fields = ["document__symbol", "document__title_en", "document__key"]
    raw_id_fields = ["document"]
    autocomplete_fields = ["opened_at"]
    partial_dates = {"opened": False}
    readonly_fields = ["status_now"]
    inlines = [*SourcedAdmin.inlines, ActionInline]

    def save_formset(self, request, form, formset, change):
        instances = formset.save(commit=False)
        for obj in formset.deleted_objects:
            record_delete(obj)
        # Actions by date: a signature is saved before the ratification that follows it.
        for obj in sorted(instances, key=_by_date):
            validated_save(obj)
        formset.save_m2m()

    @admin.display(description="status today")
    def status_now(self, obj):
        if obj is None or obj.pk is None:
            return "-"
        treaty = selectors.treaties_qs().get(pk=obj.pk)
        data = TreatyOut.build(selectors.treaty_status(treaty))
        counts = data["counts"]
        return (
            f"{data['entry_into_force']['display']} Signatories: {counts['signatories']['value']}"
            f", parties: {counts['parties']['value']}."
        )


def _by_date(obj):
    date = getattr(obj, "date", None)
    return (date.earliest if date is not None else dt.date.max, obj.pk or 0)


@admin.register(TreatyAction)
class TreatyActionAdmin(SourcedAdmin):
    """One action with its sources and variants."""

    list_display = ["__str__", "treaty", "kind", "date_date"]
    list_filter = ["kind"]
    list_select_related = ["actor", "treaty__document"]
    search_fields = ["actor__name_en", "treaty__document__symbol"]
    autocomplete_fields = ["actor"]
    raw_id_fields = ["treaty"]
    partial_dates = {"date": True, "effective": False, "domestic_act_date": False}

    def delete_view(self, request, object_id, extra_context=None):
        try:
            with transaction.atomic():
                return super().delete_view(request, object_id, extra_context)
        except ValidationError as exc:
            self.message_user(request, " ".join(exc.messages), messages.ERROR)
            return HttpResponseRedirect(request.path.removesuffix("delete/"))

    def delete_model(self, request, obj):
        services.treaty_action_delete(action=obj)

    def delete_queryset(self, request, queryset):
        # Latest first, so that a signature goes after the ratification resting on it.
        try:
            with transaction.atomic():
                for obj in sorted(queryset, key=_by_date, reverse=True):
                    services.treaty_action_delete(action=obj)
        except ValidationError as exc:
            self.message_user(request, " ".join(exc.messages), messages.ERROR)
