"""The uploaded file between preview and commit, in a private folder bound to its uploader."""

import datetime
import json
import shutil
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.utils import timezone

from regie.core.permissions import Actor, Role, role_of
from regie.registry.imports.base import STALE_AFTER, ImportKind
from regie.registry.models import (
    Region,
)

if TYPE_CHECKING:
    pass

# --- The uploaded file between preview and commit ---------------------------------------------


@dataclass(frozen=True)
class StagedImport:
    token: uuid.UUID
    folder: Path
    user_id: int
    region: Region
    kind: str
    filename: str
    size: int
    uploaded_at: datetime.datetime

    def read(self) -> bytes:
        return (self.folder / "upload").read_bytes()


def _staging_root() -> Path:
    return Path(settings.MEDIA_ROOT) / "imports"


def import_stage(
    *, actor: Actor, region: Region, kind: str, filename: str, data: bytes
) -> StagedImport:
    """Keep the upload in a private folder until the user commits or abandons it."""
    import_purge_stale()
    token = uuid.uuid4()
    folder = _staging_root() / str(token)
    folder.mkdir(mode=0o700, parents=True)
    upload = folder / "upload"
    upload.write_bytes(data)
    upload.chmod(0o600)
    uploaded_at = timezone.now()
    meta: dict[str, Any] = {
        "user": actor.pk,
        "region": region.pk,
        "kind": str(kind),
        "filename": Path(filename).name[:200],
        "size": len(data),
        "uploaded_at": uploaded_at.isoformat(),
    }
    (folder / "meta.json").write_text(json.dumps(meta), encoding="utf-8")
    return StagedImport(
        token=token,
        folder=folder,
        user_id=actor.pk,
        region=region,
        kind=meta["kind"],
        filename=meta["filename"],
        size=len(data),
        uploaded_at=uploaded_at,
    )


def staged_import(*, token: uuid.UUID, actor: Actor) -> StagedImport | None:
    """The upload behind ``token`` if ``actor`` made it (and still works in its region)."""
    folder = _staging_root() / str(token)
    try:
        meta = json.loads((folder / "meta.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if meta.get("user") != actor.pk:
        return None
    if role_of(actor) != Role.ADMIN and meta.get("region") != actor.region_id:
        return None
    region = Region.objects.filter(pk=meta.get("region")).first()
    if region is None or meta.get("kind") not in ImportKind.values:
        return None
    return StagedImport(
        token=token,
        folder=folder,
        user_id=actor.pk,
        region=region,
        kind=meta["kind"],
        filename=meta.get("filename", ""),
        size=meta.get("size", 0),
        uploaded_at=datetime.datetime.fromisoformat(meta["uploaded_at"]),
    )


def import_discard(*, staged: StagedImport) -> None:
    shutil.rmtree(staged.folder, ignore_errors=True)


def import_purge_stale(*, older_than: datetime.timedelta = STALE_AFTER) -> int:
    """Remove uploads nobody committed or cancelled; returns how many were removed."""
    root = _staging_root()
    if not root.is_dir():
        return 0
    cutoff = (timezone.now() - older_than).timestamp()
    removed = 0
    for folder in root.iterdir():
        if folder.is_dir() and folder.stat().st_mtime < cutoff:
            shutil.rmtree(folder, ignore_errors=True)
            removed += 1
    return removed
