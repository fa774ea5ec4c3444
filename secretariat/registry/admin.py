from django.contrib import admin

from secretariat.records.admin import ServiceAdmin, ServiceInline, SourcedAdmin

from .models import Actor, Chairmanship, OrdinalSeries, Person, SecretariatHead, Status


class StatusInline(ServiceInline):
    model = Status
    fields = ["kind", "start", "end", "decided_at", "applied_for", "outcome"]
    partial_dates = {"start": True, "end": False}
    autocomplete_fields = ["decided_at"]


class SpanAdmin(SourcedAdmin):
    """Lists a span's partial dates as written ("2021-06"), sorted by their first day."""

    @admin.display(description="start", ordering="start_date")
    def start_display(self, obj):
        return obj.start

    @admin.display(description="end", ordering="end_date")
    def end_display(self, obj):
        return obj.end or ""


@admin.register(Actor)
class ActorAdmin(SourcedAdmin):
    list_display = ["name_en", "kind", "iso2", "slug"]
    list_filter = ["kind", "statuses__kind"]
    search_fields = ["name_en", "name_ru", "slug", "iso2", "iso3", "short_name_en"]
    partial_dates = {"exists_from": False, "exists_until": False}
    inlines = [StatusInline, *SourcedAdmin.inlines]


@admin.register(Status)
class StatusAdmin(SpanAdmin):
    list_display = ["actor", "kind", "start_display", "end_display", "outcome"]
    list_filter = ["kind", "outcome"]
    search_fields = ["actor__name_en"]
    autocomplete_fields = ["actor", "decided_at"]
    partial_dates = {"start": True, "end": False}
    list_select_related = ["actor"]


@admin.register(OrdinalSeries)
class OrdinalSeriesAdmin(ServiceAdmin):
    list_display = ["label_en", "actor_kind", "status_kinds"]


@admin.register(Person)
class PersonAdmin(SourcedAdmin):
    list_display = ["name_en", "nationality"]
    search_fields = ["name_en", "name_ru", "slug"]
    autocomplete_fields = ["nationality"]


@admin.register(Chairmanship)
class ChairmanshipAdmin(SpanAdmin):
    list_display = ["actor", "kind", "start_display", "end_display"]
    autocomplete_fields = ["actor", "decided_at", "taken_over_at"]
    partial_dates = {"start": True, "end": False, "decided_on": False}
    list_select_related = ["actor"]


@admin.register(SecretariatHead)
class SecretariatHeadAdmin(SpanAdmin):
    list_display = ["person", "title", "start_display", "end_display"]
    autocomplete_fields = ["person", "appointed_at"]
    partial_dates = {"start": True, "end": False}
    list_select_related = ["person"]
