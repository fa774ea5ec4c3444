from django.contrib import admin

from secretariat.core.admin import SourcedAdmin

from .models import Body, BodyEvent, Meeting, MeetingParticipant, MeetingSchedule


class BodyEventInline(admin.TabularInline):
    model = BodyEvent
    extra = 0
    fields = ["kind", "date_date", "date_precision", "meeting", "note"]
    autocomplete_fields = ["meeting"]
    show_change_link = True


@admin.register(Body)
class BodyAdmin(SourcedAdmin):
    list_display = ["name_en", "kind", "parent"]
    list_filter = ["kind"]
    search_fields = ["name_en", "name_ru", "slug", "short_name_en"]
    autocomplete_fields = ["parent", "initiated_by"]
    inlines = [BodyEventInline, *SourcedAdmin.inlines]


@admin.register(BodyEvent)
class BodyEventAdmin(SourcedAdmin):
    list_display = ["body", "kind", "date_date"]
    list_filter = ["kind", "body"]
    autocomplete_fields = ["body", "meeting"]
    partial_dates = {"date": True}


class ScheduleInline(admin.TabularInline):
    model = MeetingSchedule
    extra = 0
    fields = ["kind", "start_date", "start_precision", "end_date", "end_precision",
              "city_en", "country", "mode"]  # fmt: skip
    autocomplete_fields = ["country"]
    show_change_link = True


class ParticipantInline(admin.TabularInline):
    model = MeetingParticipant
    extra = 0
    autocomplete_fields = ["actor"]


@admin.register(Meeting)
class MeetingAdmin(SourcedAdmin):
    list_display = ["__str__", "body", "ordinal", "formal", "key"]
    list_filter = ["body", "formal"]
    search_fields = ["title_en", "title_ru", "key"]
    autocomplete_fields = ["body", "chair"]
    list_select_related = ["body"]
    inlines = [ScheduleInline, ParticipantInline, *SourcedAdmin.inlines]


@admin.register(MeetingSchedule)
class MeetingScheduleAdmin(SourcedAdmin):
    list_display = ["meeting", "kind", "start_date", "city_en", "mode"]
    list_filter = ["kind", "mode"]
    autocomplete_fields = ["meeting", "country"]
    partial_dates = {"start": True, "end": False, "announced": False}
