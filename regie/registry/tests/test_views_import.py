"""The import pages: upload, preview with per-row errors, commit or cancel, and who may use them."""

import datetime
import os
import uuid

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from regie.core.models import AuditEntry
from regie.registry.models import Organisation, Person
from regie.registry.tests.factories import OrganisationFactory, RegionFactory
from regie.registry.tests.test_imports import ORG_HEADER, csv_file, kbo, org_row

UPLOAD = reverse("registry:import_upload")


@pytest.fixture(autouse=True)
def _private_media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def client_for(client):
    def login(user):
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
        if user is not None:
            client.force_login(user)
        return client

    return login


def upload_file(
    client, data: bytes, *, kind: str = "organisations", name: str = "lijst.csv", **extra
):
    return client.post(UPLOAD, {"kind": kind, "file": SimpleUploadedFile(name, data), **extra})


def staged_folders(settings) -> list[str]:
    root = settings.MEDIA_ROOT / "imports"
    return sorted(os.listdir(root)) if root.exists() else []


def good_file() -> bytes:
    return csv_file([ORG_HEADER, org_row(1, "Wevelgem – Vlaamse Ardennen é"), org_row(2)])


def test_coordinator_uploads_previews_and_imports(client_for, coordinator, home_region, settings):
    client = client_for(coordinator)
    assert client.get(UPLOAD).status_code == 200

    response = upload_file(client, good_file())

    assert response.status_code == 302
    token = staged_folders(settings)[0]
    assert response["Location"] == reverse("registry:import_preview", args=[token])
    assert not Organisation.objects.filter(kbo=kbo(1)).exists()  # a preview writes nothing

    page = client.get(response["Location"])
    html = page.content.decode()
    assert page.status_code == 200
    assert "Wevelgem – Vlaamse Ardennen é" in html
    assert html.count(">new</span>") == 2
    assert 'value="commit"' in html

    done = client.post(response["Location"], {"action": "commit"})

    assert done.status_code == 302
    assert done["Location"] == reverse("registry:organisation_list")
    assert Organisation.objects.get(region=home_region, kbo=kbo(1)).name == (
        "Wevelgem – Vlaamse Ardennen é"
    )
    assert AuditEntry.objects.filter(action="registry.import", actor=coordinator).count() == 1
    assert staged_folders(settings) == []
    message = client.get(UPLOAD).content.decode()
    assert "Import done: 2 new, 0 updated, 0 unchanged." in message


def test_people_import_goes_to_the_person_list(client_for, coordinator, home_region):
    OrganisationFactory.create(region=home_region, kbo=kbo(50))
    data = csv_file(
        [
            ["voornaam", "achternaam", "organisatie", "functie"],
            ["An", "Peeters", kbo(50), "jobcoach"],
        ]
    )
    client = client_for(coordinator)

    preview_url = upload_file(client, data, kind="people")["Location"]
    done = client.post(preview_url, {"action": "commit"})

    assert done["Location"] == reverse("registry:person_list")
    assert Person.objects.get(region=home_region).last_name == "Peeters"


def test_reimport_shows_updates_and_does_not_duplicate(client_for, coordinator, home_region):
    client = client_for(coordinator)
    client.post(upload_file(client, good_file())["Location"], {"action": "commit"})

    changed = csv_file([ORG_HEADER, org_row(1, "Nieuwe naam"), org_row(2)])
    preview_url = upload_file(client, changed)["Location"]
    html = client.get(preview_url).content.decode()
    assert ">update</span>" in html
    assert ">unchanged</span>" in html
    assert "Changes: name" in html

    client.post(preview_url, {"action": "commit"})

    assert Organisation.objects.filter(region=home_region).count() == 2
    assert Organisation.objects.get(kbo=kbo(1)).name == "Nieuwe naam"


def test_bad_rows_are_listed_and_nothing_can_be_imported(client_for, coordinator, home_region):
    data = csv_file(
        [
            ORG_HEADER,
            org_row(1),
            org_row(2, kbo="0403.170.702"),
            org_row(3, kbo=kbo(1)),
        ]
    )
    client = client_for(coordinator)
    preview_url = upload_file(client, data)["Location"]

    page = client.get(preview_url)
    html = page.content.decode()

    assert page.status_code == 200
    assert "2 rows have errors, so nothing can be imported." in html
    assert "<td>3</td><td>kbo</td><td>This enterprise number is not valid" in html
    assert f"<td>4</td><td>kbo</td><td>Enterprise number {kbo(1)[:4]}" in html
    assert "also on row 2." in html
    assert 'value="commit"' not in html

    refused = client.post(preview_url, {"action": "commit"})

    assert refused.status_code == 400
    assert "Nothing was imported: rows 3, 4 have errors." in refused.content.decode()
    assert not Organisation.objects.filter(kbo=kbo(1)).exists()
    assert not AuditEntry.objects.filter(action="registry.import").exists()


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (b"", "The submitted file is empty."),
        (b"\r\n;;\r\n", "The file is empty."),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "This file is not a spreadsheet."),
        (b"naam;kbo;soort\r\nCaf\x81\x8d;0403.170.701;LDE\r\n", "could not be read"),
        (b"naam;soort;omzet\r\nX;LDE;12\r\n", "Required columns are missing: kbo."),
        (b"naam;soort;omzet\r\nX;LDE;12\r\n", "Unknown columns: \u201comzet\u201d."),
    ],
    ids=["zero-bytes", "blank", "not-a-spreadsheet", "encoding", "missing", "unknown"],
)
def test_file_errors_are_shown_beside_the_file_field(
    client_for, coordinator, settings, data, expected
):
    response = upload_file(client_for(coordinator), data)

    assert response.status_code == 200
    form = response.context["form"]
    assert any(expected in error for error in form.errors["file"])
    assert 'id="id_file_error"' in response.content.decode()
    assert staged_folders(settings) == []


