"""``qicollab backup`` / ``qicollab restore``: a round trip gives back the same rows and files.

The round trip runs on whichever database the suite runs on: on SQLite the test database
(in memory) is backed up with the online backup API and restored into a new file; on
PostgreSQL it is dumped with ``pg_dump`` and restored with ``pg_restore`` into a scratch
database the test creates and drops. The restore runs as an operator runs it: the
``qicollab`` console script in a separate process, configured by environment variables.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import subprocess
import sys
import tarfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest
from cryptography.fernet import Fernet
from django.conf import settings as django_settings
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.utils import load_backend

from qicollab.core.backup import BackupError, create_backup, read_manifest, restore_archive
from qicollab.deaths import crypto
from qicollab.deaths.models import CaseName, Death
from tests.deaths.conftest import make_case, teams  # noqa: F401 (fixture)

KEY = Fernet.generate_key().decode()
SRC = Path(__file__).resolve().parents[2] / "src"


def _snapshot(conn: BaseDatabaseWrapper) -> dict[str, tuple[int, str]]:
    """Every table's row count and a checksum of its rows (order-independent)."""
    out: dict[str, tuple[int, str]] = {}
    with conn.cursor() as cursor:
        for table in sorted(conn.introspection.table_names(cursor)):
            cursor.execute(f"SELECT * FROM {conn.ops.quote_name(table)}")  # noqa: S608
            rows = sorted(
                repr(tuple(bytes(v) if isinstance(v, memoryview) else v for v in row))
                for row in cursor.fetchall()
            )
            out[table] = (len(rows), hashlib.sha256("\n".join(rows).encode()).hexdigest())
    return out


def _tree(root: Path) -> dict[str, str]:
    return {
        p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(root.rglob("*"))
        if p.is_file()
    }


@pytest.fixture
def scratch(tmp_path: Path) -> Iterator[dict[str, Any]]:
    """Settings for an empty database of the suite's vendor to restore into."""
    settings_dict = dict(connection.settings_dict)
    if connection.vendor == "sqlite":
        settings_dict["NAME"] = str(tmp_path / "restored.sqlite3")
        yield settings_dict
        return
    name = f"{connection.settings_dict['NAME']}_restore"[:63]
    with connection._nodb_cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}"')
        cursor.execute(f'CREATE DATABASE "{name}"')
    settings_dict["NAME"] = name
    try:
        yield settings_dict
    finally:
        with connection._nodb_cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _database_url(settings_dict: dict[str, Any]) -> str:
    if settings_dict["ENGINE"].endswith("sqlite3"):
        return "sqlite:///" + str(settings_dict["NAME"])
    auth = quote(settings_dict["USER"] or "")
    if settings_dict.get("PASSWORD"):
        auth += ":" + quote(settings_dict["PASSWORD"])
    host = settings_dict.get("HOST") or "127.0.0.1"
    port = settings_dict.get("PORT") or 5432
    return f"postgres://{auth}@{host}:{port}/{settings_dict['NAME']}"


def _qicollab(
    *args: str, database: dict[str, Any], media: Path
) -> subprocess.CompletedProcess[str]:
    """Run the console script in its own process, configured only by the environment."""
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "qicollab.config.settings",
        "DATABASE_URL": _database_url(database),
        "MEDIA_ROOT": str(media),
        "SECRET_KEY": django_settings.SECRET_KEY,
        "FIELD_ENCRYPTION_KEY": KEY,
        "PYTHONPATH": str(SRC),
    }
    return subprocess.run(
        [sys.executable, "-m", "qicollab.cli", *args],
        env=env,
        capture_output=True,
        text=True,
        check=False,
        timeout=300,
    )


