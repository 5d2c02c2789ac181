"""Storyboard files: checked by content, stored under random names, read back for the view.

Uploads are judged by what they contain, never by file name or the browser's claimed type:
the first bytes must be a PDF, PNG or JPEG signature; images must open and decode with Pillow
(and a thumbnail is re-encoded from the pixels); PDFs must have the structure of a PDF
(header, ``startxref`` pointing at a cross-reference, ``%%EOF``) and no scripts, launch
actions or embedded files. Files are stored in the media storage under random,
extension-less names and served only by a permission-checked view.
"""

from __future__ import annotations

import io
import re
import secrets
import warnings
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage

if TYPE_CHECKING:
    from qicollab.events.models import Storyboard

PNG = "image/png"
JPEG = "image/jpeg"
PDF = "application/pdf"
EXTENSIONS = {PNG: "png", JPEG: "jpg", PDF: "pdf"}
THUMB_WIDTH = 480
DIR = "storyboards"


def sniff(data: bytes) -> str | None:
    """The content type the bytes really are (PDF, PNG or JPEG), or ``None``.

    >>> sniff(b"%PDF-1.7\\n...")
    'application/pdf'
    >>> sniff(b"MZ\\x90\\x00") is None
    True
    """
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    if data.startswith(b"\xff\xd8\xff"):
        return JPEG
    if data.startswith(b"%PDF-"):
        return PDF
    return None


_PDF_HEADER = re.compile(rb"\A%PDF-[12]\.\d")
_STARTXREF = re.compile(rb"startxref\s+(\d+)\s+%%EOF\s*\Z")
_XREF_AT = re.compile(rb"\s*(xref|\d+\s+\d+\s+obj)")
# Active content a storyboard never needs. Long names only: short ones (/JS) turn up by
# chance in compressed data.
_PDF_ACTIVE = (b"/JavaScript", b"/Launch", b"/EmbeddedFile", b"/RichMedia")


def _check_pdf(data: bytes) -> None:
    if not _PDF_HEADER.match(data):
        raise ValidationError("The file starts like a PDF but its version header is not valid.")
    tail = data[-2048:]
    m = _STARTXREF.search(tail)
    if m is None:
        raise ValidationError(
            "The PDF is incomplete or damaged (it has no proper ending). Save it again and "
            "upload the new copy."
        )
    offset = int(m.group(1))
    if offset >= len(data) or not _XREF_AT.match(data, offset):
        raise ValidationError(
            "The PDF is damaged (its table of contents is not where it says). Save it again "
            "and upload the new copy."
        )
    if any(marker in data for marker in _PDF_ACTIVE):
        raise ValidationError(
            "The PDF contains scripts, actions or embedded files. Export a plain PDF and "
            "upload that."
        )


def _check_image(data: bytes, content_type: str) -> tuple[bytes, bytes]:
    """Open and fully decode the image; return it re-encoded from its pixels alone, and a
    PNG thumbnail.

    Re-encoding drops EXIF, XMP and text chunks: a phone photo of a ward's poster carries
    the GPS position and the camera owner's name, which the gallery must not publish. The
    EXIF orientation is applied first so the picture still stands the right way up.
    """
    try:
        from PIL import Image, ImageOps
    except ImportError:  # pragma: no cover - Pillow is a dependency; stay safe without it
        return data, b""
    expected = {PNG: "PNG", JPEG: "JPEG"}[content_type]
    try:
        with warnings.catch_warnings():
            # A huge pixel count is a decompression bomb, not a poster.
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data)) as probe:
                if probe.format != expected:
                    raise ValidationError("The image is not the type its content says.")
                probe.verify()
            with Image.open(io.BytesIO(data)) as img:
                img.load()
                upright = ImageOps.exif_transpose(img)
                # A new image from the raw pixels carries no metadata at all.
                pixels = Image.frombytes(upright.mode, upright.size, upright.tobytes())
                if upright.mode == "P":
                    pixels.putpalette(upright.getpalette() or [])
                clean = io.BytesIO()
                if expected == "JPEG":
                    pixels.convert("RGB").save(clean, format="JPEG", quality=92, optimize=True)
                else:
                    pixels.save(clean, format="PNG", optimize=True)
                thumb = upright.convert("RGB")
                thumb.thumbnail((THUMB_WIDTH, THUMB_WIDTH * 2))
                out = io.BytesIO()
                thumb.save(out, format="PNG", optimize=True)
                return clean.getvalue(), out.getvalue()
    except ValidationError:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise ValidationError(
            "The image has too many pixels. Resize it (for example to A1 at 150 dpi) and "
            "upload it again."
        ) from None
    except Exception:  # Pillow raises many kinds of error for broken files
        raise ValidationError(
            "The image could not be opened: the file may be damaged. Save it again and "
            "upload the new copy."
        ) from None


@dataclass(frozen=True)
class CheckedFile:
    data: bytes
    content_type: str
    thumbnail: bytes
    original_name: str


def max_upload_mb() -> int:
    return int(settings.STORYBOARD_MAX_UPLOAD_BYTES // (1024 * 1024))


def check_upload(upload: Any) -> CheckedFile:
    """Read and check an uploaded file by its content. Raises ValidationError with the reason."""
    limit = int(settings.STORYBOARD_MAX_UPLOAD_BYTES)
    size = getattr(upload, "size", None)
    if size is not None and size > limit:
        raise ValidationError(
            f"The file is {size / (1024 * 1024):.1f} MB; a storyboard can be up to "
            f"{max_upload_mb()} MB. Reduce its size (for example, export the PDF for screen "
            "rather than print) and upload it again."
        )
    upload.seek(0)
    data = upload.read(limit + 1)
    if len(data) > limit:
        raise ValidationError(f"The file is larger than {max_upload_mb()} MB.")
    if not data:
        raise ValidationError("The file is empty.")
    content_type = sniff(data)
    if content_type is None:
        raise ValidationError(
            "Upload a PDF, PNG or JPEG file. This file is not one of those, whatever its name says."
        )
    thumbnail = b""
    if content_type == PDF:
        _check_pdf(data)
    else:
        data, thumbnail = _check_image(data, content_type)
    name = re.sub(r"[^\w .()-]", "_", str(getattr(upload, "name", "") or ""))[:150].strip()
    return CheckedFile(data, content_type, thumbnail, name or "storyboard")


def store(data: bytes) -> str:
    # Random, extension-less names: nothing to guess, and nothing a web server would run.
    return default_storage.save(f"{DIR}/{secrets.token_urlsafe(32)}", ContentFile(data))


def read_file(storyboard: Storyboard, *, thumbnail: bool = False) -> bytes | None:
    name = storyboard.thumb_name if thumbnail else storyboard.file_name
    if not name:
        return None
    try:
        with default_storage.open(name, "rb") as fh:
            data: bytes = fh.read()
            return data
    except OSError:
        return None


def download_name(storyboard: Storyboard) -> str:
    """A safe filename for Content-Disposition, with the extension of the real content."""
    stem = re.sub(r"[^A-Za-z0-9._-]+", "-", storyboard.original_name.rsplit(".", 1)[0]).strip("-")
    return f"{stem[:80] or 'storyboard'}.{EXTENSIONS.get(storyboard.content_type, 'bin')}"


def delete_files(*names: str) -> None:
    for name in names:
        if name:
            try:
                default_storage.delete(name)
            except OSError:
                continue
