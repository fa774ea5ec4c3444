"""Background jobs in the admin: what ran, what is waiting, what failed and why.

Read only: rows follow the task engine. A failed job can be handed over again once
its cause is mended (jobs are idempotent: one that did its work changes nothing).
"""

from django.contrib import admin, messages
from django.utils.translation import ngettext
from huey.contrib.djhuey import HUEY

from .models import JobRun


@admin.register(JobRun)
class JobRunAdmin(admin.ModelAdmin):
    list_display = ["short_name", "state", "attempts", "progress", "enqueued_at", "finished_at"]
    list_filter = ["state", "name"]
    search_fields = ["name", "task_id", "error"]
    readonly_fields = [f.name for f in JobRun._meta.fields]
    actions = ["run_again"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.action(description="Run the selected failed jobs again")
    def run_again(self, request, queryset):
        again = 0
        for run in queryset.filter(state__in=[JobRun.State.FAILED, JobRun.State.CANCELLED]):
            try:
                task_class = HUEY._registry.string_to_task(run.name)
            except Exception:
                self.message_user(request, f"{run.name} is no longer a job.", messages.ERROR)
                continue
            HUEY.enqueue(task_class(args=tuple(run.args), kwargs=run.kwargs))
            again += 1
        self.message_user(
            request, ngettext("%d job handed over again.", "%d jobs handed over again.", again)
            % again,
        )  # fmt: skip
