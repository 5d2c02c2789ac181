"""Models of the projects app, split by concept; import them from here."""

from qicollab.projects.models.aim import Aim, Direction
from qicollab.projects.models.drivers import ChangeIdea, PrimaryDriver, SecondaryDriver
from qicollab.projects.models.pdsa import ActDecision, PdsaCycle, PdsaStatus, Purpose
from qicollab.projects.models.progress import (
    DEFAULT_SCALE_CODE,
    CollaborativeScaleChoice,
    ProgressReport,
    RaterType,
    ScaleDefinition,
    ScaleLevel,
)
from qicollab.projects.models.project import (
    SHARING_HINTS,
    CoProduction,
    Involvement,
    Project,
    ProjectMember,
    Sharing,
    Stage,
    Status,
    Tag,
    TeamRole,
)

__all__ = [
    "DEFAULT_SCALE_CODE",
    "SHARING_HINTS",
    "ActDecision",
    "Aim",
    "ChangeIdea",
    "CoProduction",
    "CollaborativeScaleChoice",
    "Direction",
    "Involvement",
    "PdsaCycle",
    "PdsaStatus",
    "PrimaryDriver",
    "ProgressReport",
    "Project",
    "ProjectMember",
    "Purpose",
    "RaterType",
    "ScaleDefinition",
    "ScaleLevel",
    "SecondaryDriver",
    "Sharing",
    "Stage",
    "Status",
    "Tag",
    "TeamRole",
]
