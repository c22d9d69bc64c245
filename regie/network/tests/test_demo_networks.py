"""The networks of the demo region in 2020, as the source report tells them."""

import datetime

import pytest
from django.utils import timezone

from regie.accounts.models import User
from regie.network.demo import demo_load
from regie.network.models import (
    AgendaItem,
    Attendance,
    Body,
    BodyStatus,
    Decision,
    FollowUp,
    Meeting,
    MeetingFormat,
    MeetingStatus,
    Membership,
    MinutesStatus,
)
from regie.network.selectors import my_follow_ups
from regie.registry.demo import demo_region_load

pytestmark = pytest.mark.django_db
CORONA = "Hoe omgaan met corona op de werkvloer?"
FABRIEKEN = (
    "AZ-fabriek",
    "LDE-fabriek",
    "Actiegroep",
    "Lerend Netwerk voor Trajectbegeleiders",
)


def load() -> str:
    return demo_load(context=demo_region_load().context)


@pytest.fixture
def loaded(db):
    load()


@pytest.fixture
def demo(loaded):
    return Body.objects.filter(region__code="w13")


def local_day(moment: datetime.datetime) -> datetime.date:
    return timezone.localtime(moment).date()


def test_the_bodies_and_events_of_2020(demo):
    pillars = dict(demo.values_list("name", "pillar__code"))
    assert pillars == {
        "AZ-fabriek": "OD-1",
        "LDE-fabriek": "OD-1",
        "Actiegroep": "OD-1",
        "Lerend Netwerk voor Trajectbegeleiders": "OD-1",
        "Werkgroep RASE": "OD-3",
        "Regionaal overleg": "OD-2",
        "Overleg met het kabinet van de Vlaamse minister van Werk": "OD-1",
    }
    rase = demo.get(name="Werkgroep RASE")
    assert rase.status == BodyStatus.ON_HOLD
    assert rase.status_reason
    assert rase.status_date == datetime.date(2020, 3, 16)
    days = [local_day(m.start) for m in rase.meetings.order_by("start")]
    assert len(days) == 2
    assert all(day < rase.status_date for day in days)
    rase.full_clean()

    regional = demo.get(name="Regionaal overleg")
    rose = regional.meetings.get(title="ROSE 2020")
    trefdag = regional.meetings.get(title="Trefdag voor toeleiders 2020")
    assert local_day(rose.start).month == 2
    assert local_day(trefdag.start) <= datetime.date(2020, 3, 10)

    meeting = Meeting.objects.get(body__kind="external", body__in=demo)
    assert local_day(meeting.start).month == 9
    assert "individueel maatwerk" in meeting.title.lower()


def test_corona_from_march_and_digital_from_april(demo):
    for body in demo.filter(name__in=FABRIEKEN):
        previous = None
        for meeting in body.meetings.order_by("start"):
            corona = meeting.agenda_items.filter(title=CORONA).first()
            if local_day(meeting.start) < datetime.date(2020, 3, 1):
                assert corona is None, meeting
                continue
            assert corona is not None, meeting
            assert corona.is_standing
            if previous is not None:
                assert corona.carried_from == previous
            previous = corona

    meetings = Meeting.objects.filter(body__in=demo)
    for meeting in meetings:
        meeting.full_clean()
        if local_day(meeting.start) < datetime.date(2020, 3, 15):
            assert meeting.format == MeetingFormat.PHYSICAL, meeting
        if meeting.format != MeetingFormat.PHYSICAL:
            assert meeting.video_url.startswith("https://"), meeting
    assert meetings.filter(format=MeetingFormat.DIGITAL).count() >= 10


def test_past_meetings_are_held_with_attendance_and_locked_minutes(demo):
    for meeting in Meeting.objects.filter(body__in=demo):
        assert meeting.status == MeetingStatus.HELD
        assert meeting.minutes_status == MinutesStatus.LOCKED
        assert meeting.attendances.exists()
        assert meeting.agenda_items.exclude(minutes="").exists()
    assert Attendance.objects.filter(status="excused").exists()
    assert Decision.objects.filter(meeting__body__in=demo).count() >= 10


def test_the_demo_logins_are_people_with_follow_ups_and_bodies(loaded):
    coordinator = User.objects.get(username="coordinator")
    assert coordinator.person is not None
    assert coordinator.person.full_name == "Hanne Verschaeve"
    mine = list(my_follow_ups(user=coordinator))
    assert any(f.is_open for f in mine)
    assert any(not f.is_open for f in mine)
    assert all(f.done_at for f in mine if f.status == "done")

    partner = User.objects.get(username="partner")
    visible = set(Body.objects.visible_to(partner).values_list("name", flat=True))
    assert "AZ-fabriek" in visible
    assert "LDE-fabriek" not in visible


def test_loading_again_changes_nothing(loaded):
    models = (Body, Membership, Meeting, AgendaItem, Attendance, Decision, FollowUp)
    counts = {model: model.objects.count() for model in models}
    histories = {model: model.history.count() for model in models}

    line = load()

    assert "this run 0 created, 0 updated" in line  # practices and rules: knowledge's demo
    assert {model: model.objects.count() for model in models} == counts
    assert {model: model.history.count() for model in models} == histories
