"""The search index: one row per findable thing, written only by ``search.index``.

The owning apps stay the truth; a document is a copy of the words worth finding and the
few ids the filters and visibility rules need. Visibility is never stored here: it is
decided at query time from the owning apps' selectors (see ``search.selectors``), so a
change of sharing needs no re-indexing and cannot leave a stale permission behind.

On PostgreSQL ``search_vector`` holds the weighted ``tsvector`` (GIN-indexed by migration
0002); on SQLite the words live in the FTS5 table ``search_fts`` (same migration) and the
column stays empty.
"""

from __future__ import annotations

from django.contrib.postgres.search import SearchVectorField
from django.db import models


class Kind(models.TextChoices):
    PROJECT = "project", "Project"
    PDSA = "pdsa", "PDSA cycle"
    STORYBOARD = "storyboard", "Storyboard"
    LEARNING = "learning", "Learning from deaths"
    PERSON = "person", "Person"
    ORGANISATION = "organisation", "Organisation"


class SearchDocument(models.Model):
    kind = models.CharField(max_length=20, choices=Kind.choices)
    object_id = models.PositiveBigIntegerField()
    # A second key where one object is shown in several places (shared learning: one
    # document per collaborative it is shared with, each with its own page); else 0.
    scope_id = models.PositiveBigIntegerField(default=0)
    title = models.CharField(max_length=300)
    summary = models.TextField(blank=True)  # weight B
    details = models.TextField(blank=True)  # weight C
    url = models.CharField(max_length=300)
    # Plain ids, not foreign keys: the index must never block a delete in the owning app.
    project_id = models.PositiveBigIntegerField(null=True, blank=True)
    collaborative_id = models.PositiveBigIntegerField(null=True, blank=True)
    organisation_id = models.PositiveBigIntegerField(null=True, blank=True)
    organisation_name = models.CharField(max_length=200, blank=True)
    workstream_id = models.PositiveBigIntegerField(null=True, blank=True)
    theme_ids = models.CharField(max_length=300, blank=True, default="")  # ",3,7,"
    search_vector = SearchVectorField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "object_id", "scope_id"], name="search_document_unique"
            )
        ]
        indexes = [
            models.Index(fields=["project_id"]),
            models.Index(fields=["collaborative_id"]),
            models.Index(fields=["kind", "workstream_id"]),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.title}"
