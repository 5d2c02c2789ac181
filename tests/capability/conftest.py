from __future__ import annotations

from typing import Any

import pytest

from qicollab.capability.models import SubjectArea
from qicollab.capability.services import subject_areas_seed


@pytest.fixture
def subjects(world: Any) -> list[SubjectArea]:
    subject_areas_seed(actor=world.people["collab_lead"], collaborative=world.collab)
    return list(SubjectArea.objects.filter(collaborative=world.collab))
