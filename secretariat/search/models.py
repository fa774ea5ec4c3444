"""The search index: a read model written with the records, rebuilt by `reindex`.

Each searchable record gives one entry per language it has (and, for very long
texts, per part of the text). The full-text structures live beside this table
and are made by migration 0002 for the database in use: an FTS5 table kept in
step by triggers on SQLite, a `vector` tsvector column with a GIN index on
PostgreSQL. Neither is a model field, so the model is the same on both. (On SQLite
a migration that alters this table remakes it and drops the triggers: it must make
them again.)
"""

from django.db import models


class SearchEntry(models.Model):
    """One language (and part) of a searchable record, as the index holds it."""

    class Kind(models.TextChoices):
        DOCUMENT = "document", "document"
        MEETING = "meeting", "meeting"
        ACTOR = "actor", "state or organization"
        INSTITUTION = "institution", "organ or institution"
        INITIATIVE = "initiative", "initiative"

    kind = models.CharField(max_length=12, choices=Kind.choices, help_text="What is indexed.")
    object_id = models.PositiveBigIntegerField(help_text="The record's id.")
    key = models.CharField(max_length=120, help_text="The record's key or slug.")
    url = models.CharField(max_length=300, help_text="The API path that shows the record.")
    language = models.CharField(max_length=8, help_text="Language of title and text (en, ru...).")
    part = models.PositiveSmallIntegerField(
        default=0, help_text="0, 1, 2...: a long text is indexed in parts."
    )
    title = models.CharField(max_length=600, help_text="The title or name in this language.")
    year = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text="The record's year (first date), for filtering."
    )
    status = models.CharField(
        max_length=30, blank=True, help_text="Status when indexed (lifecycle, held, ...)."
    )
    # No database constraint and no cascade on these two: an entry takes no part in
    # deleting its record (nor in that deletion's audit); the receivers remove it just
    # before the deletion commits. Until then a dangling entry matches no access rule
    # but the Secretariat's.
    body = models.ForeignKey(
        "bodies.Body",
        null=True,
        blank=True,
        on_delete=models.DO_NOTHING,  # derived: the indexer removes it as its record commits
        db_constraint=False,
        related_name="+",
        help_text="The body the record belongs to, for filtering.",
    )
    document = models.ForeignKey(
        "documents.Document",
        null=True,
        blank=True,
        on_delete=models.DO_NOTHING,  # derived: the indexer removes it as its record commits
        db_constraint=False,
        related_name="+",
        help_text="The document, for documents: the access rule is applied through it.",
    )
    # Last, on purpose: SQLite stores a row's columns in order, and a long text spills
    # onto overflow pages; every column after it would cost reading them (migration 0003).
    text = models.TextField(blank=True, help_text="The searchable text in this language.")

    class Meta:
        ordering = ["kind", "object_id", "language", "part"]
        verbose_name_plural = "search entries"
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "object_id", "language", "part"], name="search_entry_unique"
            ),
            models.CheckConstraint(
                condition=models.Q(kind="document", document__isnull=False)
                | (~models.Q(kind="document") & models.Q(document__isnull=True)),
                name="search_entry_document_only_for_documents",
            ),
        ]
        indexes = [models.Index(fields=["year"]), models.Index(fields=["status"])]

    def __str__(self) -> str:
        return f"{self.kind} {self.key} [{self.language}]"


class PendingIndex(models.Model):
    """A record whose entries wait for the catch-up job (search.tasks): writing them
    failed when its transaction committed, or the job found the index out of step."""

    kind = models.CharField(
        max_length=12, choices=SearchEntry.Kind.choices, help_text="What is to be indexed."
    )
    object_id = models.PositiveBigIntegerField(help_text="The record's id.")
    queued_at = models.DateTimeField(auto_now_add=True, help_text="When it was queued.")
    attempts = models.PositiveSmallIntegerField(
        default=0, help_text="Times the catch-up job tried to index it."
    )
    error = models.TextField(blank=True, help_text="Why it is not indexed yet.")

    class Meta:
        ordering = ["queued_at", "id"]
        verbose_name = "record waiting to be indexed"
        verbose_name_plural = "records waiting to be indexed"
        constraints = [
            models.UniqueConstraint(fields=["kind", "object_id"], name="pending_index_unique")
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.object_id}"

    @classmethod
    def queue(cls, targets: dict[str, set[int]], *, error: str) -> None:
        """Queue these records ({kind: ids}); one already queued keeps its place and attempts."""
        rows = [cls(kind=kind, object_id=pk, error=error) for kind, ids in targets.items()
                for pk in ids]  # fmt: skip
        cls.objects.bulk_create(
            rows, update_conflicts=True, unique_fields=["kind", "object_id"],
            update_fields=["error"],
        )  # fmt: skip
