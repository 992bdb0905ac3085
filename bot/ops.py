"""Backup and restore of the database: SQLite through its online backup API, PostgreSQL with
pg_dump/pg_restore (custom format). Passwords go through PGPASSWORD, never the command line.
The photos and files citizens sent (DATA_DIR/media) go into a tar beside the database copy."""

from __future__ import annotations

import datetime as dt
import os
import shutil
import sqlite3
import subprocess
import tarfile
from pathlib import Path

from sqlalchemy.engine import URL, make_url


class BackupError(Exception):
    pass


def _pg_args(url: URL) -> tuple[list[str], dict[str, str]]:
    args = ["-h", url.host or "127.0.0.1", "-p", str(url.port or 5432)]
    if url.username:
        args += ["-U", url.username]
    env = dict(os.environ)
    if url.password:
        env["PGPASSWORD"] = str(url.password)
    return args, env


def backup(database_url: str, out_dir: Path, now: dt.datetime | None = None) -> Path:
    """Write a consistent copy of the database into out_dir; return its path."""
    url = make_url(database_url)
    stamp = (now or dt.datetime.now(dt.UTC)).strftime("%Y%m%d-%H%M%S")
    out_dir.mkdir(parents=True, exist_ok=True)
    if url.get_backend_name() == "sqlite":
        source = Path(url.database or "")
        if not source.exists():
            raise BackupError(f"no database file at {source}")
        target = out_dir / f"loaxa-{stamp}.sqlite3"
        with sqlite3.connect(source) as src, sqlite3.connect(target) as dst:
            src.backup(dst)  # safe while the bot runs (WAL)
        return target
    if url.get_backend_name() == "postgresql":
        if shutil.which("pg_dump") is None:
            raise BackupError("pg_dump not found: install the PostgreSQL client")
        target = out_dir / f"loaxa-{stamp}.pgdump"
        args, env = _pg_args(url)
        cmd = ["pg_dump", *args, "-Fc", "-f", str(target), url.database or ""]
        result = subprocess.run(cmd, env=env, capture_output=True, text=True, check=False)  # noqa: S603
        if result.returncode != 0:
            raise BackupError(f"pg_dump failed: {result.stderr.strip()}")
        return target
    raise BackupError(f"backups are not supported for {url.get_backend_name()}")


def restore(database_url: str, backup_file: Path) -> None:
    """Replace the database content with a backup. Stop the bot first."""
    if not backup_file.exists():
        raise BackupError(f"no backup file at {backup_file}")
    url = make_url(database_url)
    if url.get_backend_name() == "sqlite":
        target = Path(url.database or "")
        target.parent.mkdir(parents=True, exist_ok=True)
        with sqlite3.connect(backup_file) as src, sqlite3.connect(target) as dst:
            src.backup(dst)  # through SQLite itself, so its WAL stays consistent
        return
    if url.get_backend_name() == "postgresql":
        if shutil.which("pg_restore") is None:
            raise BackupError("pg_restore not found: install the PostgreSQL client")
        args, env = _pg_args(url)
        cmd = [
            "pg_restore", *args, "--clean", "--if-exists", "--no-owner",
            "-d", url.database or "", str(backup_file),
        ]  # fmt: skip
        result = subprocess.run(cmd, env=env, capture_output=True, text=True, check=False)  # noqa: S603
        if result.returncode != 0:
            raise BackupError(f"pg_restore failed: {result.stderr.strip()}")
        return
    raise BackupError(f"restore is not supported for {url.get_backend_name()}")


def backup_media(media_dir: Path, out_dir: Path, now: dt.datetime | None = None) -> Path | None:
    """Copy the stored photos and files (content-addressed, never changed once written) into
    a tar; None when there are none. Take it after the database copy: every file the copy
    names was written before its row, so it is in the tar."""
    if not media_dir.is_dir():
        return None
    stamp = (now or dt.datetime.now(dt.UTC)).strftime("%Y%m%d-%H%M%S")
    out_dir.mkdir(parents=True, exist_ok=True)
    target = out_dir / f"loaxa-{stamp}-media.tar"
    tmp = target.with_suffix(".tar.part")
    with tarfile.open(tmp, "w") as tar:
        for path in sorted(media_dir.rglob("*")):
            if path.is_file() and not path.name.startswith(".tmp-"):
                tar.add(path, arcname=str(path.relative_to(media_dir)))
    tmp.replace(target)
    return target


def restore_media(archive: Path, media_dir: Path) -> int:
    """Put the files of a media tar back (existing ones are kept); how many files."""
    count = 0
    media_dir.mkdir(parents=True, exist_ok=True)
    with tarfile.open(archive) as tar:
        for member in tar.getmembers():
            if member.isfile():
                tar.extract(member, media_dir, filter="data")  # no paths outside media_dir
                count += 1
    return count
