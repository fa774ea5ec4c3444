from django.contrib import admin

from secretariat.checklists.admin import NextStepInline
from secretariat.records.admin import CitationInline, ServiceInline, SourcedAdmin, VariantInline

from .models import (
    Expectation,
    ExpectationResponse,
    FundContribution,
    FundProject,
    Initiative,
    InitiativeEvent,
    Partnership,
    PartnershipEvent,
    Priorities,
)


class InitiativeEventInline(ServiceInline):
    model = InitiativeEvent
    fields = ["kind", "meeting", "document"]
    partial_dates = {"date": True}
    autocomplete_fields = ["meeting", "document"]


@admin.register(Priorities)
class PrioritiesAdmin(SourcedAdmin):
    list_display = ["title_en", "chairmanship", "start_date", "end_date"]
    search_fields = ["slug", "title_en"]
    partial_dates = {"start": False, "end": False}


@admin.register(Initiative)
class InitiativeAdmin(SourcedAdmin):
    list_display = ["title_en", "slug", "kind", "proposer_actor", "proposer_body"]
    list_filter = ["kind"]
    search_fields = ["slug", "title_en", "title_ru"]
    autocomplete_fields = [
        "proposer_actor",
        "proposer_body",
        "launched_at",
        "meetings",
        "documents",
    ]
    filter_horizontal = ["priorities"]
    inlines = [InitiativeEventInline, NextStepInline, CitationInline, VariantInline]


@admin.register(InitiativeEvent)
class InitiativeEventAdmin(SourcedAdmin):
    list_display = ["initiative", "kind", "date_date"]
    list_filter = ["kind"]
    autocomplete_fields = ["initiative", "meeting", "document"]
    partial_dates = {"date": True}


@admin.register(Expectation)
class ExpectationAdmin(SourcedAdmin):
    list_display = ["text_en", "initiative", "position", "from_all"]
    search_fields = ["text_en"]
    autocomplete_fields = ["initiative", "addressees"]
    partial_dates = {"due": False}


@admin.register(ExpectationResponse)
class ExpectationResponseAdmin(SourcedAdmin):
    list_display = ["expectation", "actor", "date_date", "text_en"]
    autocomplete_fields = ["expectation", "actor"]
    partial_dates = {"date": True}


@admin.register(FundProject)
class FundProjectAdmin(SourcedAdmin):
    list_display = ["title_en", "fund", "proposer", "status"]
    list_filter = ["status"]
    autocomplete_fields = ["fund", "proposer"]
    partial_dates = {"start": False, "end": False}


@admin.register(FundContribution)
class FundContributionAdmin(SourcedAdmin):
    list_display = ["fund", "actor", "amount", "currency", "in_kind_en", "date_date"]
    autocomplete_fields = ["fund", "actor"]
    partial_dates = {"date": True}


class PartnershipEventInline(ServiceInline):
    model = PartnershipEvent
    fields = ["kind", "meeting", "body", "document"]
    partial_dates = {"date": True}
    autocomplete_fields = ["meeting", "body", "document"]


@admin.register(Partnership)
class PartnershipAdmin(SourcedAdmin):
    list_display = ["actor"]
    search_fields = ["actor__name_en"]
    autocomplete_fields = ["actor"]
    inlines = [PartnershipEventInline, CitationInline, VariantInline]


@admin.register(PartnershipEvent)
class PartnershipEventAdmin(SourcedAdmin):
    list_display = ["partnership", "kind", "date_date"]
    list_filter = ["kind"]
    autocomplete_fields = ["partnership", "meeting", "body", "document"]
    partial_dates = {"date": True}
