"""Admin for sources, and the bases every app's admin builds on.

Every save and delete in the admin goes through core.services, so the admin
refuses exactly what the services refuse, with the same messages.
"""

from django.contrib import admin
from django.contrib.contenttypes.admin import GenericTabularInline
from django.db import models

from .forms import record_form
from .models import Citation, Organization, Source, Variant
from .services import record_delete, validated_save


class PartialDatesMixin:
    """Edits each partial date (two columns) as one "2021-06" text box."""

    partial_dates: dict[str, bool] = {}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.form = record_form(self.partial_dates)

    def get_exclude(self, request, obj=None):
        exclude = list(super().get_exclude(request, obj) or [])
        for name in self.partial_dates:
            exclude += [f"{name}_date", f"{name}_precision"]
        return exclude


class ServiceAdmin(PartialDatesMixin, admin.ModelAdmin):
    """Saves and deletes through core.services."""

    def save_model(self, request, obj, form, change):
        validated_save(obj)

    def delete_model(self, request, obj):
        record_delete(obj)

    def delete_queryset(self, request, queryset):
        for obj in queryset:
            record_delete(obj)

    def save_formset(self, request, form, formset, change):
        instances = formset.save(commit=False)
        for obj in formset.deleted_objects:
            record_delete(obj)
        for obj in instances:
            validated_save(obj)
        formset.save_m2m()


class ServiceInline(PartialDatesMixin, admin.TabularInline):
    """A tabular inline whose rows are saved by ServiceAdmin.save_formset."""

    extra = 0
    show_change_link = True


class CitationInline(GenericTabularInline):
    model = Citation
    extra = 0
    min_num = 1
    validate_min = True
    autocomplete_fields = ["source"]
    verbose_name = "source"
    verbose_name_plural = "sources (at least one)"


class VariantInline(GenericTabularInline):
    model = Variant
    extra = 0
    fields = ["field", "value", "note"]
    verbose_name_plural = "variants (where sources disagree)"


class SourcedAdmin(ServiceAdmin):
    inlines = [CitationInline, VariantInline]


@admin.register(Source)
class SourceAdmin(ServiceAdmin):
    list_display = ["key", "title", "publisher", "url"]
    search_fields = ["key", "title", "publisher", "url"]
    partial_dates = {"published": False}
    exclude = ["target_type", "target_id"]
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}


@admin.register(Organization)
class OrganizationAdmin(SourcedAdmin):
    list_display = ["short_name_en", "name_en"]
    partial_dates = {"founded": False}
