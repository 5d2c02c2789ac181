"""Writes of the projects app: ``<entity>_<verb>(*, actor, …)``, each in a transaction."""

from qicollab.projects.services.aims import aim_of, aim_update
from qicollab.projects.services.drivers import (
    node_add,
    node_delete,
    node_link,
    node_move,
    node_update,
)
from qicollab.projects.services.pdsa import pdsa_cycle_create, pdsa_cycle_delete, pdsa_cycle_update
from qicollab.projects.services.progress import progress_report_save, scale_choose
from qicollab.projects.services.projects import (
    ProjectError,
    coproduction_clear,
    coproduction_set,
    member_add,
    member_change_role,
    member_remove,
    parse_tags,
    project_create,
    project_set_sharing,
    project_update,
)

__all__ = [
    "ProjectError",
    "aim_of",
    "aim_update",
    "coproduction_clear",
    "coproduction_set",
    "member_add",
    "member_change_role",
    "member_remove",
    "node_add",
    "node_delete",
    "node_link",
    "node_move",
    "node_update",
    "parse_tags",
    "pdsa_cycle_create",
    "pdsa_cycle_delete",
    "pdsa_cycle_update",
    "progress_report_save",
    "project_create",
    "project_set_sharing",
    "project_update",
    "scale_choose",
]
