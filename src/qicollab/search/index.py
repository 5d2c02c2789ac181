"""Writing the index: one document per findable thing, kept current after each commit.

The owning apps save through their services as usual; ``search.signals`` only notes
*which* things changed (no query in the request) and :func:`flush` re-reads them once the
transaction has committed, so a rolled-back change never reaches the index and a service
that saves a project and twenty PDSA cycles re-indexes the project once.
``rebuild_search_index`` re-creates everything (after a restore, or to be sure).

Each ``index_<kind>`` function reads the object from its app and writes its document, or
removes it when the object has gone (or, for shared learning, is no longer shared).
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterable
from typing import Any

from django.db import connection, transaction
from django.db.models import Prefetch

from qicollab.search.models import Kind, SearchDocument
from qicollab.search.text import clean

_pending = threading.local()
logger = logging.getLogger(__name__)


# --- engines -------------------------------------------------------------------------------


def _fts_delete(ids: Iterable[int]) -> None:
    ids = list(ids)
    if connection.vendor != "sqlite" or not ids:
        return
    with connection.cursor() as cur:
        cur.execute(
            f"DELETE FROM search_fts WHERE rowid IN ({', '.join(['%s'] * len(ids))})",  # noqa: S608 - placeholders only
            ids,
        )


def _engine_write(doc: SearchDocument) -> None:
    """Put the document's words into the engine: the FTS5 row or the weighted tsvector."""
    if connection.vendor == "postgresql":
        from django.contrib.postgres.search import SearchVector

        vector = (
            SearchVector("title", weight="A", config="english")
            + SearchVector("summary", weight="B", config="english")
            + SearchVector("details", weight="C", config="english")
        )
        SearchDocument.objects.filter(pk=doc.pk).update(search_vector=vector)
    elif connection.vendor == "sqlite":
        _fts_delete([doc.pk])
        with connection.cursor() as cur:
            cur.execute(
                "INSERT INTO search_fts(rowid, title, summary, details) VALUES (%s, %s, %s, %s)",
                [doc.pk, doc.title, doc.summary, doc.details],
            )


def _put(kind: str, object_id: int, scope_id: int = 0, **fields: Any) -> SearchDocument:
    for name in ("title", "summary", "details", "organisation_name"):
        if name in fields:
            fields[name] = clean(fields[name])
    fields["title"] = fields["title"][:300]
    doc, _ = SearchDocument.objects.update_or_create(
        kind=kind, object_id=object_id, scope_id=scope_id, defaults=fields
    )
    _engine_write(doc)
    return doc


def _drop(**filters: Any) -> None:
    qs = SearchDocument.objects.filter(**filters)
    _fts_delete(qs.values_list("pk", flat=True))
    qs.delete()


def _join(*parts: Any) -> str:
    return "\n".join(str(p) for p in parts if p not in (None, ""))


# --- documents -----------------------------------------------------------------------------


def index_project(project_id: int) -> None:
    """The project's document (title; summary and aim; change ideas, measures and PDSA
    learning) and one document per PDSA cycle."""
    from django.urls import reverse

    from qicollab.projects.models import PdsaCycle, Project
    from qicollab.projects.presenters import aim_is_started
    from qicollab.projects.smart import aim_sentence

    project = (
        Project.objects.filter(pk=project_id)
        .select_related("lead_organisation", "aim")
        .prefetch_related(
            "themes",
            "change_ideas",
            "measures",
            Prefetch("pdsa_cycles", queryset=PdsaCycle.objects.order_by("pk")),
        )
        .first()
    )
    if project is None:
        _drop(kind__in=[Kind.PROJECT, Kind.PDSA], project_id=project_id)
        return
    aim = getattr(project, "aim", None)
    aim_text = aim_sentence(aim) if aim is not None and aim_is_started(aim) else ""
    cycles = list(project.pdsa_cycles.all())
    common: dict[str, Any] = {
        "project_id": project.pk,
        "collaborative_id": project.collaborative_id,
        "organisation_id": project.lead_organisation_id,
        "organisation_name": project.lead_organisation.name,
        "workstream_id": project.workstream_id,
        "theme_ids": "," + ",".join(str(t.pk) for t in project.themes.all()) + ","
        if project.themes.all()
        else "",
    }
    _put(
        Kind.PROJECT,
        project.pk,
        title=project.title,
        summary=_join(project.summary, aim_text),
        details=_join(
            *(_join(i.text, i.description) for i in project.change_ideas.all()),
            *(m.name for m in project.measures.all()),
            *(_join(c.title, c.learning) for c in cycles),
        ),
        url=project.get_absolute_url(),
        **common,
    )
    for c in cycles:
        _put(
            Kind.PDSA,
            c.pk,
            title=f"PDSA {c.cycle_number}: {c.title} ({project.title})",
            summary=_join(c.objective, c.learning),
            details=_join(c.predictions, c.what_happened, c.results, c.next_steps),
            url=reverse("projects:pdsa_detail", args=[project.slug, c.pk]),
            **common,
        )
    stale = SearchDocument.objects.filter(kind=Kind.PDSA, project_id=project.pk).exclude(
        object_id__in=[c.pk for c in cycles]
    )
    _drop(pk__in=list(stale.values_list("pk", flat=True)))


