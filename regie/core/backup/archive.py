"""Taking a backup and restoring one: the database, the uploaded files and the manifest, as one
encrypted tar stream (see ``regie.core.backup``).

A backup is written to a hidden ``.partial`` file beside its name and renamed when complete, so
a backup file that exists is whole; an existing file is never overwritten. The database's plain
copy waits in a private temporary folder (``TMPDIR``) only until it is sealed.

A restore first decrypts and unpacks the whole file into a private temporary folder, checking
every chunk, the manifest and the uploaded files (and, for SQLite, the tables of the copy) before
it touches anything: a wrong key, a damaged or cut-off file, a backup of the other engine, or a
database or folder of uploads that is not empty (without ``force``) change nothing. The uploaded
files are then staged beside ``MEDIA_ROOT``, the database restored, and the staged files put in
place; the files that were there before are kept beside it (``<MEDIA_ROOT>.before-restore-…``).
"""

import datetime
import errno
import hashlib
import io
import os
import shutil
import tarfile
import tempfile
import zlib
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import IO, BinaryIO

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from regie.core.backup import databases
from regie.core.backup.databases import DatabaseSettings, Engine
from regie.core.backup.errors import BackupError, Problem
from regie.core.backup.manifest import (
    Manifest,
    MediaSum,
    MediaTally,
    differences,
    media_files,
    media_sum,
)
from regie.core.backup.sealed import SealedReader, SealedWriter, corrupt

MANIFEST = "manifest.json"
DUMPS = {Engine.SQLITE: "database.sqlite3", Engine.POSTGRESQL: "database.pgdump"}
MEDIA = "media"
ENGINE_NAMES: dict[str, str] = {Engine.SQLITE: "SQLite", Engine.POSTGRESQL: "PostgreSQL"}
SUFFIX = ".regiebackup"
COPY_BLOCK = 1024 * 1024


@dataclass(frozen=True)
class Restored:
    manifest: Manifest
    differences: list[str]  # tables (and "media") that differ from the manifest after restoring
    media_kept: Path | None  # where the uploaded files that were there before are kept


def key_required(key: bytes | None) -> bytes:
    if key is None:
        raise BackupError(
            _(
                "REGIE_BACKUP_KEY is not set. Set it to base64 of 32 random bytes (see "
                "docs/deployment.md) and keep it apart from the backups: without it a backup "
                "cannot be read."
            ),
            problem=Problem.KEY_MISSING,
        )
    return key


# Backup --------------------------------------------------------------------------------------


def backup_create(
    *, path: Path, database: DatabaseSettings, media_root: Path, key: bytes | None
) -> tuple[Path, Manifest]:
    """Write a backup of ``database`` and ``media_root`` to ``path`` (a new file, or a folder to
    put ``regie-<time>.regiebackup`` in); returns the file written and its manifest."""
    key = key_required(key)
    engine = databases.engine_of(database)
    created_at = timezone.now()
    destination = _destination(path, created_at)
    try:  # a name of its own, whatever an earlier interrupted backup left behind
        descriptor, partial_name = tempfile.mkstemp(
            prefix=f".{destination.name}.", suffix=".partial", dir=destination.parent
        )
    except OSError as error:
        raise _write_error(destination, error) from error
    partial = Path(partial_name)
    try:
        with os.fdopen(descriptor, "wb") as out:
            manifest = _write(
                out,
                created_at=created_at,
                engine=engine,
                database=database,
                media_root=media_root,
                key=key,
            )
            out.flush()
            os.fsync(out.fileno())
        if destination.exists():  # made meanwhile by someone else
            raise FileExistsError(errno.EEXIST, os.strerror(errno.EEXIST))
        partial.rename(destination)
        _sync_folder(destination.parent)
    except OSError as error:
        raise _write_error(destination, error) from error
    finally:
        partial.unlink(missing_ok=True)
    return destination, manifest


def _destination(path: Path, created_at: datetime.datetime) -> Path:
    if path.is_dir():
        stamp = timezone.localtime(created_at).strftime("%Y%m%d-%H%M%S")
        return path / f"regie-{stamp}{SUFFIX}"
    if path.exists() or path.is_symlink():
        raise BackupError(
            _("%(path)s exists already: a backup never overwrites a file. Choose another name.")
            % {"path": path},
            problem=Problem.PATH,
        )
    return path


def _write_error(destination: Path, error: OSError) -> BackupError:
    reasons = {
        errno.EACCES: _("you may not write in that folder"),
        errno.EPERM: _("you may not write in that folder"),
        errno.ENOENT: _("the folder does not exist"),
        errno.ENOTDIR: _("part of the path is not a folder"),
        errno.EROFS: _("the disk is read-only"),
        errno.ENOSPC: _("the disk is full"),
        errno.EEXIST: _("a file of that name exists already"),
    }
    reason = reasons.get(error.errno or 0, error.strerror or str(error))
    return BackupError(
        _("The backup cannot be written to %(path)s: %(reason)s. No backup was kept there.")
        % {"path": destination, "reason": reason},
        problem=Problem.PATH,
    )