@pytest.fixture
def site(teams: Any, settings: Any, tmp_path: Path) -> Any:  # noqa: F811
    """Cases with encrypted NHS numbers and names, and uploaded files in MEDIA_ROOT."""
    settings.FIELD_ENCRYPTION_KEY = KEY
    settings.MEDIA_ROOT = tmp_path / "media"
    case = make_case(teams, case_reference="LfD-A-100", nhs_number="943 476 5919")
    CaseName.objects.create(death=case, name="Alex Example", role="patient")
    make_case(teams, case_reference="LfD-A-101")
    media = Path(settings.MEDIA_ROOT)
    (media / "storyboards" / "2026").mkdir(parents=True)
    (media / "storyboards" / "2026" / "board.pdf").write_bytes(b"%PDF-1.4 " + bytes(range(256)))
    (media / "avatar.png").write_bytes(b"\x89PNG\r\n" + os.urandom(2048))
    return teams


@pytest.mark.django_db(transaction=True)
@pytest.mark.slow
def test_round_trip_gives_identical_rows_files_and_readable_identifiers(
    site: Any, scratch: dict[str, Any], tmp_path: Path
) -> None:
    # transaction=True: pg_dump runs in its own session and sees only committed rows.
    archive = tmp_path / "backups" / "site.tar"
    out = io.StringIO()
    call_command("backup", "--output", str(archive), stdout=out)
    assert "Dumping the" in out.getvalue() and "Backup complete" in out.getvalue()

    restored_media = tmp_path / "restored-media"
    restored_media.mkdir()
    (restored_media / "stale.txt").write_text("left from before the restore")
    result = _qicollab("restore", str(archive), "--yes", database=scratch, media=restored_media)
    assert result.returncode == 0, result.stderr
    assert "All" in result.stdout and "checksums match" in result.stdout
    assert "Restore complete" in result.stdout

    restored = load_backend(scratch["ENGINE"]).DatabaseWrapper(scratch, "restored")
    try:
        before, after = _snapshot(connection), _snapshot(restored)
        assert after == before
        for key_table in (
            "deaths_death",
            "deaths_casename",
            "accounts_person",
            "django_migrations",
        ):
            assert before[key_table][0] > 0, key_table
        with restored.cursor() as cursor:
            cursor.execute(
                "SELECT d.nhs_number, n.name FROM deaths_death d "
                "JOIN deaths_casename n ON n.death_id = d.id WHERE d.case_reference = %s",
                ["LfD-A-100"],
            )
            stored_nhs, stored_name = cursor.fetchone()
    finally:
        restored.close()
    # Still ciphertext at rest, and the configured key still opens it.
    assert stored_nhs.startswith("fernet:") and "943" not in stored_nhs
    assert crypto.decrypt(stored_nhs) == Death.objects.get(case_reference="LfD-A-100").nhs_number
    assert crypto.decrypt(stored_nhs).replace(" ", "") == "9434765919"
    assert crypto.decrypt(stored_name) == "Alex Example"

    assert _tree(restored_media) == _tree(Path(django_settings.MEDIA_ROOT))
    assert not (restored_media / "stale.txt").exists()

    # The restored site backs up as an operator runs it (on SQLite: a file database, through
    # the online backup API), and its archive lists the same uploads with the same checksums.
    again = tmp_path / "backups" / "again.tar"
    result = _qicollab("backup", "--output", str(again), database=scratch, media=restored_media)
    assert result.returncode == 0, result.stderr
    first, second = read_manifest(archive), read_manifest(again)
    assert second.migrations == first.migrations and second.vendor == first.vendor
    media_only = {k: v for k, v in first.files.items() if k.startswith("media/")}
    assert {k: v for k, v in second.files.items() if k.startswith("media/")} == media_only


def _rewrite(archive: Path, change: dict[str, bytes]) -> Path:
    """A copy of ``archive`` with some members' contents replaced."""
    copy = archive.with_name("tampered.tar")
    with tarfile.open(archive) as src, tarfile.open(copy, "w") as dst:
        for member in src.getmembers():
            data = change.get(member.name)
            if data is None:
                extracted = src.extractfile(member)
                assert extracted is not None
                data = extracted.read()
            info = tarfile.TarInfo(member.name)
            info.size = len(data)
            dst.addfile(info, io.BytesIO(data))
    return copy


