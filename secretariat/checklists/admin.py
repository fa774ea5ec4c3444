from django.contrib import admin
from django.contrib.contenttypes.admin import GenericTabularInline

from secretariat.records.admin import SourcedAdmin

from .models import NextStep


@admin.register(NextStep)
class NextStepAdmin(SourcedAdmin):
    list_display = ["__str__", "subject_type", "subject_id", "responsible", "status"]
    list_filter = ["status", "subject_type"]
    autocomplete_fields = ["responsible"]
    partial_dates = {"due": False, "done": False}


class NextStepInline(GenericTabularInline):
    """The checklist under its record (a document, a treaty)."""

    model = NextStep
    ct_field, ct_fk_field = "subject_type", "subject_id"
    extra = 0
    fields = ["position", "title_en", "responsible", "responsible_text_en", "status"]
    autocomplete_fields = ["responsible"]
    show_change_link = True
