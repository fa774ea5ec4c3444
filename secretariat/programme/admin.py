from django.contrib import admin

from secretariat.checklists.admin import NextStepInline
from secretariat.records.admin import ServiceInline, SourcedAdmin

from .models import (
    CatalogueEdition,
    CbmEvent,
    Cluster,
    ClusterFocus,
    CoordinatorRole,
    Dimension,
    EditionDocument,
    PriorityArea,
    Quotation,
    Review,
    Task,
)


class EditionDocumentInline(ServiceInline):
    model = EditionDocument
    fields = ["document", "note", "editorial_note"]
    autocomplete_fields = ["document"]


@admin.register(CatalogueEdition)
class CatalogueEditionAdmin(SourcedAdmin):
    list_display = ["__str__"]
    search_fields = ["document__symbol", "document__title_en"]
    autocomplete_fields = ["document"]
    inlines = [EditionDocumentInline, *SourcedAdmin.inlines]


@admin.register(EditionDocument)
class EditionDocumentAdmin(SourcedAdmin):
    list_display = ["edition", "document"]
    autocomplete_fields = ["edition", "document"]


@admin.register(Dimension)
class DimensionAdmin(SourcedAdmin):
    list_display = ["slug", "name_en"]
    search_fields = ["slug", "name_en", "name_ru"]


class CoordinatorRoleInline(ServiceInline):
    model = CoordinatorRole
    fields = ["actor", "role", "start_attested", "decided_at", "decided_by"]
    autocomplete_fields = ["actor", "decided_at", "decided_by"]
    partial_dates = {"start": True, "end": False}


@admin.register(PriorityArea)
class PriorityAreaAdmin(SourcedAdmin):
    list_display = ["__str__", "edition", "dimension"]
    list_filter = ["dimension"]
    search_fields = ["title_en", "title_ru"]
    autocomplete_fields = ["edition", "added_at", "added_by"]
    partial_dates = {"added_on": False}
    inlines = [CoordinatorRoleInline, *SourcedAdmin.inlines]


@admin.register(CoordinatorRole)
class CoordinatorRoleAdmin(SourcedAdmin):
    list_display = ["__str__", "role", "start_date", "end_date"]
    list_filter = ["role"]
    autocomplete_fields = ["area", "actor", "decided_at", "decided_by"]
    partial_dates = {"start": True, "end": False}


@admin.register(CbmEvent)
class CbmEventAdmin(SourcedAdmin):
    list_display = ["__str__", "kind", "area", "organizer"]
    list_filter = ["kind"]
    search_fields = ["title_en", "title_ru", "place_en"]
    autocomplete_fields = ["area", "organizer"]
    partial_dates = {"date": True}


@admin.register(Review)
class ReviewAdmin(SourcedAdmin):
    list_display = ["__str__", "meeting"]
    autocomplete_fields = ["meeting", "documents"]
    partial_dates = {"date": True}


class TaskInline(ServiceInline):
    model = Task
    fields = ["position", "title_en", "status"]


@admin.register(Cluster)
class ClusterAdmin(SourcedAdmin):
    list_display = ["__str__", "roadmap"]
    search_fields = ["title_en", "title_ru"]
    autocomplete_fields = ["roadmap", "documents"]
    inlines = [TaskInline, NextStepInline, *SourcedAdmin.inlines]


@admin.register(Task)
class TaskAdmin(SourcedAdmin):
    list_display = ["__str__", "cluster", "status"]
    list_filter = ["status"]
    search_fields = ["title_en", "title_ru"]
    autocomplete_fields = ["cluster", "lead_states", "contributing_states"]


@admin.register(ClusterFocus)
class ClusterFocusAdmin(SourcedAdmin):
    list_display = ["__str__", "year"]
    list_filter = ["year"]
    autocomplete_fields = ["cluster"]


@admin.register(Quotation)
class QuotationAdmin(SourcedAdmin):
    list_display = ["__str__", "topic", "date_date"]
    list_filter = ["topic"]
    search_fields = ["text_en", "text_ru", "speaker_en"]
    autocomplete_fields = ["speaker_actor", "meeting"]
    partial_dates = {"date": False}
