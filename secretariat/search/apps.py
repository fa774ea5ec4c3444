from django.apps import AppConfig
from django.db import connections
from django.db.models.signals import post_migrate


def _fill_if_stale(using="default", **kwargs) -> None:
    """After `migrate`, fill an empty index over existing records (an upgraded database);
    later writes keep it up to date as they commit."""
    # ready: apps.py is read before the models; this runs after migrate
    from django.db.migrations.recorder import MigrationRecorder

    from . import indexer

    applied = MigrationRecorder(connections[using]).applied_migrations()
    if ("search", "0002_fulltext") in applied and indexer.is_stale():
        indexer.rebuild()


class SearchConfig(AppConfig):
    name = "secretariat.search"
    label = "search"
    verbose_name = "Full-text search"

    def ready(self) -> None:
        from . import receivers  # ready: its models are loaded now

        receivers.connect()
        post_migrate.connect(_fill_if_stale, sender=self, dispatch_uid="search-fill-if-stale")
