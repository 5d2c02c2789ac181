"""Checks of uploaded files before anything parses them.

Zip-based formats (Excel ``.xlsx``, Word ``.docx``, OpenDocument) are archives: a file of a
few hundred kilobytes can unpack to gigabytes (an 830 KB workbook whose shared-strings part
unpacked to hundreds of megabytes held a worker for 30 seconds and 700 MB). The archive's
central directory says how big each member is *before* anything is unpacked, and Python's
``zipfile`` never returns more than that declared size (a member that lies fails its CRC
check instead), so the directory alone bounds the work: :func:`check_zip_archive` reads it
in milliseconds and refuses what would expand too far.

>>> import io, zipfile
>>> buf = io.BytesIO()
>>> with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
...     z.writestr("xl/sharedStrings.xml", "<sst>" + "a" * 5_000_000 + "</sst>")
>>> try:
...     check_zip_archive(buf.getvalue(), max_members=10, max_uncompressed=10**9,
...                       max_member=10**9, max_ratio=100)
... except UploadRefused as exc:
...     print(str(exc)[:57])
One part of this file (xl/sharedStrings.xml) is compresse
"""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass

__all__ = ["RATIO_FLOOR", "NotAnArchive", "UploadRefused", "ZipSummary", "check_zip_archive"]

#: Members smaller than this when unpacked are never refused for their compression ratio:
#: small, highly repetitive XML parts (styles, empty sheets) compress very well.
RATIO_FLOOR = 1024 * 1024


class UploadRefused(ValueError):
    """The upload cannot be used; the message is written for the person who sent it."""


class NotAnArchive(UploadRefused):
    """The upload is not a readable zip archive (callers may word this for their format)."""


@dataclass(frozen=True)
class ZipSummary:
    """What the archive would unpack to (returned when it is within the limits)."""

    members: int
    uncompressed: int
    largest: int


def _mb(size: int) -> str:
    return f"{size / (1024 * 1024):,.0f} MB" if size >= 1024 * 1024 else f"{size:,} bytes"


def _setting(name: str, given: int | None) -> int:
    if given is not None:
        return given
    from django.conf import settings  # only when a limit is not given

    return int(getattr(settings, name))


def check_zip_archive(
    data: bytes,
    *,
    max_members: int | None = None,
    max_uncompressed: int | None = None,
    max_member: int | None = None,
    max_ratio: int | None = None,
    what: str = "file",
) -> ZipSummary:
    """Refuse a zip-based upload that would unpack too far, before it is unpacked.

    Limits not given come from the settings ``UPLOAD_ZIP_MAX_MEMBERS``,
    ``UPLOAD_ZIP_MAX_UNCOMPRESSED_BYTES``, ``UPLOAD_ZIP_MAX_MEMBER_BYTES`` and
    ``UPLOAD_ZIP_MAX_RATIO`` (the ratio applies to members over :data:`RATIO_FLOOR`).
    Raises :class:`UploadRefused` with a message for the person (:class:`NotAnArchive` when
    ``data`` is not a zip archive at all); returns a summary otherwise.
    """
    max_members = _setting("UPLOAD_ZIP_MAX_MEMBERS", max_members)
    max_uncompressed = _setting("UPLOAD_ZIP_MAX_UNCOMPRESSED_BYTES", max_uncompressed)
    max_member = _setting("UPLOAD_ZIP_MAX_MEMBER_BYTES", max_member)
    max_ratio = _setting("UPLOAD_ZIP_MAX_RATIO", max_ratio)
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError):
        raise NotAnArchive(
            f"This {what} is damaged or is not the kind of file its name says. Save it again "
            "and try again."
        ) from None
    if len(members) > max_members:
        raise UploadRefused(
            f"This {what} is made of {len(members):,} parts, more than the {max_members:,} an "
            "upload may have. Save the data in a new, simpler file and try again."
        )
    total = 0
    largest = 0
    for info in members:
        size = info.file_size
        if size > max_member:
            raise UploadRefused(
                f"One part of this {what} ({info.filename}) unpacks to {_mb(size)}, more than "
                f"the {_mb(max_member)} allowed. Remove what is not needed (other sheets, "
                "images, formatting), or save the data as CSV, and try again."
            )
        if size > RATIO_FLOOR and size > max_ratio * max(info.compress_size, 1):
            raise UploadRefused(
                f"One part of this {what} ({info.filename}) is compressed "
                f"{size // max(info.compress_size, 1):,} times over (it unpacks to "
                f"{_mb(size)}), far more than ordinary files are. It may be built to "
                "overload the service, so it was not opened. Save the data in a new file "
                "and try again."
            )
        total += size
        largest = max(largest, size)
    if total > max_uncompressed:
        raise UploadRefused(
            f"This {what} unpacks to {_mb(total)}, more than the {_mb(max_uncompressed)} an "
            "upload may. Remove what is not needed (other sheets, images, formatting), or "
            "save the data as CSV, and try again."
        )
    return ZipSummary(len(members), total, largest)
