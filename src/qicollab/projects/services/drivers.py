"""Writes to the driver diagram: add, rename, link, reorder and delete nodes."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.db.models import Max

from qicollab.accounts.models import Person
from qicollab.core.services import attribute, check_version, delete_as, save_as
from qicollab.projects.models import ChangeIdea, PrimaryDriver, Project, SecondaryDriver
from qicollab.projects.services.projects import ProjectError

Node = PrimaryDriver | SecondaryDriver | ChangeIdea

# URL kind -> (model, the many-to-many to the column on the left, its model, a name).
KINDS: dict[str, tuple[type[Any], str | None, type[Any] | None, str]] = {
    "primary": (PrimaryDriver, None, None, "primary driver"),
    "secondary": (SecondaryDriver, "primaries", PrimaryDriver, "secondary driver"),
    "idea": (ChangeIdea, "secondaries", SecondaryDriver, "change idea"),
}


def kind_of(node: Node) -> str:
    return next(k for k, (model, *_rest) in KINDS.items() if isinstance(node, model))


def noun(kind: str) -> str:
    return KINDS[kind][3]


def _links(project: Project, kind: str, links: Iterable[Any]) -> list[Any]:
    link_model = KINDS[kind][2]
    ids = {getattr(x, "pk", x) for x in links}
    if link_model is None or not ids:
        return []
    found = list(link_model.objects.filter(project=project, pk__in=ids))
    if len(found) != len(ids):
        # Other projects' nodes read as absent too: their ids must not confirm they exist.
        left = "primary" if kind == "secondary" else "secondary"
        missing = ", ".join(str(i) for i in sorted(ids - {n.pk for n in found}, key=str))
        raise ProjectError(
            f"Choose {noun(left)}s from this project's diagram: it has no {noun(left)} {missing}.",
            "links",
        )
    return found


def _clean_text(text: str, kind: str) -> str:
    text = " ".join((text or "").split())
    if not text:
        raise ProjectError(f"Enter the {noun(kind)}.", "text")
    return text


@transaction.atomic
def node_add(
    *,
    actor: Person,
    project: Project,
    kind: str,
    text: str,
    links: Iterable[Any] = (),
    description: str = "",
) -> Node:
    """Add a node at the end of its column, linked to the given nodes on its left (a change
    idea may also have a ``description``)."""
    model, attr, _, _ = KINDS[kind]
    linked = _links(project, kind, links)
    last = model.objects.filter(project=project).aggregate(m=Max("order"))["m"]
    node = model(project=project, text=_clean_text(text, kind), order=(last or 0) + 1)
    if description and isinstance(node, ChangeIdea):
        node.description = description
    save_as(node, actor)
    if attr:
        attribute(node, actor)
        getattr(node, attr).set(linked)
    return node  # type: ignore[no-any-return]


@transaction.atomic
def node_update(
    *,
    actor: Person,
    node: Node,
    text: str,
    links: Iterable[Any] | None = None,
    description: str | None = None,
    loaded_version: str = "",
) -> Node:
    """Rename a node and (if given) replace its links to the column on its left."""
    kind = kind_of(node)
    check_version(node, loaded_version)
    _, attr, _, _ = KINDS[kind]
    node.text = _clean_text(text, kind)
    if description is not None and isinstance(node, ChangeIdea):
        node.description = description
    save_as(node, actor)
    if attr and links is not None:
        attribute(node, actor)
        getattr(node, attr).set(_links(node.project, kind, links))
    return node


@transaction.atomic
def node_link(*, actor: Person, node: Node, target: Any, linked: bool = True) -> Node:
    """Link ``node`` to one ``target`` in the column on its left (or unlink it), keeping its
    other links. Linking twice, or unlinking what is not linked, changes nothing."""
    kind = kind_of(node)
    attr = KINDS[kind][1]
    if attr is None:
        raise ProjectError("A primary driver links only to the aim.", "links")
    # Lock the row so two links made at the same moment are both kept.
    fresh: Node = type(node).objects.select_for_update().get(pk=node.pk)
    (other,) = _links(fresh.project, kind, [target])
    links = getattr(fresh, attr)
    if links.filter(pk=other.pk).exists() == linked:
        return fresh
    # Saving the node moves its version on, so an edit of its links loaded before this one
    # is detected as a conflict instead of silently undoing it.
    save_as(fresh, actor)
    attribute(fresh, actor)
    if linked:
        links.add(other)
    else:
        links.remove(other)
    return fresh


@transaction.atomic
def node_move(*, actor: Person, node: Node, direction: str) -> Node:
    """Swap a node with its neighbour above ('up') or below ('down') in its column."""
    model = type(node)
    siblings: list[Node] = list(
        model.objects.select_for_update().filter(project_id=node.project_id).order_by("order", "id")
    )
    # Renumber first so equal or missing orders never make a move a no-op.
    for i, s in enumerate(siblings, start=1):
        if s.order != i:
            s.order = i
            save_as(s, actor)
    index = next(i for i, s in enumerate(siblings) if s.pk == node.pk)
    other = index - 1 if direction == "up" else index + 1
    if direction not in ("up", "down") or not 0 <= other < len(siblings):
        return siblings[index]
    a, b = siblings[index], siblings[other]
    a.order, b.order = b.order, a.order
    save_as(a, actor)
    save_as(b, actor)
    return a


def delete_consequences(node: Node) -> list[str]:
    """What deleting the node would change, said plainly for the confirmation page."""
    out: list[str] = []
    if isinstance(node, PrimaryDriver):
        n = node.secondaries.count()
        if n:
            out.append(
                f"{n} secondary driver{'s' if n != 1 else ''} will no longer be linked to it."
            )
    elif isinstance(node, SecondaryDriver):
        n = node.change_ideas.count()
        if n:
            out.append(f"{n} change idea{'s' if n != 1 else ''} will no longer be linked to it.")
    return out


def delete_blocker(node: Node) -> str | None:
    """Why the node cannot be deleted, if it cannot (tested ideas keep their learning)."""
    if isinstance(node, ChangeIdea):
        n = node.pdsa_cycles.count()
        if n:
            return (
                f"This change idea has {n} PDSA cycle{'s' if n != 1 else ''}. Their learning "
                "would be lost, so it cannot be deleted. If it did not work, record 'abandon' "
                "in its latest cycle instead."
            )
    return None


@transaction.atomic
def node_delete(*, actor: Person, node: Node) -> None:
    blocker = delete_blocker(node)
    if blocker:
        raise ProjectError(blocker)
    delete_as(node, actor)
