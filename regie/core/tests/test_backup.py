"""Backups and restore: the drill (every table of the demo, there and back, on the engine the
suite runs on), the encrypted file, each refusal with nothing lost, and the erasure log that
keeps an erased client erased after a restore.

The suite runs on SQLite and, in CI, on PostgreSQL (``DATABASE_URL=postgres://…``); a restore
goes into a database of its own (``<name>_restore`` on PostgreSQL, a file on SQLite), except the
tests of refusals and of the erasure log, which restore into the test database itself.
"""

import io
import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from regie.clients import rights
from regie.clients.models import Client, ClientStatus
from regie.clients.tests.factories import ClientFactory
from regie.core.backup import archive, databases, sealed
from regie.core.backup.errors import BackupError, Problem
from regie.core.backup.manifest import Manifest, media_sum
from regie.core.erasures import erasure_record, erasures_read, erasures_reapply
from regie.core.errors import DomainError
from regie.core.models import AuditEntry
from regie.tests.needs import needs

pytestmark = [pytest.mark.xdist_group("backup")]

KEY = bytes(range(32))
OTHER_KEY = bytes(range(1, 33))
ON_POSTGRESQL = connection.vendor == "postgresql"
needs_pg_tools = needs(
    not ON_POSTGRESQL or all(shutil.which(tool) for tool in ("pg_dump", "pg_restore")),
    reason="pg_dump and pg_restore (postgresql-client) are not installed",
)


@pytest.fixture
def media_root(settings, tmp_path) -> Path:
    root = tmp_path / "media"
    (root / "meetings" / "2020").mkdir(parents=True)
    (root / "meetings" / "2020" / "agenda.pdf").write_bytes(b"%PDF-1.4 agenda\n" * 1000)
    (root / "import.csv").write_text("naam;gemeente\nDe Werkplaats;Kortrijk\n")
    settings.MEDIA_ROOT = root
    return root


@pytest.fixture
def keyed(settings, tmp_path):
    settings.REGIE_BACKUP_KEY = KEY
    settings.REGIE_ERASURE_LOG = tmp_path / "erasures" / "erasures.jsonl"
    return settings


def problem_of(excinfo: pytest.ExceptionInfo[CommandError]) -> Problem:
    cause = excinfo.value.__cause__
    assert isinstance(cause, BackupError)
    assert str(excinfo.value) == cause.message
    return cause.problem


# The drill -----------------------------------------------------------------------------------


@pytest.fixture
def scratch_database(tmp_path) -> Iterator[dict[str, object]]:
    """An empty database of the suite's engine, apart from the test database."""
    if not ON_POSTGRESQL:
        yield {**connection.settings_dict, "NAME": str(tmp_path / "restored.sqlite3")}
        return
    name = f"{connection.settings_dict['NAME']}_restore"
    target = {**connection.settings_dict, "NAME": name}
    with connection.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        cursor.execute(f'CREATE DATABASE "{name}"')
    yield target
    with connection.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@needs_pg_tools
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_drill_round_trips_every_table_of_the_demo(
    keyed, media_root, tmp_path, scratch_database
):
    call_command("load_demo", force=True, stdout=io.StringIO())
    path, manifest = archive.backup_create(
        path=tmp_path, database=connection.settings_dict, media_root=media_root, key=KEY
    )

    every_table = set(connection.introspection.table_names())
    assert every_table <= set(manifest.tables)  # every table Django knows, and the engine's own
    assert manifest.tables["clients_client"].rows > 0
    assert manifest.tables["network_meeting"].rows > 0
    assert manifest.media.files == 2
    assert path.name.endswith(".regiebackup")
    assert path.parent == tmp_path

    restored_media = tmp_path / "restored-media"
    restored = archive.backup_restore(
        path=path, database=scratch_database, media_root=restored_media, key=KEY, force=False
    )

    assert restored.differences == []
    assert restored.manifest == Manifest.loads(manifest.dumps())
    if ON_POSTGRESQL:
        tables = databases.postgres_database_tables(scratch_database)
    else:
        tables = databases.sqlite_database_tables(scratch_database)
    assert tables == manifest.tables
    assert media_sum(restored_media) == manifest.media
    assert (restored_media / "meetings" / "2020" / "agenda.pdf").read_bytes() == (
        media_root / "meetings" / "2020" / "agenda.pdf"
    ).read_bytes()


