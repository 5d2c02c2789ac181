"""Backup archives that restore: the database and the uploaded files in one ``.tar``.

An archive holds three kinds of member:

- ``manifest.json`` — format version, when it was made, the qicollab version, the database
  vendor, every applied migration, and a SHA-256 checksum of every other member;
- ``database.sqlite3`` (SQLite, copied with the online backup API, so it is consistent while
  the site runs) or ``database.pgdump`` (PostgreSQL, ``pg_dump --format=custom``, a
  consistent snapshot by construction);
- ``media/…`` — every file under ``MEDIA_ROOT``.

:func:`restore_archive` refuses an archive made on another database vendor or by newer code
(a migration this code does not know), and checks every checksum before it changes anything.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path, PurePosixPath
from typing import Any

from django.db import connections
from django.db.migrations.loader import MigrationLoader
from django.db.migrations.recorder import MigrationRecorder

FORMAT_VERSION = 1
MANIFEST = "manifest.json"
MEDIA_PREFIX = "media/"
DUMP_NAMES = {"sqlite": "database.sqlite3", "postgresql": "database.pgdump"}

Progress = Callable[[str], None]


class BackupError(Exception):
    """A backup or restore could not be done; the message says why and what to do."""


@dataclass
class Manifest:
    """What an archive says about itself."""

    version: int
    created_at: str
    qicollab_version: str
    vendor: str
    migrations: dict[str, list[str]]
    files: dict[str, str] = field(default_factory=dict)

    def as_json(self) -> bytes:
        """The manifest as it is stored in the archive."""
        return json.dumps(self.__dict__, indent=2, sort_keys=True).encode()

    @classmethod
    def from_json(cls, raw: bytes) -> Manifest:
        """Read a stored manifest, refusing one that is not from a qicollab backup."""
        try:
            data = json.loads(raw)
            return cls(
                version=int(data["version"]),
                created_at=str(data["created_at"]),
                qicollab_version=str(data.get("qicollab_version", "")),
                vendor=str(data["vendor"]),
                migrations={str(k): [str(n) for n in v] for k, v in data["migrations"].items()},
                files={str(k): str(v) for k, v in data["files"].items()},
            )
        except (ValueError, KeyError, TypeError, AttributeError) as exc:
            raise BackupError("The archive's manifest.json is not a qicollab manifest.") from exc


def _quiet(_: str) -> None:
    return None


def _sha256(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as fh:
        for chunk in iter(lambda: fh.read(1024 * 1024), b""):
            h.update(chunk)
    return h.hexdigest()


def _qicollab_version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("qicollab")
    except PackageNotFoundError:
        return ""


def applied_migrations(using: str = "default") -> dict[str, list[str]]:
    """Every migration recorded as applied in the database, by app."""
    applied: dict[str, list[str]] = {}
    for app, name in sorted(MigrationRecorder(connections[using]).applied_migrations()):
        applied.setdefault(app, []).append(name)
    return applied


def _pg_args(settings_dict: Mapping[str, Any]) -> tuple[list[str], dict[str, str]]:
    """Connection arguments and environment for the PostgreSQL client tools."""
    args: list[str] = []
    if settings_dict.get("HOST"):
        args += ["--host", str(settings_dict["HOST"])]
    if settings_dict.get("PORT"):
        args += ["--port", str(settings_dict["PORT"])]
    if settings_dict.get("USER"):
        args += ["--username", str(settings_dict["USER"])]
    env = dict(os.environ)
    if settings_dict.get("PASSWORD"):
        env["PGPASSWORD"] = str(settings_dict["PASSWORD"])
    return args, env


def _run(command: list[str], env: dict[str, str]) -> None:
    tool = command[0]
    if shutil.which(tool) is None:
        raise BackupError(
            f"{tool} was not found. Install the PostgreSQL client tools "
            "(e.g. apt-get install postgresql-client) matching the server's major version."
        )
    result = subprocess.run(command, env=env, capture_output=True, text=True, check=False)  # noqa: S603
    if result.returncode != 0:
        raise BackupError(f"{tool} failed: {result.stderr.strip() or result.stdout.strip()}")


def dump_database(target: Path, using: str = "default") -> str:
    """Write a consistent copy of the database to ``target``; returns the vendor."""
    connection = connections[using]
    vendor = connection.vendor
    if vendor == "sqlite":
        if connection.is_in_memory_db():  # type: ignore[attr-defined]  # SQLite only
            # Only the test suite runs on an in-memory database; its shared-cache pages are
            # copied whole (the backup API waits forever on the shared cache's table locks).
            connection.ensure_connection()
            memory = connection.connection
            assert memory is not None
            target.write_bytes(memory.serialize())
            return vendor
        source = sqlite3.connect(str(connection.settings_dict["NAME"]), timeout=30)
        dest = sqlite3.connect(target)
        try:
            # The online backup API copies page by page and restarts if another connection
            # writes meanwhile, so the copy is one consistent state of a live database.
            source.backup(dest)
        finally:
            source.close()
            dest.close()
    elif vendor == "postgresql":
        args, env = _pg_args(connection.settings_dict)
        _run(
            [
                *("pg_dump", "--format=custom", "--no-owner", "--file", str(target)),
                *args,
                *("--dbname", str(connection.settings_dict["NAME"])),
            ],
            env,
        )
    else:
        raise BackupError(f"Backups support SQLite and PostgreSQL, not {vendor}.")
    return vendor


def _media_files(media_root: Path) -> list[Path]:
    if not media_root.is_dir():
        return []
    return sorted(p for p in media_root.rglob("*") if p.is_file() and not p.is_symlink())


def create_backup(
    output: Path, *, media_root: Path, using: str = "default", progress: Progress = _quiet
) -> Manifest:
    """Write one archive with the database, every uploaded file and a manifest to ``output``."""
    output = Path(output)
    output.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="qicollab-backup-") as tmp:
        vendor = connections[using].vendor
        dump_name = DUMP_NAMES.get(vendor)
        if dump_name is None:
            raise BackupError(f"Backups support SQLite and PostgreSQL, not {vendor}.")
        dump = Path(tmp) / dump_name
        progress(f"Dumping the {vendor} database…")
        dump_database(dump, using)
        manifest = Manifest(
            version=FORMAT_VERSION,
            created_at=datetime.now(UTC).isoformat(timespec="seconds"),
            qicollab_version=_qicollab_version(),
            vendor=vendor,
            migrations=applied_migrations(using),
        )
        manifest.files[dump_name] = _sha256(dump)
        progress(f"Database dumped ({dump.stat().st_size:,} bytes).")
        media = _media_files(media_root)
        progress(f"Adding {len(media)} uploaded file(s) from {media_root}…")
        # Write to a temporary name and rename, so a failed run never leaves a half archive
        # where the retention job would count it as a good backup.
        partial = output.with_name(output.name + ".partial")
        with tarfile.open(partial, "w") as tar:
            tar.add(dump, arcname=dump_name)
            for path in media:
                arcname = MEDIA_PREFIX + path.relative_to(media_root).as_posix()
                manifest.files[arcname] = _sha256(path)
                tar.add(path, arcname=arcname)
            raw = manifest.as_json()
            info = tarfile.TarInfo(MANIFEST)
            info.size = len(raw)
            info.mtime = int(datetime.now(UTC).timestamp())
            tar.addfile(info, io.BytesIO(raw))
        partial.replace(output)
    progress(f"Backup written to {output} ({output.stat().st_size:,} bytes).")
    return manifest


def _extract(archive: Path, into: Path) -> Manifest:
    """Unpack ``archive`` into ``into`` and check it against its manifest."""
    try:
        tar = tarfile.open(archive, "r")  # noqa: SIM115 (closed by the ``with`` below)
    except (OSError, tarfile.TarError) as exc:
        raise BackupError(f"{archive} is not a readable backup archive: {exc}") from exc
    with tar:
        members = tar.getmembers()
        names = {m.name for m in members}
        if MANIFEST not in names:
            raise BackupError(f"{archive} has no manifest.json: it is not a qicollab backup.")
        for member in members:
            parts = PurePosixPath(member.name).parts
            if (
                not (member.isfile() or member.isdir())
                or member.name.startswith("/")
                or ".." in parts
            ):
                raise BackupError(f"The archive holds an unsafe entry: {member.name!r}.")
        # The "data" filter refuses links, devices and paths outside ``into`` a second time.
        tar.extractall(into, filter="data")
    manifest = Manifest.from_json((into / MANIFEST).read_bytes())
    stored = {m.name for m in members if m.isfile()} - {MANIFEST}
    missing = sorted(set(manifest.files) - stored)
    unlisted = sorted(stored - set(manifest.files))
    if missing:
        raise BackupError(f"The archive is missing {len(missing)} file(s), e.g. {missing[0]}.")
    if unlisted:
        raise BackupError(
            f"The archive holds file(s) its manifest does not list, e.g. {unlisted[0]}."
        )
    bad = [name for name, digest in manifest.files.items() if _sha256(into / name) != digest]
    if bad:
        raise BackupError(
            f"{len(bad)} file(s) in the archive do not match their checksum, e.g. {bad[0]}: "
            "the archive is damaged. Nothing has been changed."
        )
    return manifest


def check_compatible(manifest: Manifest, using: str = "default") -> list[str]:
    """Refuse an archive this code and database cannot take; return notes for the operator."""
    if manifest.version > FORMAT_VERSION:
        raise BackupError(
            f"The archive uses backup format {manifest.version}; this code reads up to "
            f"{FORMAT_VERSION}. Restore it with the qicollab version that made it."
        )
    vendor = connections[using].vendor
    if manifest.vendor != vendor:
        raise BackupError(
            f"The archive holds a {manifest.vendor} database but this site is configured for "
            f"{vendor}. Restore it into a {manifest.vendor} database (check DATABASE_URL)."
        )
    known = set(MigrationLoader(None, ignore_no_migrations=True).disk_migrations)
    newer = sorted(
        f"{app}.{name}"
        for app, names in manifest.migrations.items()
        for name in names
        if (app, name) not in known
    )
    if newer:
        raise BackupError(
            f"The archive was made by newer code: {len(newer)} migration(s) it applied are "
            f"unknown here (e.g. {newer[0]}). Upgrade qicollab to the version that made it, "
            "then restore."
        )
    archived = {(app, name) for app, names in manifest.migrations.items() for name in names}
    pending = len(known - archived)
    return (
        [f"{pending} migration(s) are newer than the archive: run `qicollab migrate` after."]
        if pending
        else []
    )


def read_manifest(archive: Path) -> Manifest:
    """The manifest of ``archive``, after checking every checksum (nothing is changed)."""
    with tempfile.TemporaryDirectory(prefix="qicollab-verify-") as tmp:
        return _extract(Path(archive), Path(tmp))


def _restore_database(dump: Path, vendor: str, settings_dict: Mapping[str, Any]) -> None:
    if vendor == "sqlite":
        name = str(settings_dict["NAME"])
        Path(name).parent.mkdir(parents=True, exist_ok=True)
        source = sqlite3.connect(dump)
        dest = sqlite3.connect(name, timeout=30)
        try:
            # Copying into the live file through the backup API (rather than replacing the
            # file) keeps its WAL consistent and waits for other connections' locks.
            source.backup(dest)
        finally:
            source.close()
            dest.close()
    else:
        args, env = _pg_args(settings_dict)
        _run(
            [
                *("pg_restore", "--clean", "--if-exists", "--no-owner", "--single-transaction"),
                "--exit-on-error",
                *args,
                *("--dbname", str(settings_dict["NAME"]), str(dump)),
            ],
            env,
        )


def _restore_media(source: Path, media_root: Path) -> int:
    media_root.mkdir(parents=True, exist_ok=True)
    # Empty the directory rather than replace it: MEDIA_ROOT is often a mount point.
    for child in media_root.iterdir():
        if child.is_dir() and not child.is_symlink():
            shutil.rmtree(child)
        else:
            child.unlink()
    count = 0
    if source.is_dir():
        for path in sorted(p for p in source.rglob("*") if p.is_file()):
            target = media_root / path.relative_to(source)
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(path, target)
            count += 1
    return count


def restore_archive(
    archive: Path,
    *,
    media_root: Path,
    using: str = "default",
    confirm: Callable[[Manifest], bool] | None = None,
    progress: Progress = _quiet,
) -> Manifest:
    """Replace the database and ``media_root`` with the contents of ``archive``.

    Everything is checked first (checksums, vendor, migration state) and ``confirm`` is asked;
    a refusal or a ``False`` answer leaves the site exactly as it was.
    """
    archive = Path(archive)
    with tempfile.TemporaryDirectory(prefix="qicollab-restore-") as tmp:
        work = Path(tmp)
        progress(f"Checking {archive}…")
        manifest = _extract(archive, work)
        progress(f"All {len(manifest.files)} checksums match.")
        notes = check_compatible(manifest, using)
        progress(
            f"Archive made {manifest.created_at} from {manifest.vendor} "
            f"(qicollab {manifest.qicollab_version or 'unknown'})."
        )
        if confirm is not None and not confirm(manifest):
            raise BackupError("Restore cancelled: nothing has been changed.")
        connection = connections[using]
        settings_dict = dict(connection.settings_dict)
        # Our own connection must not hold the database open while it is replaced.
        connections[using].close()
        progress(f"Restoring the {manifest.vendor} database…")
        _restore_database(work / DUMP_NAMES[manifest.vendor], manifest.vendor, settings_dict)
        progress(f"Restoring uploaded files into {media_root}…")
        count = _restore_media(work / MEDIA_PREFIX.rstrip("/"), Path(media_root))
        progress(f"Restored {count} uploaded file(s).")
        for note in notes:
            progress(note)
    return manifest
