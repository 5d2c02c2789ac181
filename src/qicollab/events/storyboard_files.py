"""Storyboard files: checked by content, stored under random names, read back for the view.

Uploads are judged by what they contain, never by file name or the browser's claimed type:
the first bytes must be a PDF, PNG or JPEG signature; images must open and decode with Pillow
(and a thumbnail is re-encoded from the pixels); PDFs must have the structure of a PDF
(header, ``startxref`` pointing at a cross-reference, ``%%EOF``), parse with pypdf within
bounds of pages, objects and time, and hold no active content (scripts, automatic, launch or
web-link actions, attachments, XFA, rich media); encrypted PDFs are refused. Images are
refused over a pixel limit read from the header, before any pixel is decoded. Files are
stored in the media storage under random, extension-less names and served only by a
permission-checked view.
"""

from __future__ import annotations

import io
import re
import secrets
import time
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

# Bounds on the work one uploaded PDF may cost. A storyboard is a poster or a short handout;
# the platform's own A3 storyboard has 1 page and under 100 objects.
MAX_PDF_PAGES = 50
MAX_PDF_OBJECTS = 20_000
PDF_CHECK_SECONDS = 3.0
# Decoded object streams (where PDF 1.5+ keeps most dictionaries), each and in all.
_PDF_MAX_STREAM_BYTES = 8 * 1024 * 1024
_PDF_MAX_DECODED_BYTES = 32 * 1024 * 1024
_PDF_MAX_DEPTH = 64

# What each kind of active content is called in the message, in the order it is listed.
_PDF_FINDINGS = {
    "script": "scripts",
    "auto": "actions that run by themselves (when it opens, closes or is printed)",
    "launch": "actions that open other files or programs",
    "uri": "web links",
    "submit": "forms that send what is typed to a web address",
    "embedded": "embedded files",
    "xfa": "an XFA form",
    "media": "video, sound, Flash or 3D content",
}
# Action types (/S) and annotation or object types (/Subtype) a storyboard never needs.
# /GoTo (a page of the same document) and /Named (next page, print…) stay allowed.
_PDF_ACTION_KINDS = {
    "/JavaScript": "script",
    "/Launch": "launch",
    "/GoToR": "launch",
    "/GoToE": "launch",
    "/ImportData": "launch",
    "/URI": "uri",
    "/SubmitForm": "submit",
    "/Rendition": "media",
    "/Movie": "media",
    "/Sound": "media",
    "/RichMediaExecute": "media",
}
_PDF_SUBTYPES = {
    "/RichMedia": "media",
    "/Screen": "media",
    "/Movie": "media",
    "/Sound": "media",
    "/3D": "media",
    "/FileAttachment": "embedded",
}
_PDF_KEYS = {
    "/JS": "script",
    "/JavaScript": "script",  # in the /Names tree: document-level scripts
    "/AA": "auto",
    "/EmbeddedFiles": "embedded",
    "/EF": "embedded",
    "/XFA": "xfa",
    "/RichMediaContent": "media",
}


class _TooComplex(Exception):
    """The PDF would cost more work to check than a storyboard should."""


def _check_pdf(data: bytes) -> None:
    """Check the PDF's structure, then parse it and refuse any active content.

    Names are compared as the parser reads them, so ``/J#61vaScript`` is ``/JavaScript``, and
    objects packed into compressed object streams are inspected like the others. Every object
    in the cross-reference table is inspected, not only the places a viewer looks first:
    anything that could run or reach out (scripts, automatic actions, launch and web-link
    actions, forms that submit, attachments, XFA, rich media) is refused wherever it sits.
    Web links are refused rather than removed: rewriting someone's file would be a surprise,
    and "Print to PDF" drops them in one step.
    """
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
    try:
        findings = _pdf_active_content(data)
    except ValidationError:
        raise
    except _TooComplex:
        raise ValidationError(
            f"The PDF is too complex to check (more than {MAX_PDF_OBJECTS:,} parts, or too "
            "slow to read). Export it again as a simpler PDF, or as a PNG or JPEG image."
        ) from None
    except Exception:  # pypdf raises many kinds of error for broken files
        raise ValidationError(
            "The PDF could not be read: the file may be damaged. Save it again (or use "
            "'Print to PDF') and upload the new copy."
        ) from None
    if findings:
        kinds = [text for key, text in _PDF_FINDINGS.items() if key in findings]
        listed = kinds[0] if len(kinds) == 1 else ", ".join(kinds[:-1]) + " and " + kinds[-1]
        advice = (
            " Links in an uploaded storyboard cannot be checked, so they are not accepted."
            if "uri" in findings
            else ""
        )
        raise ValidationError(
            f"The PDF contains {listed}.{advice} A storyboard needs none of these: make a plain "
            "copy with 'Print to PDF' (which keeps what the pages show) and upload that."
        )