def _sync_folder(folder: Path) -> None:
    descriptor = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)


def _write(
    out: BinaryIO,
    *,
    created_at: datetime.datetime,
    engine: Engine,
    database: DatabaseSettings,
    media_root: Path,
    key: bytes,
) -> Manifest:
    with tempfile.TemporaryDirectory(prefix="regie-backup-") as scratch:
        dump = Path(scratch) / DUMPS[engine]
        if engine is Engine.SQLITE:
            tables = databases.sqlite_dump(database, dump)
        else:
            tables = databases.postgres_dump(database, dump)
        with (
            SealedWriter(out, key=key) as sealed,
            tarfile.open(fileobj=sealed, mode="w|gz", compresslevel=6) as tar,
        ):
            with dump.open("rb") as source:
                _add(tar, DUMPS[engine], source, size=os.fstat(source.fileno()).st_size)
            dump.unlink()  # the plain copy goes as soon as it is sealed
            media = _add_media(tar, media_root)
            manifest = Manifest(created_at=created_at, engine=engine, tables=tables, media=media)
            raw = manifest.dumps()
            _add(tar, MANIFEST, io.BytesIO(raw), size=len(raw))
    return manifest


class _Hashing:
    """Reads a file for tarfile and hashes exactly what tarfile took."""

    def __init__(self, source: BinaryIO) -> None:
        self._source = source
        self.digest = hashlib.sha256()

    def read(self, size: int = -1, /) -> bytes:
        data = self._source.read(size)
        self.digest.update(data)
        return data


def _add(tar: tarfile.TarFile, name: str, source: BinaryIO | _Hashing, *, size: int) -> None:
    info = tarfile.TarInfo(name)
    info.size = size
    info.mode = 0o600
    info.mtime = int(timezone.now().timestamp())
    tar.addfile(info, source)


def _add_media(tar: tarfile.TarFile, media_root: Path) -> MediaSum:
    tally = MediaTally()
    for path in media_files(media_root):
        name = path.relative_to(media_root).as_posix()
        with path.open("rb") as source:
            size = os.fstat(source.fileno()).st_size
            hashing = _Hashing(source)
            _add(tar, f"{MEDIA}/{name}", hashing, size=size)
        tally.add(name, size=size, sha256=hashing.digest.hexdigest())
    return tally.result()


# Restore -------------------------------------------------------------------------------------


def backup_restore(
    *, path: Path, database: DatabaseSettings, media_root: Path, key: bytes | None, force: bool
) -> Restored:
    """Restore the backup at ``path`` into ``database`` and ``media_root``, then compare what was
    restored with the manifest (``Restored.differences``: empty when all is as it was)."""
    key = key_required(key)
    engine = databases.engine_of(database)
    if not path.is_file():
        raise BackupError(
            _("There is no backup file at %(path)s.") % {"path": path}, problem=Problem.NOT_FOUND
        )
    with path.open("rb") as source, tempfile.TemporaryDirectory(prefix="regie-restore-") as name:
        scratch = Path(name)
        reader = SealedReader(source, key=key)  # a wrong key is told before the long part
        if not force:
            _refuse_unless_empty(engine=engine, database=database, media_root=media_root)
        manifest = _unpack(reader, scratch)
        if manifest.engine != engine:
            raise BackupError(
                _(
                    "This backup is of a %(backup)s database; DATABASE_URL names a %(target)s "
                    "database. Restore it into a %(backup)s database. Nothing was restored."
                )
                % {
                    "backup": ENGINE_NAMES.get(manifest.engine, manifest.engine),
                    "target": ENGINE_NAMES[engine],
                },
                problem=Problem.ENGINE,
            )
        dump = scratch / DUMPS[engine]
        _check_unpacked(manifest, dump=dump, media=scratch / MEDIA, engine=engine)
        tables = _table_names(engine, database)
        _refuse_what_cannot_be_replaced(
            engine=engine,
            database=database,
            media_root=media_root,
            tables=tables,
            manifest=manifest,
        )
        staged = _stage_media(scratch / MEDIA, media_root)
        try:
            if engine is Engine.SQLITE:
                databases.sqlite_restore(database, dump)
            else:
                databases.postgres_restore(database, dump, clean=bool(tables))
        except BaseException:
            shutil.rmtree(staged, ignore_errors=True)
            raise
    kept = _swap_media(staged, media_root)
    if engine is Engine.SQLITE:
        restored = databases.sqlite_database_tables(database)
    else:
        restored = databases.postgres_database_tables(database)
    found = differences(manifest, restored, media_sum(media_root))
    return Restored(manifest=manifest, differences=found, media_kept=kept)


