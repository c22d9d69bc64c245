"""The erasure log: which records had their personal data erased, kept apart from the data.

A restore puts back the database as it was when the backup was taken; a person erased since
would come back with it. So every erasure is also written here — an append-only file of JSON
lines under ``REGIE_ERASURE_LOG``, outside the database and outside the backups — and
``manage.py restore`` applies again every erasure the restored database does not show.

An entry names the record (model label and primary key, and field values that identify it beyond
its key — a random code that never changes —, so that a database made afresh, whose keys start
over, is not mistaken for the same records), when it was erased, the function that erases it
(called again as ``function(<model_name>=record)``, e.g. ``anonymise(client=…)``) and the field
values that show it is done (``{"status": "anonymised"}``), so that applying the log again never
touches a record erased already. It holds no personal value.

The entry is written inside the erasure's transaction, before it commits: a committed erasure is
always in the log. Should the transaction roll back after it, the erasure is applied at the next
restore — the request to erase stood.
"""

import datetime
import fcntl
import json
import os
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.db import models, transaction
from django.utils import timezone
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _

from regie.core.audit import log_action
from regie.core.errors import DomainError

type Scalar = str | int | bool | None


@dataclass(frozen=True)
class Erasure:
    at: datetime.datetime
    model: str  # "clients.client"
    pk: int | str
    identified_by: Mapping[str, Scalar]
    eraser: str  # the dotted path of the function that erases the record
    done_when: Mapping[str, Scalar]


@dataclass(frozen=True)
class ReapplyCounts:
    reapplied: int  # erased again now
    already_erased: int  # the restored database shows the erasure
    absent: int  # not in the restored database (made after the backup), or another record


def erasure_log_path() -> Path:
    return Path(settings.REGIE_ERASURE_LOG)


def erasure_record(
    *,
    target: models.Model,
    identified_by: Mapping[str, Scalar],
    eraser: Callable[..., object],
    done_when: Mapping[str, Scalar],
    log: Path | None = None,
) -> Erasure:
    """Append the erasure of ``target`` to the log, on disk before this returns; call it inside
    the erasure's transaction. A log that cannot be written refuses the erasure (``DomainError``).
    """
    path = f"{eraser.__module__}.{eraser.__qualname__}"
    if import_string(path) is not eraser:
        raise ValueError(f"{path} does not name the eraser given: it must be a module function")
    erasure = Erasure(
        at=timezone.now(),
        model=target._meta.label_lower,
        pk=target.pk,
        identified_by=dict(identified_by),
        eraser=path,
        done_when=dict(done_when),
    )
    line = json.dumps(
        {
            "at": erasure.at.isoformat(),
            "model": erasure.model,
            "pk": erasure.pk,
            "identified_by": erasure.identified_by,
            "eraser": erasure.eraser,
            "done_when": erasure.done_when,
        },
        sort_keys=True,
    )
    try:
        _append(log or erasure_log_path(), line)
    except OSError as error:  # the erasure's transaction rolls back: nothing is half done
        raise DomainError(
            _(
                "The erasure could not be written to the erasure log (%(reason)s), so nothing "
                "was erased. Ask the administrator to check REGIE_ERASURE_LOG."
            )
            % {"reason": error.strerror or error}
        ) from error
    return erasure


def _append(path: Path, line: str) -> None:
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    descriptor = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
    try:
        fcntl.flock(descriptor, fcntl.LOCK_EX)  # several workers append to one file
        os.write(descriptor, (line + "\n").encode())
        os.fsync(descriptor)
    finally:
        os.close(descriptor)  # closing releases the lock


def erasures_read(*, log: Path | None = None) -> Iterator[Erasure]:
    """Every erasure in the log, oldest first; a line cut short by a crash is skipped."""
    path = log or erasure_log_path()
    if not path.exists():
        return
    with path.open(encoding="utf-8") as lines:
        for line in lines:
            try:
                raw = json.loads(line)
                yield Erasure(
                    at=datetime.datetime.fromisoformat(raw["at"]),
                    model=raw["model"],
                    pk=raw["pk"],
                    identified_by=raw["identified_by"],
                    eraser=raw["eraser"],
                    done_when=raw["done_when"],
                )
            except (ValueError, KeyError, TypeError):
                continue


def erasures_reapply(*, log: Path | None = None) -> ReapplyCounts:
    """Erase again every record of the log that the database shows as not erased.

    Every entry is considered, not only those written after the backup: one written while the
    backup was being taken may belong to a transaction the backup did not see yet, and an entry
    whose record shows it is done is skipped anyway.
    """
    reapplied = already_erased = absent = 0
    for erasure in erasures_read(log=log):
        model = apps.get_model(erasure.model)
        rows = model._default_manager.filter(pk=erasure.pk, **erasure.identified_by)
        if not rows.exists():
            absent += 1
        elif rows.filter(**erasure.done_when).exists():
            already_erased += 1
        else:
            _reapply(model=model, erasure=erasure)
            reapplied += 1
    return ReapplyCounts(reapplied=reapplied, already_erased=already_erased, absent=absent)


@transaction.atomic
def _reapply(*, model: type[models.Model], erasure: Erasure) -> None:
    record = model._default_manager.select_for_update().get(pk=erasure.pk)
    eraser: Callable[..., object] = import_string(erasure.eraser)
    eraser(**{model._meta.model_name or "record": record})
    log_action(
        actor=None,
        action="erasure.reapplied",
        target=model._default_manager.get(pk=erasure.pk),  # as erased: named without its data
        details={"erased_at": erasure.at.isoformat()},
    )
