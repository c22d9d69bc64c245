"""The split of the networks app (network/0006, events/0001, knowledge/0001, network/0007), run
backwards and forwards again on a database with the demo loaded: nothing is lost.

Registrations and the knowledge base keep their tables; an event's settings move between the
meeting and its ``Event`` and back; content types and the mail outbox's ``about`` follow the
models' app. On SQLite and on PostgreSQL (``DATABASE_URL``): counts and checks go through SQL
where the schema is the old one.
"""

import io

import pytest
from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from regie.accounts.models import User
from regie.core.audit import log_action
from regie.core.models import AuditEntry, OutgoingMail
from regie.events.models import Event, Registration
from regie.knowledge.models import Practice
from regie.knowledge.selectors import knowledge_search

pytestmark = [
    # A transactional test empties the database after it: serialized_rollback puts back what the
    # migrations wrote (the measures), which the tests after it rely on.
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.xdist_group("migrations"),
]

BEFORE_THE_SPLIT: list[tuple[str, str | None]] = [("network", "0005_attendance_invited_at")]
MOVED_TABLES = (
    "network_registration",
    "network_practice",
    "network_historicalpractice",
    "network_practiceanswer",
    "network_historicalpracticeanswer",
    "network_rule",
    "network_historicalrule",
    "network_ruletranslation",
    "network_historicalruletranslation",
    "network_knowledgeentry",
)
MOVED_MODELS = {
    "events": ("registration",),
    "knowledge": (
        "practice",
        "historicalpractice",
        "practiceanswer",
        "historicalpracticeanswer",
        "rule",
        "historicalrule",
        "ruletranslation",
        "historicalruletranslation",
        "knowledgeentry",
    ),
}
# A meeting that is or was public, in the schema before the split (events/0001's rule).
PUBLIC_MEETINGS = """
    SELECT id FROM network_meeting
    WHERE registration_open OR capacity IS NOT NULL OR registration_closes IS NOT NULL
       OR public_description <> ''
       OR id IN (SELECT meeting_id FROM network_registration)
       OR id IN (SELECT id FROM network_historicalmeeting WHERE registration_open)
"""


def rows(sql: str, params: list[int | str | None] | None = None) -> list[tuple[object, ...]]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params or [])
        return list(cursor.fetchall())


def counts() -> dict[str, object]:
    return {table: rows(f"SELECT COUNT(*) FROM {table}")[0][0] for table in MOVED_TABLES}


def labels(model: str) -> set[object]:
    return {label for (label,) in rows(
        "SELECT app_label FROM django_content_type WHERE model = %s", [model]
    )}  # fmt: skip


def migrate(targets: list[tuple[str, str | None]] | None = None) -> None:
    executor = MigrationExecutor(connection)
    executor.migrate(targets or executor.loader.graph.leaf_nodes())
    ContentType.objects.clear_cache()


@pytest.fixture
def demo() -> dict[str, object]:
    call_command("load_demo", force=True, stdout=io.StringIO())
    registration = Registration.objects.order_by("pk").first()
    practice = Practice.objects.order_by("pk").first()
    assert registration is not None
    assert practice is not None
    admin = User.objects.get(username="admin")
    for about in (registration, practice):
        OutgoingMail.objects.create(
            to=["ann@example.org"], subject="Over", body="…", about=f"{about._meta.label_lower}:1"
        )
    log_action(actor=admin, action="registration.check_in", target=registration)
    events = {
        event.pk: (event.registration_open, event.registration_token, event.capacity)
        for event in Event.objects.all()
    }
    assert events, "the demo has events"
    return {"registration": registration, "events": events, "admin": admin}


def test_the_split_runs_backwards_and_forwards_without_losing_anything(demo):
    before = counts()
    registration = demo["registration"]
    audit_type = AuditEntry.objects.get(action="registration.check_in").content_type_id

    migrate(BEFORE_THE_SPLIT)

    assert counts() == before
    assert set(rows(PUBLIC_MEETINGS)) == {(pk,) for pk in demo["events"]}
    events = ", ".join(str(pk) for pk in demo["events"])
    settings = rows(
        "SELECT id, registration_open, registration_token, capacity FROM network_meeting "
        f"WHERE id IN ({events})"
    )
    assert {pk: (bool(o), token, capacity) for pk, o, token, capacity in settings} == {
        pk: (bool(o), token, capacity) for pk, (o, token, capacity) in demo["events"].items()
    }
    tokens = rows("SELECT COUNT(DISTINCT registration_token), COUNT(*) FROM network_meeting")
    assert tokens[0][0] == tokens[0][1]  # each meeting its own again
    for app, models in MOVED_MODELS.items():
        for model in models:
            assert labels(model) == {"network"}, (app, model)
    assert labels("event") == {"events"}  # no table left: stale until forwards again
    abouts = {str(about) for (about,) in rows("SELECT about FROM core_outgoingmail")}
    assert {"network.registration:1", "network.practice:1"} <= abouts
    assert rows("SELECT app_label, model FROM django_content_type WHERE id = %s", [audit_type]) == [
        ("network", "registration")
    ]

    migrate()

    assert counts() == before
    assert {
        event.pk: (event.registration_open, event.registration_token, event.capacity)
        for event in Event.objects.all()
    } == demo["events"]
    for app, models in MOVED_MODELS.items():
        for model in models:
            assert labels(model) == {app}, (app, model)
    installed = {config.label for config in apps.get_app_configs()}
    stale = [
        f"{ct.app_label}.{ct.model}"
        for ct in ContentType.objects.all()
        if ct.app_label in installed and ct.model_class() is None
    ]
    assert stale == []
    entry = AuditEntry.objects.get(action="registration.check_in")
    assert entry.content_type_id == audit_type
    assert entry.content_type is not None
    assert entry.content_type.get_object_for_this_type(pk=entry.object_id) == registration
    abouts = {str(about) for about in OutgoingMail.objects.values_list("about", flat=True)}
    assert {"events.registration:1", "knowledge.practice:1"} <= abouts
    assert not {about for about in abouts if about.startswith("network.registration")}
    hits = knowledge_search(user=demo["admin"], q="coronamaatregelen werkvloer")
    assert [(hit.kind, hit.title) for hit in hits][:1] == [
        ("practice", "Hoe gaan jullie om met de coronamaatregelen op de werkvloer?")
    ]