@pytest.fixture
def archive(db: Any, settings: Any, tmp_path: Path) -> Path:
    settings.MEDIA_ROOT = tmp_path / "media"
    (tmp_path / "media").mkdir()
    (tmp_path / "media" / "keep.txt").write_text("the site's own upload")
    path = tmp_path / "site.tar"
    create_backup(path, media_root=tmp_path / "media")
    return path


def _manifest_with(archive: Path, **changes: Any) -> bytes:
    with tarfile.open(archive) as tar:
        extracted = tar.extractfile("manifest.json")
        assert extracted is not None
        data = json.loads(extracted.read())
    data.update(changes)
    return json.dumps(data).encode()


def _refused(archive: Path, media_root: Path) -> str:
    asked: list[bool] = []

    def confirm(_: Any) -> bool:
        asked.append(True)
        return False  # never let a test replace the suite's database

    with pytest.raises(BackupError) as exc:
        restore_archive(archive, media_root=media_root, confirm=confirm)
    assert not asked, "refused only after asking: the checks must come first"
    assert (media_root / "keep.txt").read_text() == "the site's own upload"
    return str(exc.value)


def test_manifest_lists_vendor_migrations_and_checksums(archive: Path) -> None:
    manifest = read_manifest(archive)
    assert manifest.vendor == connection.vendor and manifest.version == 1
    assert "0001_initial" in manifest.migrations["deaths"]
    assert set(manifest.files) == {
        {"sqlite": "database.sqlite3", "postgresql": "database.pgdump"}[connection.vendor],
        "media/keep.txt",
    }
    assert manifest.files["media/keep.txt"] == hashlib.sha256(b"the site's own upload").hexdigest()


def test_restore_refuses_another_vendor(archive: Path, tmp_path: Path) -> None:
    other = "postgresql" if connection.vendor == "sqlite" else "sqlite"
    tampered = _rewrite(archive, {"manifest.json": _manifest_with(archive, vendor=other)})
    message = _refused(tampered, tmp_path / "media")
    assert f"holds a {other} database" in message and connection.vendor in message


def test_restore_refuses_newer_migration_state(archive: Path, tmp_path: Path) -> None:
    migrations = read_manifest(archive).migrations
    migrations["deaths"].append("9999_from_the_future")
    tampered = _rewrite(archive, {"manifest.json": _manifest_with(archive, migrations=migrations)})
    message = _refused(tampered, tmp_path / "media")
    assert "newer code" in message and "deaths.9999_from_the_future" in message


def test_restore_refuses_a_damaged_archive_before_touching_anything(
    archive: Path, tmp_path: Path
) -> None:
    tampered = _rewrite(archive, {"media/keep.txt": b"changed after the backup"})
    message = _refused(tampered, tmp_path / "media")
    assert "do not match their checksum" in message and "media/keep.txt" in message
    assert "Nothing has been changed" in message


def test_restore_refuses_a_file_that_is_not_an_archive(tmp_path: Path, db: Any) -> None:
    junk = tmp_path / "junk.tar"
    junk.write_text("not a tar")
    with pytest.raises(CommandError, match="not a readable backup archive"):
        call_command("restore", str(junk), "--yes")
    with pytest.raises(CommandError, match="does not exist"):
        call_command("restore", str(tmp_path / "missing.tar"), "--yes")


def test_restore_asks_first_and_a_no_changes_nothing(
    archive: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("builtins.input", lambda prompt: "no")
    out = io.StringIO()
    with pytest.raises(CommandError, match="cancelled: nothing has been changed"):
        call_command("restore", str(archive), stdout=out)
    assert "REPLACES" in out.getvalue()
    assert (tmp_path / "media" / "keep.txt").read_text() == "the site's own upload"