def _pdf_active_content(data: bytes) -> set[str]:
    """The kinds of active content in the PDF (keys of ``_PDF_FINDINGS``).

    Raises ValidationError for an encrypted or overlong PDF and ``_TooComplex`` when the work
    would exceed the bounds above; anything else the parser raises means unreadable.
    """
    from pypdf import PdfReader, apply_configuration
    from pypdf.generic import IndirectObject, StreamObject

    deadline = time.monotonic() + PDF_CHECK_SECONDS
    limits = {
        "zlib_maximum_output_length": _PDF_MAX_STREAM_BYTES,
        "lzw_maximum_output_length": _PDF_MAX_STREAM_BYTES,
        "run_length_maximum_output_length": _PDF_MAX_STREAM_BYTES,
        "brotli_maximum_output_length": _PDF_MAX_STREAM_BYTES,
        "array_based_stream_maximum_output_length": _PDF_MAX_STREAM_BYTES,
        "page_tree_maximum_entries": MAX_PDF_OBJECTS,
        "page_tree_maximum_page_entries": MAX_PDF_OBJECTS,
        "array_maximum_element_count": MAX_PDF_OBJECTS,
        "dictionary_maximum_element_count": MAX_PDF_OBJECTS,
    }
    with apply_configuration(None, **limits), warnings.catch_warnings():
        warnings.simplefilter("ignore")  # pypdf warns about recoverable damage; we judge
        reader = PdfReader(io.BytesIO(data), strict=False)
        if reader.is_encrypted:
            raise ValidationError(
                "The PDF is password-protected or encrypted, so it cannot be checked. Save a "
                "copy without a password or restrictions and upload that."
            )
        refs = {(num, gen) for gen, table in reader.xref.items() for num in table}
        refs |= {(num, 0) for num in reader.xref_objStm}
        if len(refs) > MAX_PDF_OBJECTS:
            raise _TooComplex
        pages = len(reader.pages)
        if pages > MAX_PDF_PAGES:
            raise ValidationError(
                f"The PDF has {pages:,} pages; a storyboard can have at most "
                f"{MAX_PDF_PAGES}. Upload the poster or the pages that tell the story."
            )
        findings: set[str] = set()
        decoded: dict[int, int] = {}
        _scan_pdf_value(reader.trailer, findings, deadline)
        for num, gen in sorted(refs):
            obj = reader.get_object(IndirectObject(num, gen, reader))
            _scan_pdf_value(obj, findings, deadline)
            # Objects read from a compressed object stream cost its decoded size once.
            if num in reader.xref_objStm:
                stream_num = reader.xref_objStm[num][0]
                if stream_num not in decoded:
                    stream = reader.get_object(IndirectObject(stream_num, 0, reader))
                    decoded[stream_num] = (
                        len(stream.get_data()) if isinstance(stream, StreamObject) else 0
                    )
                    if sum(decoded.values()) > _PDF_MAX_DECODED_BYTES:
                        raise _TooComplex
        return findings


def _scan_pdf_value(value: Any, findings: set[str], deadline: float) -> None:
    """Record active content in one object and the direct objects nested in it.

    References to other objects are not followed: every indirect object is scanned once in
    its own right.
    """
    from pypdf.generic import ArrayObject, DictionaryObject

    stack: list[tuple[Any, int]] = [(value, 0)]
    while stack:
        if time.monotonic() > deadline:
            raise _TooComplex
        item, depth = stack.pop()
        if depth > _PDF_MAX_DEPTH:
            raise _TooComplex
        if isinstance(item, DictionaryObject):
            for key, inner in item.items():
                # Names are str; a malformed value (a dictionary where a name belongs) is
                # scanned like any other but never looked up.
                name = inner if isinstance(inner, str) else None
                if key in _PDF_KEYS:
                    findings.add(_PDF_KEYS[key])
                elif key == "/S" and name in _PDF_ACTION_KINDS:
                    findings.add(_PDF_ACTION_KINDS[str(name)])
                elif key == "/Subtype" and name in _PDF_SUBTYPES:
                    findings.add(_PDF_SUBTYPES[str(name)])
                elif key == "/Type" and name == "/EmbeddedFile":
                    findings.add("embedded")
                stack.append((inner, depth + 1))
        elif isinstance(item, ArrayObject):
            stack.extend((inner, depth + 1) for inner in item)


