"""Request bodies are held to their route's limit as they arrive, not after they are read.

A body over the limit gets 413 (the NHS.UK error page, or JSON under /api/) without the
server reading it; uploads and API pushes have larger limits of their own and still work.
"""

from __future__ import annotations

import io
import json
from typing import Any

import numpy as np
import pytest
from django.conf import settings as django_settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from PIL import Image

from qicollab.accounts.models import ApiToken, hash_token
from qicollab.events.models import Storyboard
from qicollab.measures import services as ms
from qicollab.measures.models import DataPoint, Measure
from qicollab.projects import services as ps
from tests.events.conftest import make_session

pytestmark = pytest.mark.django_db


class Unreadable(io.RawIOBase):
    """A request body that fails the test if anyone reads it."""

    def read(self, size: int = -1) -> bytes:  # pragma: no cover - reaching it is the failure
        raise AssertionError("the body of an oversized request was read")

    def readline(self, size: int | None = -1) -> bytes:  # pragma: no cover
        raise AssertionError("the body of an oversized request was read")


class Endless(io.RawIOBase):
    """A chunked body that never ends; counts what was read from it."""

    def __init__(self) -> None:
        self.read_bytes = 0

    def read(self, size: int = -1) -> bytes:
        n = 65536 if size is None or size < 0 else size
        self.read_bytes += n
        return b"x" * n


class Chunked(io.RawIOBase):
    """A chunked body of known content, delivered in small pieces and then ended."""

    def __init__(self, data: bytes) -> None:
        self.data = io.BytesIO(data)

    def read(self, size: int = -1) -> bytes:
        return self.data.read(min(size if size and size > 0 else 1000, 1000))


def token_client(person: Any) -> Client:
    raw = ApiToken.PREFIX + "size-test-token-" + str(person.pk)
    ApiToken.objects.create(
        person=person, name="test", key_prefix=raw[:12], key_hash=hash_token(raw)
    )
    return Client(HTTP_AUTHORIZATION=f"Bearer {raw}")


@pytest.fixture
def measure(world: Any) -> Measure:
    project = ps.project_create(
        actor=world.people["staff_a"],
        collaborative=world.collab,
        lead_organisation=world.trust_a,
        title="Reducing restrictive practice",
    )
    return ms.measure_create(
        actor=world.people["staff_a"],
        project=project,
        data={
            "name": "Restrictive practice incidents",
            "measure_type": "outcome",
            "value_type": "count",
            "frequency": "monthly",
            "direction": "decrease",
        },
    )


def upload_url(world: Any) -> str:
    session = make_session(world.collab, days_ahead=-10)
    return f"/learning/sessions/{session.pk}/storyboards/new/upload/"


def noisy_png(side: int) -> bytes:
    """A PNG that does not compress: about 3 bytes a pixel on disk."""
    pixels = np.random.default_rng(1).integers(0, 256, (side, side, 3), dtype=np.uint8)
    out = io.BytesIO()
    Image.fromarray(pixels).save(out, format="PNG")
    return out.getvalue()


# --- declared length over the limit: refused unread ------------------------------------------


def test_oversize_upload_refused_unread_with_the_nhs_error_page(world: Any, login: Any) -> None:
    limit = django_settings.REQUEST_BODY_LIMITS["events:storyboard_upload"]
    r = login(world.people["staff_a"]).generic(
        "POST",
        upload_url(world),
        b"",
        content_type="multipart/form-data; boundary=xyz",
        CONTENT_LENGTH=str(500 * 1024 * 1024),
        **{"wsgi.input": Unreadable()},
    )
    assert limit < 500 * 1024 * 1024
    assert r.status_code == 413
    page = r.content.decode()
    assert "The file or form you sent is too large" in page
    assert "The request is 500 MB; this page accepts at most 10 MB" in page
    assert "nhsuk-header" in page  # the service's own layout, not a bare server page
    assert not Storyboard.objects.exists()


def test_other_pages_have_a_much_smaller_limit(world: Any, login: Any) -> None:
    client = login(world.people["staff_a"])
    body = b"first_name=" + b"x" * (django_settings.REQUEST_MAX_BODY_BYTES + 1)
    r = client.generic(
        "POST", "/accounts/profile/", body, content_type="application/x-www-form-urlencoded"
    )
    assert r.status_code == 413
    assert "this page accepts at most 1 MB" in r.content.decode()