def test_a_shift_jis_file_is_refused_in_dutch_and_nothing_is_staged(client, coordinator, settings):
    client.force_login(coordinator)
    data = "voornaam;familienaam;e-mail\r\n太郎;山田;taro@example.org\r\n".encode("shift_jis")

    response = upload_file(client, data, kind="people")

    assert response.status_code == 200
    assert response.context["form"].errors["file"] == [
        "De tekens in dit bestand konden niet gelezen worden. Sla het in Excel op als "
        "“CSV UTF-8” of als Excel-werkmap (.xlsx) en laad het opnieuw op."
    ]
    assert "‘¾˜Y" not in response.content.decode()
    assert staged_folders(settings) == []
    assert not Person.objects.exists()


def test_a_file_above_the_limit_is_refused_by_the_form(client_for, coordinator, settings):
    settings.REGIE_IMPORT_MAX_BYTES = 50

    response = upload_file(client_for(coordinator), good_file())

    assert "the limit is 50" in response.context["form"].errors["file"][0]
    assert staged_folders(settings) == []


def test_cancel_removes_the_uploaded_file(client_for, coordinator, settings):
    client = client_for(coordinator)
    preview_url = upload_file(client, good_file())["Location"]
    assert len(staged_folders(settings)) == 1

    response = client.post(preview_url, {"action": "cancel"})

    assert response["Location"] == UPLOAD
    assert staged_folders(settings) == []
    assert client.get(preview_url).status_code == 404
    assert not Organisation.objects.filter(kbo=kbo(1)).exists()


def test_the_upload_is_kept_privately_outside_the_web_root(client_for, coordinator, settings):
    upload_file(client_for(coordinator), good_file())

    [token] = staged_folders(settings)
    folder = settings.MEDIA_ROOT / "imports" / token
    assert uuid.UUID(token)
    assert (folder / "upload").read_bytes() == good_file()
    assert oct(folder.stat().st_mode & 0o777) == "0o700"
    assert oct((folder / "upload").stat().st_mode & 0o777) == "0o600"


def test_abandoned_uploads_are_purged_on_a_later_upload(client_for, coordinator, settings):
    client = client_for(coordinator)
    old_url = upload_file(client, good_file())["Location"]
    [old] = staged_folders(settings)
    day_ago = (datetime.datetime.now() - datetime.timedelta(days=2)).timestamp()
    os.utime(settings.MEDIA_ROOT / "imports" / old, (day_ago, day_ago))

    upload_file(client, good_file())

    assert old not in staged_folders(settings)
    assert len(staged_folders(settings)) == 1
    assert client.get(old_url).status_code == 404


def test_admin_chooses_the_region(client_for, admin_user, home_region, settings):
    elsewhere = RegionFactory.create(code="elders", name="Elders")
    client = client_for(admin_user)
    assert 'name="region"' in client.get(UPLOAD).content.decode()

    missing = upload_file(client, good_file())
    assert "region" in missing.context["form"].errors

    preview_url = upload_file(client, good_file(), region=elsewhere.pk)["Location"]
    client.post(preview_url, {"action": "commit"})

    assert Organisation.objects.get(kbo=kbo(1)).region == elsewhere


def test_coordinator_has_no_region_choice(client_for, coordinator):
    assert 'name="region"' not in client_for(coordinator).get(UPLOAD).content.decode()


@pytest.mark.parametrize("role", ["partner", "counsellor", "viewer"])
def test_other_roles_get_404(client_for, cast, role):
    client = client_for(cast[role])
    token = uuid.uuid4()

    assert client.get(UPLOAD).status_code == 404
    assert upload_file(client, good_file()).status_code == 404
    assert client.get(reverse("registry:import_preview", args=[token])).status_code == 404


def test_anonymous_is_sent_to_log_in(client_for, coordinator):
    client = client_for(None)
    preview_url = reverse("registry:import_preview", args=[uuid.uuid4()])

    for response in (client.get(UPLOAD), upload_file(client, good_file()), client.get(preview_url)):
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))


@pytest.mark.parametrize("intruder", ["outsider", "admin"])
def test_someone_elses_upload_answers_404(client, cast, home_region, settings, intruder):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    client.force_login(cast["coordinator"])
    preview_url = upload_file(client, good_file())["Location"]

    client.force_login(cast[intruder])

    assert client.get(preview_url).status_code == 404
    assert client.post(preview_url, {"action": "commit"}).status_code == 404
    assert client.post(preview_url, {"action": "cancel"}).status_code == 404
    assert len(staged_folders(settings)) == 1
    assert not Organisation.objects.filter(kbo=kbo(1)).exists()


def test_an_unknown_token_answers_404(client_for, coordinator):
    url = reverse("registry:import_preview", args=[uuid.uuid4()])
    assert client_for(coordinator).get(url).status_code == 404


def test_a_coordinator_moved_to_another_region_loses_the_upload(
    client_for, coordinator, other_region
):
    client = client_for(coordinator)
    preview_url = upload_file(client, good_file())["Location"]

    coordinator.region = other_region
    coordinator.save()

    assert client.get(preview_url).status_code == 404
