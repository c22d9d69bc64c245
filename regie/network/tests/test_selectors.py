"""Network selectors: scoping, counts, overlaps and the pages' reads."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from regie.network import selectors
from regie.network.models import AttendanceStatus, FollowUpStatus, MeetingStatus, MinutesStatus
from regie.network.tests.factories import (
    AgendaItemFactory,
    AttendanceFactory,
    BodyFactory,
    FollowUpFactory,
    MeetingFactory,
    MembershipFactory,
    at,
)
from regie.registry.tests.factories import AffiliationFactory, PersonFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def body(home_region):
    return BodyFactory.create(region=home_region, name="AZ-fabriek")


def names(bodies) -> list[str]:
    return [body.name for body in bodies]


def test_who_sees_which_body(cast, body, home_region, other_region, partner_organisation):
    via_person = BodyFactory.create(region=home_region, name="Via een collega")
    colleague = PersonFactory.create(region=home_region)
    AffiliationFactory.create(person=colleague, organisation=partner_organisation)
    MembershipFactory.create(body=via_person, person=colleague, organisation=None)
    MembershipFactory.create(body=body, organisation=partner_organisation)
    BodyFactory.create(region=home_region, name="Zonder de partner")
    BodyFactory.create(region=other_region, name="Elders")

    seen = {role: names(selectors.body_list(user=user)) for role, user in cast.items()}

    assert seen["coordinator"] == ["AZ-fabriek", "Via een collega", "Zonder de partner"]
    assert seen["partner"] == ["AZ-fabriek", "Via een collega"]
    assert seen["counsellor"] == ["AZ-fabriek", "Via een collega"]
    assert seen["viewer"] == []
    assert seen["outsider"] == ["Elders"]
    assert len(seen["admin"]) == 4


def test_member_count_counts_current_members_only(coordinator, body):
    MembershipFactory.create(body=body)
    MembershipFactory.create(body=body, start=datetime.date(2019, 1, 1))
    MembershipFactory.create(body=body, end=datetime.date(2020, 1, 1))
    MembershipFactory.create(body=body, start=datetime.date(2099, 1, 1))
    assert selectors.body_list(user=coordinator).get().member_count == 2  # type: ignore[attr-defined]


def test_body_page_splits_members_and_meetings(coordinator, body):
    current = MembershipFactory.create(body=body)
    former = MembershipFactory.create(body=body, end=datetime.date(2020, 6, 30))
    past = MeetingFactory.create(body=body, start=at(2020, 1, 23, 9), end=at(2020, 1, 23, 11))
    future = MeetingFactory.create(body=body, start=at(2099, 1, 23, 9), end=at(2099, 1, 23, 11))
    AttendanceFactory.create(meeting=past, status=AttendanceStatus.PRESENT)

    page = selectors.body_detail(user=coordinator, pk=body.pk)

    assert page.members == [current]
    assert page.former_members == [former]
    assert page.upcoming == [future]
    assert page.past == [past]
    assert page.past[0].present_count == 1  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    ("start", "end", "overlaps"),
    [
        (at(2099, 3, 12, 10), at(2099, 3, 12, 11), True),  # inside
        (at(2099, 3, 12, 8), at(2099, 3, 12, 9, 30), True),  # ends during it
        (at(2099, 3, 12, 11, 59), at(2099, 3, 12, 13), True),  # starts during it
        (at(2099, 3, 12, 12), at(2099, 3, 12, 13), False),  # starts when it ends
        (at(2099, 3, 12, 7), at(2099, 3, 12, 9), False),  # ends when it starts
    ],
)
def test_overlaps_of_one_body(body, home_region, start, end, overlaps):
    existing = MeetingFactory.create(body=body, start=at(2099, 3, 12, 9), end=at(2099, 3, 12, 12))
    found = selectors.meeting_overlaps(body=body, start=start, end=end)
    assert found == ([existing] if overlaps else [])


def test_cancelled_postponed_and_other_bodies_do_not_overlap(body, home_region):
    start, end = at(2099, 3, 12, 9), at(2099, 3, 12, 12)
    MeetingFactory.create(body=body, start=start, end=end, status=MeetingStatus.CANCELLED)
    MeetingFactory.create(body=body, start=start, end=end, status=MeetingStatus.POSTPONED)
    MeetingFactory.create(body=BodyFactory.create(region=home_region), start=start, end=end)
    own = MeetingFactory.create(body=body, start=start, end=end)
    assert selectors.meeting_overlaps(body=body, start=start, end=end, exclude_pk=own.pk) == []


def test_meeting_page_hides_draft_minutes_from_readers(
    partner, coordinator, body, partner_organisation
):
    MembershipFactory.create(body=body, organisation=partner_organisation)
    meeting = MeetingFactory.create(body=body)
    assert selectors.meeting_detail(user=coordinator, pk=meeting.pk, can_edit=True).show_minutes
    page = selectors.meeting_detail(user=partner, pk=meeting.pk, can_edit=False)
    assert not page.show_minutes
    meeting.minutes_status = MinutesStatus.LOCKED
    meeting.save()
    assert selectors.meeting_detail(user=partner, pk=meeting.pk, can_edit=False).show_minutes


def test_meeting_page_counts_attendance_per_status(coordinator, body):
    meeting = MeetingFactory.create(body=body)
    AttendanceFactory.create(meeting=meeting, status=AttendanceStatus.PRESENT)
    AttendanceFactory.create(meeting=meeting, status=AttendanceStatus.PRESENT)
    AttendanceFactory.create(meeting=meeting, status=AttendanceStatus.EXCUSED)
    page = selectors.meeting_detail(user=coordinator, pk=meeting.pk, can_edit=True)
    counts = {value: count for value, _label, count in page.attendance_counts}
    assert counts == {"invited": 0, "confirmed": 0, "present": 2, "excused": 1, "absent": 0}


def test_meeting_page_reads_in_a_fixed_number_of_queries(coordinator, body):
    def queries(meeting) -> int:
        with CaptureQueriesContext(connection) as captured:
            selectors.meeting_detail(user=coordinator, pk=meeting.pk, can_edit=True)
        return len(captured.captured_queries)

    small = MeetingFactory.create(body=body)
    AgendaItemFactory.create(meeting=small)
    AttendanceFactory.create(meeting=small)
    large = MeetingFactory.create(body=body)
    for _ in range(8):
        AgendaItemFactory.create(meeting=large)
        AttendanceFactory.create(meeting=large)
        FollowUpFactory.create(meeting=large, owner=PersonFactory.create(region=body.region))
    assert queries(small) == queries(large)


def test_my_follow_ups_open_first_then_closed(coordinator, body, home_region):
    person = PersonFactory.create(region=home_region)
    coordinator.person = person
    coordinator.save()
    meeting = MeetingFactory.create(body=body)
    done = FollowUpFactory.create(
        meeting=meeting,
        owner=person,
        status=FollowUpStatus.DONE,
        due_date=datetime.date(2020, 1, 1),
    )
    late = FollowUpFactory.create(meeting=meeting, owner=person, due_date=datetime.date(2020, 6, 1))
    soon = FollowUpFactory.create(meeting=meeting, owner=person, due_date=datetime.date(2099, 1, 1))
    FollowUpFactory.create(meeting=meeting)  # someone else's
    assert list(selectors.my_follow_ups(user=coordinator)) == [late, soon, done]


def test_my_follow_ups_stay_inside_the_scope(outsider, body, home_region):
    person = PersonFactory.create(region=home_region)
    outsider.person = person
    outsider.save()
    FollowUpFactory.create(meeting__body=body, owner=person)
    assert list(selectors.my_follow_ups(user=outsider)) == []


def test_meeting_list_by_year_and_body_with_counts(coordinator, body, home_region):
    in_2020 = MeetingFactory.create(body=body, start=at(2020, 12, 31, 23), end=at(2021, 1, 1, 1))
    MeetingFactory.create(body=body, start=at(2021, 1, 1, 0, 30), end=at(2021, 1, 1, 2))
    other = MeetingFactory.create(
        body=BodyFactory.create(region=home_region), start=at(2020, 5, 1), end=at(2020, 5, 1, 11)
    )
    AttendanceFactory.create(meeting=in_2020, status=AttendanceStatus.ABSENT)

    meetings = list(selectors.meeting_list(user=coordinator, year=2020))
    assert meetings == [other, in_2020]
    assert meetings[1].attendance_absent == 1  # type: ignore[attr-defined]
    assert list(selectors.meeting_list(user=coordinator, year=2020, body=body)) == [in_2020]
