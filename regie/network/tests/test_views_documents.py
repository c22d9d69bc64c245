"""Documents of a meeting: uploaded with a size limit and a check of the content, served only to
those who may see the meeting, as an attachment the browser may not sniff."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from regie.network.models import MeetingDocument
from regie.network.tests.factories import BodyFactory, MeetingFactory, MembershipFactory

pytestmark = pytest.mark.django_db
PDF = b"%PDF-1.4\n1 0 obj\n<<>>\nendobj\n%%EOF\n"


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


@pytest.fixture
def meeting(home_region, partner_organisation):
    body = BodyFactory.create(region=home_region)
    MembershipFactory.create(body=body, organisation=partner_organisation)
    return MeetingFactory.create(body=body)


def upload(client, meeting, name: str, data: bytes):
    return client.post(
        reverse("network:document_upload", args=[meeting.pk]),
        {"file": SimpleUploadedFile(name, data)},
    )


def test_upload_and_download_a_pdf(client, coordinator, partner, meeting, media):
    client.force_login(coordinator)
    response = upload(client, meeting, "Uitnodiging ROSE.pdf", PDF)
    document = MeetingDocument.objects.get()
    assert response.url.endswith("#documents")
    assert document.filename == "Uitnodiging_ROSE.pdf"
    assert document.file.path.startswith(str(media))

    client.force_login(partner)
    download = client.get(reverse("network:document_download", args=[document.pk]))
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == PDF
    assert download["Content-Type"] == "application/pdf"
    assert download["Content-Disposition"].startswith("attachment;")
    assert download["X-Content-Type-Options"] == "nosniff"


def test_a_file_over_the_limit_is_refused_beside_the_field(client, coordinator, meeting, settings):
    settings.REGIE_DOCUMENT_MAX_BYTES = 20
    client.force_login(coordinator)
    response = upload(client, meeting, "groot.pdf", PDF)
    assert response.status_code == 200
    assert response.context["form"].errors["file"]
    assert 'id="id_file_error"' in response.text
    assert not MeetingDocument.objects.exists()


def test_wrong_content_with_a_fake_extension_is_refused(client, coordinator, meeting):
    client.force_login(coordinator)
    response = upload(client, meeting, "verslag.pdf", b"MZ\x90\x00 a program\x00\x00")
    assert response.context["form"].errors["file"]
    response = upload(client, meeting, "foto.png", b"<svg onload=alert(1)>\x00")
    assert response.context["form"].errors["file"]
    assert not MeetingDocument.objects.exists()


def test_the_extension_follows_the_content(client, coordinator, meeting):
    client.force_login(coordinator)
    upload(client, meeting, "verslag.exe", PDF)
    assert MeetingDocument.objects.get().filename == "verslag.pdf"


def test_no_file_is_an_error_beside_the_field(client, coordinator, meeting):
    client.force_login(coordinator)
    response = client.post(reverse("network:document_upload", args=[meeting.pk]), {})
    assert response.context["form"].errors["file"]


@pytest.mark.parametrize("role", ["outsider", "viewer"])
def test_someone_who_may_not_see_the_meeting_gets_404(client, cast, coordinator, meeting, role):
    client.force_login(coordinator)
    upload(client, meeting, "agenda.pdf", PDF)
    document = MeetingDocument.objects.get()
    client.force_login(cast[role])
    assert client.get(reverse("network:document_download", args=[document.pk])).status_code == 404


def test_a_partner_outside_the_body_gets_404(client, coordinator, partner, home_region):
    meeting = MeetingFactory.create(body=BodyFactory.create(region=home_region))
    client.force_login(coordinator)
    upload(client, meeting, "agenda.pdf", PDF)
    client.force_login(partner)
    document = MeetingDocument.objects.get()
    assert client.get(reverse("network:document_download", args=[document.pk])).status_code == 404
    assert (
        client.post(
            reverse("network:document_upload", args=[meeting.pk]),
            {"file": SimpleUploadedFile("x.pdf", PDF)},
        ).status_code
        == 404
    )


def test_a_missing_file_on_disk_is_404(client, coordinator, meeting):
    client.force_login(coordinator)
    upload(client, meeting, "agenda.pdf", PDF)
    document = MeetingDocument.objects.get()
    document.file.delete(save=False)
    assert client.get(reverse("network:document_download", args=[document.pk])).status_code == 404