def index_storyboard(storyboard_id: int) -> None:
    """A storyboard in a learning session's gallery: anyone who may see the session."""
    from django.urls import reverse

    from qicollab.events.models import Storyboard

    sb = (
        Storyboard.objects.filter(pk=storyboard_id)
        .select_related("session", "organisation")
        .first()
    )
    if sb is None:
        _drop(kind=Kind.STORYBOARD, object_id=storyboard_id)
        return
    _put(
        Kind.STORYBOARD,
        sb.pk,
        title=sb.title,
        summary=sb.summary,
        details=sb.session.title,
        url=reverse("events:storyboard_gallery", args=[sb.session_id]),
        collaborative_id=sb.session.collaborative_id,
        organisation_id=sb.organisation_id,
        organisation_name=sb.organisation.name,
        workstream_id=sb.workstream_id,
    )


def index_learning(summary_id: int) -> None:
    """Shared learning from deaths: only a summary that is shared (approved, de-identified)
    and whose case is not deleted, once per collaborative it is shared with."""
    from django.urls import reverse

    from qicollab.deaths.choices import SummaryStatus
    from qicollab.deaths.models import LearningSummary

    s = (
        LearningSummary.objects.filter(
            pk=summary_id, status=SummaryStatus.SHARED, death__deleted_at__isnull=True
        )
        .select_related("organisation")
        .prefetch_related("collaboratives")
        .first()
    )
    collabs = list(s.collaboratives.all()) if s is not None else []
    _drop(
        pk__in=list(
            SearchDocument.objects.filter(kind=Kind.LEARNING, object_id=summary_id)
            .exclude(scope_id__in=[c.pk for c in collabs])
            .values_list("pk", flat=True)
        )
    )
    if s is None:
        return
    for collab in collabs:
        _put(
            Kind.LEARNING,
            s.pk,
            scope_id=collab.pk,
            title=s.title,
            summary=_join(s.what_learned, s.what_changed),
            details=s.what_happened,
            url=reverse("deaths:library_detail", args=[collab.slug, s.pk]),
            collaborative_id=collab.pk,
            organisation_id=s.organisation_id,
            organisation_name=s.organisation.name,
        )


def index_learning_for_death(death_id: int) -> None:
    from qicollab.deaths.models import LearningSummary

    for pk in LearningSummary.objects.filter(death_id=death_id).values_list("pk", flat=True):
        index_learning(pk)


def index_person(person_id: int) -> None:
    """A person: name and job title only (never their affiliations or lived experience)."""
    from django.urls import reverse

    from qicollab.accounts.models import Person

    p = Person.objects.filter(pk=person_id, is_active=True).first()
    if p is None:
        _drop(kind=Kind.PERSON, object_id=person_id)
        return
    _put(
        Kind.PERSON,
        p.pk,
        title=p.full_name,
        summary=p.job_title,
        details="",
        url=reverse("accounts:person_detail", args=[p.pk]),
    )


def index_organisation(organisation_id: int) -> None:
    from qicollab.organisations.models import Organisation

    o = Organisation.objects.filter(pk=organisation_id).first()
    if o is None:
        _drop(kind=Kind.ORGANISATION, object_id=organisation_id)
        return
    _put(
        Kind.ORGANISATION,
        o.pk,
        title=o.name,
        summary=_join(o.ods_code, o.get_org_type_display()),
        details="",
        url=o.get_absolute_url(),
        organisation_id=o.pk,
        organisation_name=o.name,
    )


INDEXERS = {
    "project": index_project,
    "storyboard": index_storyboard,
    "learning": index_learning,
    "death": index_learning_for_death,
    "person": index_person,
    "organisation": index_organisation,
}


# --- keeping it current --------------------------------------------------------------------


def mark_changed(what: str, pk: int | None) -> None:
    """Re-index ``what`` (a key of :data:`INDEXERS`) ``pk`` once the transaction commits.

    Every call registers a flush with the current transaction (the first does the work,
    later ones find nothing left), so a rolled-back transaction, whose callbacks are
    dropped, cannot stop a later commit from flushing what it marked.
    """
    if pk is None:
        return
    pending: set[tuple[str, int]] | None = getattr(_pending, "keys", None)
    if pending is None:
        pending = _pending.keys = set()
    pending.add((what, pk))
    transaction.on_commit(flush)


def flush() -> None:
    """Re-index everything marked since the last flush (each thing once).

    Runs after the owning app's change has committed: a failure here must not turn that
    saved change into an error page, so it is logged (with what to run) and the rest goes on.
    """
    pending: set[tuple[str, int]] = getattr(_pending, "keys", None) or set()
    _pending.keys = None
    for what, pk in sorted(pending):
        try:
            with transaction.atomic():
                INDEXERS[what](pk)
        except Exception:
            logger.exception(
                "Could not update the search index for %s %s; run rebuild_search_index", what, pk
            )


def rebuild() -> int:
    """Re-create the whole index from the owning apps; returns how many documents it holds."""
    from qicollab.accounts.models import Person
    from qicollab.deaths.models import LearningSummary
    from qicollab.events.models import Storyboard
    from qicollab.organisations.models import Organisation
    from qicollab.projects.models import Project

    with transaction.atomic():
        SearchDocument.objects.all().delete()
        if connection.vendor == "sqlite":
            with connection.cursor() as cur:
                cur.execute("DELETE FROM search_fts")
        for pk in Project.objects.values_list("pk", flat=True):
            index_project(pk)
        for pk in Storyboard.objects.values_list("pk", flat=True):
            index_storyboard(pk)
        for pk in LearningSummary.objects.values_list("pk", flat=True):
            index_learning(pk)
        for pk in Person.objects.filter(is_active=True).values_list("pk", flat=True):
            index_person(pk)
        for pk in Organisation.objects.values_list("pk", flat=True):
            index_organisation(pk)
        return SearchDocument.objects.count()
