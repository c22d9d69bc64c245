"""The mail outbox: what users type never breaks a mail, and every mail has an HTML part."""

import pytest
from django.core import mail as django_mail
from django.core.mail import EmailMultiAlternatives

from regie.core.mail import Attachment, mail_queue, mail_send, single_line
from regie.core.models import OutgoingMail

pytestmark = pytest.mark.django_db


@pytest.fixture
def send_on_commit(django_capture_on_commit_callbacks):
    return lambda: django_capture_on_commit_callbacks(execute=True)


@pytest.mark.parametrize(
    ("typed", "subject"),
    [
        ("AZ-fabriek\nmaart", "AZ-fabriek maart"),
        ("AZ-fabriek\r\n  maart ", "AZ-fabriek maart"),
        ("Trefdag\u2028voor toeleiders", "Trefdag voor toeleiders"),
        ("Tab\there\x00and\x1bthere", "Tab here and there"),
        ("\nOverleg", "Overleg"),
    ],
)
def test_a_subject_is_made_single_line(typed, subject):
    assert single_line(typed) == subject


def test_a_title_with_a_line_break_still_goes_out(send_on_commit):
    with send_on_commit():
        mail = mail_queue(
            to=["ann@example.org"], subject="Uitnodiging: AZ-fabriek\r\nextra", body="Dag Ann"
        )

    mail.refresh_from_db()
    assert mail.status == OutgoingMail.Status.SENT, mail.last_error
    assert mail.subject == "Uitnodiging: AZ-fabriek extra"
    (sent,) = django_mail.outbox
    assert sent.subject == "Uitnodiging: AZ-fabriek extra"
    assert sent.message()["Subject"] == "Uitnodiging: AZ-fabriek extra"


def test_a_row_queued_with_a_multi_line_subject_is_sent_on_one_line():
    mail = OutgoingMail.objects.create(to=["ann@example.org"], subject="Oud\nonderwerp", body="x")
    assert mail_send(mail=mail)
    assert django_mail.outbox[0].subject == "Oud onderwerp"


def test_every_mail_has_an_html_alternative_made_from_the_text(send_on_commit):
    body = "Dag Ann,\n\nDe agenda: <b>corona</b> & co.\nZie https://regie.example.org/m/1\n"
    with send_on_commit():
        mail_queue(
            to=["ann@example.org"],
            subject="Agenda",
            body=body,
            attachments=[Attachment("invite.ics", b"BEGIN:VCALENDAR", "text/calendar")],
        )

    (sent,) = django_mail.outbox
    assert isinstance(sent, EmailMultiAlternatives)
    assert sent.body == body
    ((html, mimetype),) = sent.alternatives
    assert mimetype == "text/html"
    assert isinstance(html, str)
    assert html.startswith("<!DOCTYPE html>")
    assert "<title>Agenda</title>" in html
    assert "<p>Dag Ann,</p>" in html
    assert "De agenda: &lt;b&gt;corona&lt;/b&gt; &amp; co.<br>" in html
    assert '<a href="https://regie.example.org/m/1" rel="nofollow">' in html
    assert "<b>" not in html
    assert [a[0] for a in sent.attachments] == ["invite.ics"]
    parts = [part.get_content_type() for part in sent.message().walk()]
    assert parts[:4] == ["multipart/mixed", "multipart/alternative", "text/plain", "text/html"]


def test_a_mail_that_cannot_be_written_is_kept_as_failed_and_not_sent(send_on_commit):
    with send_on_commit() as callbacks:
        mail = mail_queue(
            to=["ann@example.org\nBcc: everyone@example.org"], subject="Agenda", body="x"
        )

    assert callbacks == []
    mail.refresh_from_db()
    assert mail.status == OutgoingMail.Status.FAILED
    assert "ValueError" in mail.last_error
    assert django_mail.outbox == []
