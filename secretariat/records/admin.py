"""Admin for sources, and the bases every app's admin builds on.

Every save and delete in the admin goes through records.services, so the admin
refuses exactly what the services refuse, with the same messages, and every
change is audited. A form carries the version the record had when it was shown:
saving over someone else's change meanwhile is refused with 409 and says what
changed. A record's History shows its audit trail.
"""

from django.contrib import admin
from django.contrib.admin.utils import flatten_fieldsets, unquote
from django.contrib.contenttypes.admin import GenericTabularInline
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models
from django.http import Http404
from django.template.response import TemplateResponse

from secretariat.accounts.policy import is_secretariat
from secretariat.audit import selectors as audit_selectors
from secretariat.audit.display import page_entry
from secretariat.core.models import Citation, Organization, Source, Variant

from .forms import record_form, refusal_on_form
from .services import EditConflict, links_set, record_delete, validated_save


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


def _links_save(form) -> None:
    """What form.save_m2m() would write, through the audited service."""
    for field in form.instance._meta.many_to_many:
        if field.name in form.fields and field.name in form.cleaned_data:
            links_set(record=form.instance, field=field.name, targets=form.cleaned_data[field.name])


def _conflicted(response) -> bool:
    """Whether the re-rendered change form (or one of its inline rows) met an edit conflict."""
    context = getattr(response, "context_data", None) or {}
    forms = [context["adminform"].form] if "adminform" in context else []
    for inline in context.get("inline_admin_formsets", []):
        forms += inline.formset.forms
    return any(getattr(form, "edit_conflict", None) for form in forms)


class CarriesVersionMixin:
    """Puts the form's hidden `edit_version` on the page even where `fields` or
    `fieldsets` list the fields explicitly (they leave it out)."""

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if "edit_version" not in getattr(self.form, "declared_fields", {}):
            return fieldsets
        if "edit_version" in flatten_fieldsets(fieldsets):
            return fieldsets
        name, options = fieldsets[-1]
        extended = (name, {**options, "fields": [*options["fields"], "edit_version"]})
        return [*fieldsets[:-1], extended]


class RefusalOnFormMixin:
    """A service that refuses during the save (what the form checked no longer holds: the
    version was circulated meanwhile) is shown on the form as posted, not as a 500.

    Django saves an admin form in one transaction, so the refusal has already rolled
    back everything the save had written; the view then runs again on the same POST,
    with the refusal as an error on the form, which keeps it from saving.
    """

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except EditConflict:
            raise  # ServiceAdmin answers it with 409, the conflict on the form
        except ValidationError as exc:
            if request.method != "POST":
                raise
            request.service_refusal = exc
            return super().changeform_view(request, object_id, form_url, extra_context)

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change, **kwargs)
        refusal = getattr(request, "service_refusal", None)
        if refusal is None:
            return form

        class RefusedForm(form):
            def full_clean(self):
                super().full_clean()
                refusal_on_form(self, refusal)

        return RefusedForm


class ServiceAdmin(CarriesVersionMixin, PartialDatesMixin, RefusalOnFormMixin, admin.ModelAdmin):
    """Saves and deletes through records.services; a stale save answers 409, a refusal during
    the save shows on the form; History is the record's audit trail."""

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        try:
            response = super().changeform_view(request, object_id, form_url, extra_context)
        except EditConflict as exc:
            # Changed between the form's check and the save (a row whose form carried no
            # version): nothing was saved. The same POST again, with the conflict on the
            # form, keeps the officer's values and saves nothing (RefusalOnFormMixin).
            request.service_refusal = exc
            response = super().changeform_view(request, object_id, form_url, extra_context)
            response.status_code = 409
            return response
        if request.method == "POST" and _conflicted(response):
            response.status_code = 409
        return response

    def history_view(self, request, object_id, extra_context=None):
        """The record's audit trail, newest first, with before and after (officers only)."""
        if not is_secretariat(request.user):
            raise Http404("No such record.")
        obj = self.get_object(request, unquote(object_id))
        if obj is None:
            raise Http404("No such record.")
        if not self.has_view_or_change_permission(request, obj):
            raise PermissionDenied
        entries = audit_selectors.record_history(
            user=request.user,
            content_type=ContentType.objects.get_for_model(self.model),
            object_id=obj.pk,
        )
        context = {
            **self.admin_site.each_context(request),
            "title": f"History: {obj}",
            "subtitle": None,
            "object": obj,
            "opts": self.opts,
            "entries": [page_entry(e) for e in entries or []],
            **(extra_context or {}),
        }
        request.current_app = self.admin_site.name
        return TemplateResponse(request, "admin/audit/record_history.html", context)

    def save_model(self, request, obj, form, change):
        validated_save(obj)

    def save_related(self, request, form, formsets, change):
        _links_save(form)
        for formset in formsets:
            self.save_formset(request, form, formset, change=change)

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
        for row in getattr(formset, "saved_forms", []):
            _links_save(row)


class ServiceInline(CarriesVersionMixin, PartialDatesMixin, admin.TabularInline):
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
