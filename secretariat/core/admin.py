"""Admin for sources, and the bases every app's admin builds on.

Every save and delete in the admin goes through core.services, so the admin
refuses exactly what the services refuse.
"""

from django.contrib import admin
from django.contrib.contenttypes.admin import GenericTabularInline

from .forms import PartialDateModelForm
from .models import Citation, Organization, Source, Variant
from .services import record_delete, validated_save


class ServiceAdmin(admin.ModelAdmin):
    """Saves and deletes through core.services; edits partial dates as one text box."""

    partial_dates: dict[str, bool] = {}

    def get_form(self, request, obj=None, **kwargs):
        if self.partial_dates:
            attrs = {"partial_dates": self.partial_dates}
            kwargs["form"] = type("Form", (PartialDateModelForm,), attrs)
            kwargs.setdefault("fields", None)
        return super().get_form(request, obj, **kwargs)

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


@admin.register(Organization)
class OrganizationAdmin(SourcedAdmin):
    list_display = ["short_name_en", "name_en"]
    partial_dates = {"founded": False}
