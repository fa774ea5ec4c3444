"""Admin for reported figures: saved through records.services like every record (audited,
validated by ReportedFigure.clean, which asks the subject's app for its own rule)."""

from django.contrib import admin

from secretariat.records.admin import SourcedAdmin

from .models import ReportedFigure


@admin.register(ReportedFigure)
class ReportedFigureAdmin(SourcedAdmin):
    list_display = ["__str__", "subject_type", "subject_id", "measure", "as_of_date", "value"]
    list_filter = ["measure", "subject_type"]
    list_select_related = ["subject_type"]
    partial_dates = {"as_of": True}
