"""The projects API router (mounted at /api/projects)."""

from qicollab.projects.api import work  # noqa: F401 - registers the diagram and PDSA routes
from qicollab.projects.api.projects import router

__all__ = ["router"]
