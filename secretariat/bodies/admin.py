from django.contrib import admin

from secretariat.records.admin import ServiceInline, SourcedAdmin

from .models import Body, BodyEvent, Meeting, MeetingParticipant, MeetingSchedule


class BodyEventInline(ServiceInline):
    model = BodyEvent
    fields = ["kind", "date", "meeting", "note", "editorial_note"]
    partial_dates = {"date": True}
    autocomplete_fields = ["meeting"]


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


class ScheduleInline(ServiceInline):
    model = MeetingSchedule
    fields = ["kind", "start", "end", "city_en", "country", "mode"]
    partial_dates = {"start": True, "end": False}
    autocomplete_fields = ["country"]


class ParticipantInline(ServiceInline):
    model = MeetingParticipant
    autocomplete_fields = ["actor"]
    show_change_link = False


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