def _too_many_pixels(size: tuple[int, int] | None) -> ValidationError:
    limit = int(settings.UPLOAD_MAX_IMAGE_PIXELS) / 1_000_000
    if size is None:
        what = "The image has too many pixels"
    else:
        w, h = size
        what = f"The image is {w:,} by {h:,} pixels ({w * h / 1_000_000:.1f} megapixels)"
    return ValidationError(
        f"{what}; a storyboard image can be up to {limit:g} megapixels. Resize it (an A1 "
        "poster at 150 dpi is about 3,500 by 5,000 pixels) and upload it again."
    )


def _check_image(data: bytes, content_type: str) -> tuple[bytes, bytes]:
    """Check the image's size from its header, then decode it; return it re-encoded from its
    pixels alone, and a PNG thumbnail.

    The pixel count is read from the header before anything is decoded (a 336 KB PNG can
    hold 9,400 by 9,400 pixels, 265 MB of memory per copy), and refused over
    ``UPLOAD_MAX_IMAGE_PIXELS``. Re-encoding drops EXIF, XMP and text chunks: a phone photo of
    a ward's poster carries the GPS position and the camera owner's name, which the gallery
    must not publish. The EXIF orientation is applied first so the picture still stands the
    right way up. The pixels are kept in one copy at a time where Pillow allows.
    """
    try:
        from PIL import Image, ImageOps, JpegImagePlugin, PngImagePlugin
    except ImportError:  # pragma: no cover - Pillow is a dependency; stay safe without it
        return data, b""
    expected = {PNG: "PNG", JPEG: "JPEG"}[content_type]
    header_reader = {PNG: PngImagePlugin.PngImageFile, JPEG: JpegImagePlugin.JpegImageFile}
    limit = int(settings.UPLOAD_MAX_IMAGE_PIXELS)
    try:
        with warnings.catch_warnings():
            # Over Pillow's own limit is a decompression bomb, not a poster: an error.
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            # The format's own reader parses the header only (no pixels, and none of
            # Image.open's checks), so the size can be judged and named first.
            with header_reader[content_type](io.BytesIO(data)) as header:
                size = header.size
            if size[0] * size[1] > limit:
                raise _too_many_pixels(size)
            with Image.open(io.BytesIO(data), formats=[expected]) as probe:
                probe.verify()
            with Image.open(io.BytesIO(data), formats=[expected]) as img:
                img.load()
                ImageOps.exif_transpose(img, in_place=True)
                # Nothing of the original's metadata is written: the encoders take EXIF,
                # ICC and text only from ``info`` or from arguments, and neither has any.
                img.info.clear()
                clean = io.BytesIO()
                if expected == "JPEG":
                    out_img = img if img.mode in ("RGB", "L") else img.convert("RGB")
                    out_img.save(clean, format="JPEG", quality=92, optimize=True)
                else:
                    # Zlib's fastest level: on a noisy 7 MP picture level 9 ("optimize") took
                    # minutes and the default level 20 s, for a file only a tenth smaller.
                    img.save(clean, format="PNG", compress_level=1)
                return clean.getvalue(), _thumbnail(img)
    except ValidationError:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise _too_many_pixels(None) from None
    except Exception:  # Pillow raises many kinds of error for broken files
        raise ValidationError(
            "The image could not be opened: the file may be damaged. Save it again and "
            "upload the new copy."
        ) from None


def _thumbnail(img: Any) -> bytes:
    """A PNG at most THUMB_WIDTH wide, made by resizing first so no full-size copy is made."""
    from PIL import Image

    source = img if img.mode in ("RGB", "RGBA", "L", "LA") else img.convert("RGB")
    w, h = source.size
    scale = min(1.0, THUMB_WIDTH / w, THUMB_WIDTH * 2 / h)
    size = (max(1, round(w * scale)), max(1, round(h * scale)))
    small = source.resize(size, Image.Resampling.LANCZOS, reducing_gap=3.0)
    out = io.BytesIO()
    small.convert("RGB").save(out, format="PNG", optimize=True)
    return out.getvalue()


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
