from django.apps import AppConfig


class RecordsConfig(AppConfig):
    """The one write path: validation, the conflict check, the audit entry and the policy
    check (services, bulk), the generic records API and edit pages, the admin's bases."""

    name = "secretariat.records"
    label = "records"
    verbose_name = "Records: the write path"