@needs_pg_tools
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_commands_restore_what_was_backed_up_and_log_the_restore(keyed, media_root, tmp_path):
    client = ClientFactory.create(first_name="Amira")
    out = io.StringIO()
    call_command("backup", str(tmp_path / "regie.regiebackup"), stdout=out)
    assert "regie.regiebackup" in out.getvalue()
    assert AuditEntry.objects.filter(action="backup.create").exists()
    Client.objects.filter(pk=client.pk).update(first_name="Overschreven")
    (media_root / "import.csv").unlink()

    call_command("restore", str(tmp_path / "regie.regiebackup"), "--force", stdout=io.StringIO())

    assert Client.objects.get(pk=client.pk).first_name == "Amira"
    assert (media_root / "import.csv").exists()
    kept = [path for path in tmp_path.iterdir() if path.name.startswith("media.before-restore-")]
    assert len(kept) == 1  # the files that were there are kept, not thrown away
    assert (kept[0] / "meetings" / "2020" / "agenda.pdf").exists()
    # The restore is logged in the database as restored (which holds no later entry).
    assert list(AuditEntry.objects.values_list("action", flat=True)) == ["backup.restore"]


# The encrypted file --------------------------------------------------------------------------


def seal(plain: bytes, key: bytes = KEY) -> bytes:
    out = io.BytesIO()
    with sealed.SealedWriter(out, key=key) as writer:
        for start in range(0, len(plain), 100_000):
            writer.write(plain[start : start + 100_000])
    return out.getvalue()


def unseal(data: bytes, key: bytes = KEY) -> bytes:
    reader = sealed.SealedReader(io.BytesIO(data), key=key)
    plain = reader.read()
    reader.read_to_end()
    return plain


PLAIN = os.urandom(2 * sealed.CHUNK + 12345)


def test_a_sealed_file_reads_back_across_chunks():
    data = seal(PLAIN)
    assert PLAIN[:1000] not in data
    assert unseal(data) == PLAIN
    assert unseal(seal(b"")) == b""


def test_a_sealed_file_exactly_a_chunk_long_reads_back():
    assert unseal(seal(PLAIN[: sealed.CHUNK])) == PLAIN[: sealed.CHUNK]


def test_a_wrong_key_is_told_apart_from_damage():
    with pytest.raises(BackupError) as excinfo:
        unseal(seal(PLAIN), key=OTHER_KEY)
    assert excinfo.value.problem == Problem.WRONG_KEY