def test_api_bodies_over_the_limit_get_json(world: Any, measure: Measure) -> None:
    client = token_client(world.people["staff_a"])
    r = client.generic(
        "PUT",
        f"/api/measures/{measure.pk}/points",
        b"",
        content_type="application/json",
        CONTENT_LENGTH=str(65 * 1024 * 1024),
        **{"wsgi.input": Unreadable()},
    )
    assert r.status_code == 413
    assert r.json() == {
        "detail": "The request is 65 MB; this endpoint accepts at most 64 MB. "
        "Send the data in several smaller requests."
    }
    # An ordinary API call has the ordinary limit.
    r = client.generic(
        "PATCH",
        f"/api/measures/{measure.pk}",
        json.dumps({"name": "x" * (2 * 1024 * 1024)}),
        content_type="application/json",
    )
    assert r.status_code == 413 and "at most 1 MB" in r.json()["detail"]


# --- within the limit: still works ------------------------------------------------------


def test_an_upload_larger_than_the_default_limit_still_works(world: Any, login: Any) -> None:
    png = noisy_png(700)
    assert len(png) > django_settings.REQUEST_MAX_BODY_BYTES
    r = login(world.people["staff_a"]).post(
        upload_url(world),
        {
            "upload-organisation": world.trust_a.pk,
            "upload-title": "A detailed poster",
            "upload-file": SimpleUploadedFile("poster.png", png, content_type="image/png"),
        },
    )
    assert r.status_code == 302
    assert Storyboard.objects.get().content_type == "image/png"


def test_a_large_api_push_still_works(world: Any, measure: Measure) -> None:
    points = [
        {"period": f"{1995 + i // 12}-{i % 12 + 1:02d}-01", "value": i, "note": "n" * 300}
        for i in range(12 * 30)
    ]
    body = json.dumps({"points": points})
    assert len(body) > django_settings.REQUEST_MAX_BODY_BYTES / 10
    r = token_client(world.people["staff_a"]).generic(
        "PUT", f"/api/measures/{measure.pk}/points", body, content_type="application/json"
    )
    assert r.status_code == 200, r.content
    assert DataPoint.objects.filter(measure=measure).count() == 360


# --- chunked bodies (no Content-Length) -------------------------------------------------------


def test_chunked_body_stops_at_the_limit(world: Any, measure: Measure, settings: Any) -> None:
    settings.REQUEST_BODY_LIMITS = {**settings.REQUEST_BODY_LIMITS, "api:push_bulk": 200_000}
    endless = Endless()
    r = token_client(world.people["staff_a"]).generic(
        "POST",
        "/api/measures/points/bulk",
        b"",
        content_type="application/json",
        CONTENT_LENGTH="",
        HTTP_TRANSFER_ENCODING="chunked",
        **{"wsgi.input": endless},
    )
    assert r.status_code == 413
    assert r.json()["detail"].startswith("The request is larger; this endpoint accepts at most")
    assert 200_000 < endless.read_bytes <= 200_001


def test_chunked_body_within_the_limit_reaches_the_view(world: Any, measure: Measure) -> None:
    body = json.dumps(
        {"points": [{"measure": measure.pk, "period": "2024-01-01", "value": 7}]}
    ).encode()
    r = token_client(world.people["staff_a"]).generic(
        "POST",
        "/api/measures/points/bulk",
        b"",
        content_type="application/json",
        CONTENT_LENGTH="",
        HTTP_TRANSFER_ENCODING="chunked",
        **{"wsgi.input": Chunked(body)},
    )
    assert r.status_code == 200, r.content
    assert r.json()["created"] == 1
    assert DataPoint.objects.get(measure=measure).value == 7


# --- the limits agree with the code that enforces them again ------------------------------


def test_route_limits_match_the_forms_and_the_api() -> None:
    from qicollab.measures.api import MAX_BULK_BYTES
    from qicollab.measures.forms import MAX_UPLOAD_BYTES

    limits = django_settings.REQUEST_BODY_LIMITS
    allowance = limits["events:storyboard_upload"] - django_settings.STORYBOARD_MAX_UPLOAD_BYTES
    assert 0 < allowance <= 256 * 1024
    assert limits["measures:data_import"] == MAX_UPLOAD_BYTES + allowance
    assert limits["api:push_bulk"] == limits["api:list_points"] == MAX_BULK_BYTES
    # Each name is a real route; the PUT of points shares the GET's path and name.
    assert reverse("api:list_points", kwargs={"pk": 1}) == "/api/measures/1/points"
    assert reverse("api:push_bulk") == "/api/measures/points/bulk"
    assert reverse("measures:data_import", args=["p", 1]).endswith("/import/")
    assert reverse("events:storyboard_upload", args=[1]).endswith("/upload/")
    assert django_settings.DATA_UPLOAD_MAX_MEMORY_SIZE == django_settings.REQUEST_MAX_BODY_BYTES
