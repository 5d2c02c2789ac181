"""The projects API router (mounted at /api/projects)."""

from qicollab.projects.api import contents, drivers, projects, work  # noqa: F401 - register the routes
from qicollab.projects.api.common import router

__all__ = ["router"]
