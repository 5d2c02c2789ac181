"""Which saves and deletes touch the index (noted only; ``search.index.flush`` does the work).

The index is a derived copy, not business flow, so listening to the owning apps' saves
keeps them free of any knowledge of search. A receiver never queries: it notes the key and
the index is brought up to date once the transaction commits.
"""

from __future__ import annotations

from typing import Any

from django.db.models.signals import m2m_changed, post_delete, post_save

from qicollab.search.index import mark_changed


def _by_project(sender: Any, instance: Any, **_: Any) -> None:
    mark_changed("project", getattr(instance, "project_id", None))


def _project(sender: Any, instance: Any, **_: Any) -> None:
    mark_changed("project", instance.pk)


def _keyed(what: str) -> Any:
    def receiver(sender: Any, instance: Any, **_: Any) -> None:
        mark_changed(what, instance.pk)

    return receiver


def _project_m2m(sender: Any, instance: Any, **_: Any) -> None:
    mark_changed("project", instance.pk)


def _learning_m2m(sender: Any, instance: Any, **_: Any) -> None:
    mark_changed("learning", instance.pk)


_RECEIVERS: list[Any] = []


def connect() -> None:
    """Connect the receivers (from ``SearchConfig.ready``; idempotent)."""
    from qicollab.accounts.models import Person
    from qicollab.deaths.models import Death, LearningSummary
    from qicollab.events.models import Storyboard
    from qicollab.measures.models import Measure
    from qicollab.organisations.models import Organisation
    from qicollab.projects.models import Aim, ChangeIdea, PdsaCycle, Project

    if _RECEIVERS:
        return
    pairs: list[tuple[Any, Any]] = [(Project, _project)]
    pairs += [(m, _by_project) for m in (Aim, ChangeIdea, PdsaCycle, Measure)]
    for model, what in (
        (Storyboard, "storyboard"),
        (LearningSummary, "learning"),
        (Death, "death"),
        (Person, "person"),
        (Organisation, "organisation"),
    ):
        pairs.append((model, _keyed(what)))
    for model, receiver in pairs:
        post_save.connect(receiver, sender=model, weak=False)
        post_delete.connect(receiver, sender=model, weak=False)
        _RECEIVERS.append(receiver)
    m2m_changed.connect(_project_m2m, sender=Project.themes.through, weak=False)
    m2m_changed.connect(_learning_m2m, sender=LearningSummary.collaboratives.through, weak=False)