@pytest.mark.parametrize(
    "cut",
    [
        -1,  # the last byte
        -(sealed.CHUNK // 2),  # inside the last chunk
        sealed.HEADER_BYTES + 4 + sealed.CHUNK + 16,  # after the first whole chunk
        sealed.HEADER_BYTES + 2,  # inside the first length
    ],
)
def test_a_cut_off_file_is_refused(cut):
    with pytest.raises(BackupError) as excinfo:
        unseal(seal(PLAIN)[:cut])
    assert excinfo.value.problem == Problem.CORRUPT


def test_a_file_without_its_last_chunk_is_refused_even_at_a_chunk_boundary():
    data = seal(PLAIN)
    whole_chunks = sealed.HEADER_BYTES + 2 * (4 + sealed.CHUNK + 16)
    with pytest.raises(BackupError) as excinfo:
        unseal(data[:whole_chunks])
    assert excinfo.value.problem == Problem.CORRUPT


@pytest.mark.parametrize("where", [sealed.HEADER_BYTES + 10, -5])
def test_an_altered_byte_is_refused(where):
    data = bytearray(seal(PLAIN))
    data[where] ^= 0x01
    with pytest.raises(BackupError) as excinfo:
        unseal(bytes(data))
    assert excinfo.value.problem == Problem.CORRUPT


def test_anything_after_the_last_chunk_is_refused():
    with pytest.raises(BackupError) as excinfo:
        unseal(seal(PLAIN) + b"\0")
    assert excinfo.value.problem == Problem.CORRUPT


def test_a_file_that_is_not_a_backup_is_refused():
    with pytest.raises(BackupError) as excinfo:
        unseal(b"SQLite format 3\0" + bytes(200))
    assert excinfo.value.problem == Problem.NOT_A_BACKUP


# Refusals, each leaving everything as it was --------------------------------------------------


@pytest.fixture
def backed_up(keyed, media_root, tmp_path, django_db_serialized_rollback, transactional_db) -> Path:
    ClientFactory.create(first_name="Amira")
    call_command("backup", str(tmp_path / "regie.regiebackup"), stdout=io.StringIO())
    return tmp_path / "regie.regiebackup"


def test_a_backup_needs_the_key(settings, tmp_path, db):
    settings.REGIE_BACKUP_KEY = None  # DEBUG off without REGIE_BACKUP_KEY
    with pytest.raises(CommandError) as excinfo:
        call_command("backup", str(tmp_path / "regie.regiebackup"))
    assert problem_of(excinfo) == Problem.KEY_MISSING
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize(
    "where", ["missing/regie.regiebackup", "a-file/regie.regiebackup", "/proc/regie.regiebackup"]
)
def test_a_backup_path_that_cannot_be_written_is_refused(keyed, tmp_path, db, where):
    (tmp_path / "a-file").write_text("not a folder")
    with pytest.raises(CommandError) as excinfo:
        call_command("backup", str(tmp_path / where))
    assert problem_of(excinfo) == Problem.PATH
    assert sorted(path.name for path in tmp_path.iterdir()) == ["a-file"]


@pytest.mark.skipif(os.geteuid() == 0, reason="root may write in a read-only folder")
def test_a_read_only_folder_is_refused(keyed, tmp_path, db):
    folder = tmp_path / "read-only"
    folder.mkdir(mode=0o500)
    with pytest.raises(CommandError) as excinfo:
        call_command("backup", str(folder / "regie.regiebackup"))
    assert problem_of(excinfo) == Problem.PATH


@needs_pg_tools
def test_a_backup_never_overwrites_a_file(backed_up):
    before = backed_up.read_bytes()
    with pytest.raises(CommandError) as excinfo:
        call_command("backup", str(backed_up))
    assert problem_of(excinfo) == Problem.PATH
    assert backed_up.read_bytes() == before


def client_names() -> list[str]:
    return sorted(Client.objects.values_list("first_name", flat=True))


@needs_pg_tools
def test_a_restore_into_a_database_that_is_not_empty_needs_force(backed_up):
    ClientFactory.create(first_name="Bram")  # made after the backup: would be lost
    with pytest.raises(CommandError) as excinfo:
        call_command("restore", str(backed_up), stdout=io.StringIO())
    assert problem_of(excinfo) == Problem.NOT_EMPTY
    assert "--force" in str(excinfo.value)
    assert client_names() == ["Amira", "Bram"]


@needs_pg_tools
def test_a_restore_with_another_key_is_refused(backed_up, settings):
    settings.REGIE_BACKUP_KEY = OTHER_KEY
    with pytest.raises(CommandError) as excinfo:
        call_command("restore", str(backed_up), "--force", stdout=io.StringIO())
    assert problem_of(excinfo) == Problem.WRONG_KEY
    assert client_names() == ["Amira"]


@needs_pg_tools
@pytest.mark.parametrize("damage", ["cut", "flip"])
def test_a_damaged_backup_is_refused(backed_up, media_root, damage):
    data = bytearray(backed_up.read_bytes())
    if damage == "cut":
        del data[-100:]
    else:
        data[len(data) // 2] ^= 0x40
    backed_up.write_bytes(bytes(data))
    ClientFactory.create(first_name="Bram")
    files_before = media_sum(media_root)
    with pytest.raises(CommandError) as excinfo:
        call_command("restore", str(backed_up), "--force", stdout=io.StringIO())
    assert problem_of(excinfo) == Problem.CORRUPT
    assert client_names() == ["Amira", "Bram"]
    assert media_sum(media_root) == files_before


@needs_pg_tools
def test_a_backup_of_the_other_engine_is_refused(backed_up, media_root, tmp_path):
    other = (
        {"ENGINE": "django.db.backends.sqlite3", "NAME": str(tmp_path / "other.sqlite3")}
        if ON_POSTGRESQL
        else {"ENGINE": "django.db.backends.postgresql", "NAME": "regie_nowhere"}
    )
    with pytest.raises(BackupError) as excinfo:
        archive.backup_restore(
            path=backed_up, database=other, media_root=media_root, key=KEY, force=True
        )
    assert excinfo.value.problem == Problem.ENGINE
    assert not (tmp_path / "other.sqlite3").exists()


def test_a_missing_backup_file_is_refused(keyed, tmp_path, db):
    with pytest.raises(CommandError) as excinfo:
        call_command("restore", str(tmp_path / "nowhere.regiebackup"))
    assert problem_of(excinfo) == Problem.NOT_FOUND


# The erasure log -------------------------------------------------------------------------------


@needs_pg_tools
def test_a_client_erased_after_the_backup_stays_erased_after_a_restore(
    backed_up, coordinator, keyed
):
    amira = Client.objects.get(first_name="Amira")
    rights.client_erase(actor=coordinator, client=amira, reason="Verzoek van de cliënt")
    assert [(entry.model, entry.pk) for entry in erasures_read()] == [("clients.client", amira.pk)]

    out = io.StringIO()
    call_command("restore", str(backed_up), "--force", stdout=out)

    restored = Client.objects.get(pk=amira.pk)
    assert restored.status == ClientStatus.ANONYMISED
    assert restored.first_name == ""
    assert not Client.history.filter(id=amira.pk, first_name="Amira").exists()
    assert AuditEntry.objects.filter(action="erasure.reapplied", object_id=str(amira.pk)).exists()


def record(client: Client) -> None:
    erasure_record(
        target=client,
        identified_by={"code": client.code},
        eraser=rights.anonymise,
        done_when={"status": ClientStatus.ANONYMISED},
    )


@pytest.mark.django_db
def test_the_log_skips_records_erased_already_and_records_not_there(keyed, coordinator):
    erased = ClientFactory.create()
    rights.client_erase(actor=coordinator, client=erased, reason="Verzoek van de cliënt")
    gone = ClientFactory.create()
    record(gone)
    Client.objects.filter(pk=gone.pk).delete()
    waiting = ClientFactory.create(first_name="Cas")
    record(waiting)

    counts = erasures_reapply()

    assert (counts.reapplied, counts.already_erased, counts.absent) == (1, 1, 1)
    assert Client.objects.get(pk=waiting.pk).first_name == ""
    assert erasures_reapply().reapplied == 0  # applying the log again changes nothing


def test_a_database_made_afresh_is_not_mistaken_for_the_one_of_the_log(keyed, db, coordinator):
    erased = ClientFactory.create()
    rights.client_erase(actor=coordinator, client=erased, reason="Verzoek van de cliënt")
    Client.objects.filter(pk=erased.pk).delete()
    newcomer = ClientFactory.create(pk=erased.pk, first_name="Nieuw")  # same key, another client

    counts = erasures_reapply()

    assert (counts.reapplied, counts.absent) == (0, 1)
    assert Client.objects.get(pk=newcomer.pk).first_name == "Nieuw"


def test_after_any_other_restore_the_command_applies_the_log(keyed, db, coordinator):
    client = ClientFactory.create(first_name="Amira")
    rights.client_erase(actor=coordinator, client=client, reason="Verzoek van de cliënt")
    # A point-in-time recovery to before the erasure brings the row back as it was.
    Client.objects.filter(pk=client.pk).update(first_name="Amira", status=ClientStatus.ACTIVE)

    call_command("reapply_erasures", stdout=io.StringIO())

    client.refresh_from_db()
    assert (client.first_name, client.status) == ("", ClientStatus.ANONYMISED)


def test_the_log_holds_no_personal_value(keyed, db, coordinator):
    client = ClientFactory.create(first_name="Zoë", last_name="Vandenbroucke")
    rights.client_erase(actor=coordinator, client=client, reason="Verzoek van de cliënt")
    text = Path(keyed.REGIE_ERASURE_LOG).read_text()
    assert "Zoë" not in text
    assert "Vandenbroucke" not in text
    assert "Verzoek" not in text


def test_an_erasure_the_log_cannot_record_is_refused_and_nothing_erased(keyed, db, coordinator):
    Path(keyed.REGIE_ERASURE_LOG).parent.parent.joinpath("a-file").write_text("not a folder")
    keyed.REGIE_ERASURE_LOG = Path(keyed.REGIE_ERASURE_LOG).parent.parent / "a-file" / "log"
    client = ClientFactory.create(first_name="Amira")
    with pytest.raises(DomainError):
        rights.client_erase(actor=coordinator, client=client, reason="Verzoek van de cliënt")
    client.refresh_from_db()
    assert client.first_name == "Amira"
    assert client.status != ClientStatus.ANONYMISED


def test_a_line_cut_short_by_a_crash_is_skipped(keyed, db):
    client = ClientFactory.create()
    record(client)
    with Path(keyed.REGIE_ERASURE_LOG).open("a") as log:
        log.write('{"at": "2026-')
    assert len(list(erasures_read())) == 1