def _unpack(reader: SealedReader, scratch: Path) -> Manifest:
    """Decrypt and unpack every file into ``scratch``; the manifest's bytes are returned read."""
    allowed = {MANIFEST, *DUMPS.values()}
    manifest: bytes | None = None
    try:
        with tarfile.open(fileobj=reader, mode="r|gz") as tar:
            for member in tar:
                parts = PurePosixPath(member.name).parts
                inside = parts[:1] == (MEDIA,) and len(parts) > 1 and ".." not in parts
                if not member.isfile() or not (member.name in allowed or inside):
                    raise corrupt()
                source = tar.extractfile(member)
                if source is None:
                    raise corrupt()
                if member.name == MANIFEST:
                    manifest = source.read()
                    continue
                _unpack_file(source, scratch.joinpath(*parts))
        reader.read_to_end()
    except (tarfile.TarError, EOFError, zlib.error) as error:
        raise corrupt() from error
    if manifest is None:
        raise corrupt()
    return Manifest.loads(manifest)


def _unpack_file(source: IO[bytes], target: Path) -> None:
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        with target.open("xb") as out:
            shutil.copyfileobj(source, out, COPY_BLOCK)
    except FileExistsError:
        raise corrupt() from None  # one name twice
    except OSError as error:
        raise BackupError(
            _(
                "The backup cannot be unpacked in the temporary folder (TMPDIR): %(reason)s. "
                "Nothing was restored."
            )
            % {"reason": error.strerror or error},
            problem=Problem.PATH,
        ) from error


def _check_unpacked(manifest: Manifest, *, dump: Path, media: Path, engine: Engine) -> None:
    """The unpacked files are what the manifest lists (SQLite's tables can be read already)."""
    if not dump.is_file():
        raise corrupt()
    tables = databases.sqlite_file_tables(dump) if engine is Engine.SQLITE else manifest.tables
    if differences(manifest, tables, media_sum(media)):
        raise corrupt()


def _table_names(engine: Engine, database: DatabaseSettings) -> list[str]:
    if engine is Engine.SQLITE:
        return databases.sqlite_table_names(database)
    return databases.postgres_table_names_of(database)


def _refuse_unless_empty(*, engine: Engine, database: DatabaseSettings, media_root: Path) -> None:
    """Refuse a database with tables, or uploaded files in ``media_root`` (without --force)."""
    tables = len(_table_names(engine, database))
    files = len(media_files(media_root))
    found = []
    if tables:
        found.append(
            ngettext(
                "the database %(name)s holds %(count)d table",
                "the database %(name)s holds %(count)d tables",
                tables,
            )
            % {"name": databases.database_label(database), "count": tables}
        )
    if files:
        found.append(
            ngettext(
                "%(path)s holds %(count)d uploaded file",
                "%(path)s holds %(count)d uploaded files",
                files,
            )
            % {"path": media_root, "count": files}
        )
    if found:
        raise BackupError(
            _(
                "Not empty: %(found)s. A restore replaces them; run it again with --force if that "
                "is what you want. Nothing was restored."
            )
            % {"found": "; ".join(found)},
            problem=Problem.NOT_EMPTY,
        )


def _refuse_what_cannot_be_replaced(
    *,
    engine: Engine,
    database: DatabaseSettings,
    media_root: Path,
    tables: list[str],
    manifest: Manifest,
) -> None:
    """pg_restore replaces the tables of the dump only; a mount point cannot be renamed."""
    unknown = sorted(set(tables) - set(manifest.tables))
    if engine is Engine.POSTGRESQL and unknown:
        raise BackupError(
            _(
                "The database %(name)s holds tables the backup does not have (%(tables)s), "
                "which a restore cannot replace. Restore into an empty database (createdb). "
                "Nothing was restored."
            )
            % {"name": databases.database_label(database), "tables": ", ".join(unknown[:10])},
            problem=Problem.NOT_EMPTY,
        )
    if media_files(media_root) and os.path.ismount(media_root):
        raise BackupError(
            _(
                "%(path)s is a mount point, which a restore cannot replace: set MEDIA_ROOT to a "
                "folder inside it. Nothing was restored."
            )
            % {"path": media_root},
            problem=Problem.PATH,
        )


def _stage_media(unpacked: Path, media_root: Path) -> Path:
    """Copy the unpacked uploads next to ``media_root`` (one disk, so the swap is a rename)."""
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M%S")
    media_root.parent.mkdir(parents=True, exist_ok=True)
    staged = media_root.with_name(f".{media_root.name}.restoring-{stamp}")
    shutil.rmtree(staged, ignore_errors=True)
    staged.mkdir(mode=0o700)
    for path in media_files(unpacked):
        target = staged / path.relative_to(unpacked)
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(path, target)
    return staged


def _swap_media(staged: Path, media_root: Path) -> Path | None:
    """Put the staged uploads in place; returns where the files that were there are kept."""
    kept = None
    if media_files(media_root):
        stamp = timezone.localtime().strftime("%Y%m%d-%H%M%S")
        kept = media_root.with_name(f"{media_root.name}.before-restore-{stamp}")
        media_root.rename(kept)
    elif os.path.ismount(media_root):  # empty, but it cannot be renamed: fill it
        for child in staged.iterdir():
            shutil.move(child, media_root / child.name)
        staged.rmdir()
        return None
    elif media_root.is_dir():
        shutil.rmtree(media_root)  # folders without a file in them
    staged.rename(media_root)
    return kept
