"""The import engine: reading CSV and XLSX, columns, row checks and the all-or-nothing commit."""

import codecs
import datetime
import io
import zipfile
from collections.abc import Sequence
from pathlib import Path

import pytest
from django.utils import translation
from openpyxl import Workbook

from regie.core.models import AuditEntry
from regie.registry import imports
from regie.registry.imports import ImportFileError, ImportKind, ImportRejected, RowAction
from regie.registry.models import Affiliation, Function, Organisation, OrganisationKind, Person
from regie.registry.tests.factories import (
    AffiliationFactory,
    MunicipalityFactory,
    OrganisationFactory,
    PersonFactory,
    PostcodeFactory,
    RegionMembershipFactory,
    SiteFactory,
)
from regie.registry.validators import format_kbo

ORGS = ImportKind.ORGANISATIONS
PEOPLE = ImportKind.PEOPLE


def kbo(n: int) -> str:
    """A valid enterprise number outside the range the factories use."""
    base = 7_000_000 + n
    return f"{base:08d}{97 - base % 97:02d}"


def csv_file(rows: list[list[str]], *, delimiter: str = ";", encoding: str = "cp1252") -> bytes:
    text = "\r\n".join(delimiter.join(row) for row in rows) + "\r\n"
    return text.encode(encoding)


def xlsx_file(rows: Sequence[Sequence[object]]) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    for row in rows:
        sheet.append(list(row))
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


@pytest.fixture
def wevelgem(home_region):
    municipality = MunicipalityFactory.create(nis_code="34041", name="Wevelgem", postcode=None)
    PostcodeFactory.create(municipality=municipality, code="8560")
    RegionMembershipFactory.create(region=home_region, municipality=municipality)
    return municipality


def preview(user, region, kind, data):
    return imports.import_preview(actor=user, region=region, kind=kind, data=data)


def commit(user, region, kind, data):
    return imports.registry_import_commit(
        actor=user, region=region, kind=kind, data=data, filename="test.csv"
    )


def errors_of(plan):
    return [(error.row, error.column, error.code) for error in plan.errors]


ORG_HEADER = ["naam", "kbo", "soort", "e-mail", "telefoon", "straat", "postcode", "gemeente"]


def org_row(n: int, name: str = "", **overrides: str) -> list[str]:
    values = {
        "naam": name or f"Organisatie {n}",
        "kbo": format_kbo(kbo(n)),
        "soort": "maatwerkbedrijf",
        "e-mail": f"info{n}@example.org",
        "telefoon": "056 11 22 33",
        "straat": f"Werkstraat {n}",
        "postcode": "8500",
        "gemeente": "Kortrijk",
    }
    values.update(overrides)
    return [values[column] for column in ORG_HEADER]


# --- Reading files ------------------------------------------------------------------------------


def test_windows_1252_semicolon_file_keeps_its_accents(coordinator, home_region, wevelgem):
    name = "Wevelgem – Vlaamse Ardennen é"
    data = csv_file(
        [ORG_HEADER, org_row(1, name, postcode="8560", gemeente="Wevelgem")], encoding="cp1252"
    )
    assert b"\x96" in data  # the en dash as Windows-1252 writes it, invalid as UTF-8

    result = commit(coordinator, home_region, ORGS, data)

    assert result.new == 1
    organisation = Organisation.objects.get(region=home_region, kbo=kbo(1))
    assert organisation.name == name
    assert organisation.kind == OrganisationKind.SE_COMPANY
    site = organisation.sites.get()
    assert (site.street, site.postcode, site.municipality, site.is_main) == (
        "Werkstraat 1",
        "8560",
        wevelgem,
        True,
    )


@pytest.mark.parametrize(
    ("delimiter", "encoding"),
    [(",", "utf-8"), (",", "utf-8-sig"), (";", "utf-8-sig"), (";", "utf-8"), ("\t", "utf-16")],
)
def test_comma_semicolon_bom_and_utf16_files_are_read(
    coordinator, home_region, delimiter, encoding
):
    data = csv_file(
        [ORG_HEADER, org_row(1, "Café Één"), org_row(2)], delimiter=delimiter, encoding=encoding
    )
    if encoding == "utf-8-sig":
        assert data.startswith(codecs.BOM_UTF8)

    plan = preview(coordinator, home_region, ORGS, data)

    assert plan.errors == []
    assert plan.headers == ORG_HEADER  # the BOM is not part of the first column name
    assert [row.cells[0] for row in plan.rows] == ["Café Één", "Organisatie 2"]


def test_quoted_cells_may_hold_the_delimiter(coordinator, home_region):
    data = f'naam;kbo;soort\r\n"Wonen; Werken vzw";{kbo(1)};LDE\r\n'.encode()

    plan = preview(coordinator, home_region, ORGS, data)

    assert plan.errors == []
    assert plan.rows[0].cells[0] == "Wonen; Werken vzw"


def test_xlsx_numbers_lose_no_leading_zero_and_postcodes_read_as_text(coordinator, home_region):
    number = int(kbo(3))  # Excel drops the leading 0 of an enterprise number typed as a number
    data = xlsx_file(
        [
            ["Naam", "Ondernemingsnummer", "Soort", "Straat", "Postcode", "Gemeente"],
            ["Kringwinkel Zuid", number, "Sociale-economiebedrijf", "Markt 1", 8500, "34022"],
        ]
    )

    result = commit(coordinator, home_region, ORGS, data)

    assert result.new == 1
    organisation = Organisation.objects.get(kbo=kbo(3))
    assert organisation.sites.get().postcode == "8500"


def test_row_numbers_are_those_of_the_spreadsheet(coordinator, home_region):
    data = csv_file(
        [
            [],
            ORG_HEADER,
            org_row(1),
            [""] * len(ORG_HEADER),
            org_row(2, kbo="0403.170.702"),
        ]
    )

    plan = preview(coordinator, home_region, ORGS, data)

    assert [row.number for row in plan.rows] == [3, 5]
    assert errors_of(plan) == [(5, "kbo", "kbo_checksum")]


def test_xlsx_row_numbers_are_those_of_the_sheet(coordinator, home_region):
    data = xlsx_file(
        [
            ["naam", "kbo", "soort"],
            [None, None, None],
            ["Goed", kbo(1), "LDE"],
            ["Fout", "12", "LDE"],
        ]
    )

    plan = preview(coordinator, home_region, ORGS, data)

    assert errors_of(plan) == [(4, "kbo", "kbo_length")]


@pytest.mark.parametrize(
    "header",
    [
        [
            "Naam",
            "KBO-nummer",
            "Soort",
            "E-MAIL",
            "Telefoonnummer",
            "Straat",
            "Postcode",
            "Gemeente",
        ],
        [
            "  naam ",
            "Ondernemingsnummer",
            "SOORT",
            "E-mailadres",
            "Tel.",
            "Adres",
            "Post code",
            "Géméénte",
        ],
        [
            "Name",
            "Enterprise number",
            "Kind",
            "Email",
            "Phone",
            "Street",
            "Zip code",
            "Municipality",
        ],
    ],
)
def test_column_names_ignore_case_accents_spaces_and_language(coordinator, home_region, header):
    data = csv_file([header, org_row(1)])

    plan = preview(coordinator, home_region, ORGS, data)

    assert plan.errors == []
    assert plan.rows[0].action == RowAction.NEW


# --- File-level errors --------------------------------------------------------------------------


def file_error(coordinator, home_region, data: bytes, kind: str = ORGS) -> ImportFileError:
    with pytest.raises(ImportFileError) as raised:
        preview(coordinator, home_region, kind, data)
    return raised.value


def codes(error: ImportFileError) -> list[str]:
    return [item.code or "" for item in error.error_list]


@pytest.mark.parametrize("data", [b"", b"\xef\xbb\xbf", b"\r\n\r\n", b";;;\r\n;;;\r\n"])
def test_an_empty_file_is_refused(coordinator, home_region, data):
    error = file_error(coordinator, home_region, data)
    assert codes(error) == ["empty"]
    assert "empty" in error.messages[0]


def test_an_empty_workbook_is_refused(coordinator, home_region):
    assert codes(file_error(coordinator, home_region, xlsx_file([]))) == ["empty"]


def test_a_header_without_rows_is_refused(coordinator, home_region):
    error = file_error(coordinator, home_region, csv_file([ORG_HEADER]))
    assert codes(error) == ["no_rows"]


def test_a_file_above_the_limit_is_refused(coordinator, home_region, settings):
    settings.REGIE_IMPORT_MAX_BYTES = 100
    data = csv_file([ORG_HEADER, org_row(1), org_row(2)])
    assert len(data) > 100

    error = file_error(coordinator, home_region, data)

    assert codes(error) == ["too_large"]
    assert "100" in error.messages[0]


def test_too_many_rows_are_refused(coordinator, home_region, monkeypatch):
    monkeypatch.setattr(imports.files, "MAX_ROWS", 2)  # the reader's limit
    data = csv_file([ORG_HEADER, org_row(1), org_row(2), org_row(3)])
    assert codes(file_error(coordinator, home_region, data)) == ["too_many_rows"]


@pytest.mark.parametrize(
    "data",
    [
        b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01",
        b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\x01\x02\x03",
        b"PK\x03\x04 this is not really a zip archive",
    ],
    ids=["png", "pdf", "broken-zip"],
)
def test_a_file_that_is_no_spreadsheet_is_refused(coordinator, home_region, data):
    error = file_error(coordinator, home_region, data)
    assert codes(error) == ["not_a_spreadsheet"]
    assert "not a spreadsheet" in error.messages[0]


def test_a_zip_that_is_no_workbook_is_refused(coordinator, home_region):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<document/>")

    error = file_error(coordinator, home_region, buffer.getvalue())

    assert codes(error) == ["not_xlsx"]
    assert "not an Excel workbook" in error.messages[0]


def test_a_damaged_workbook_is_refused(coordinator, home_region):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("xl/workbook.xml", "<not-a-workbook")

    assert codes(file_error(coordinator, home_region, buffer.getvalue())) == ["xlsx_unreadable"]


def test_an_old_xls_file_is_refused_with_advice(coordinator, home_region):
    error = file_error(coordinator, home_region, imports.OLE_MAGIC + b"\x00" * 64)
    assert codes(error) == ["xls"]
    assert ".xlsx" in error.messages[0]


def test_a_file_in_an_unreadable_encoding_is_refused(coordinator, home_region):
    # Neither UTF-8 nor Windows-1252: 0x81 and 0x8d have no character in Windows-1252.
    data = b"naam;kbo;soort\r\nCaf\x81\x8d;0403.170.701;LDE\r\n"

    error = file_error(coordinator, home_region, data)

    assert codes(error) == ["encoding"]
    assert "UTF-8" in error.messages[0]


PEOPLE_HEADER_SHORT = ["voornaam", "familienaam", "e-mail"]


@pytest.mark.parametrize(
    "names",
    [
        [("太郎", "山田"), ("一郎", "鈴木")],  # each decodes as Windows-1252 to garbage: ‘¾˜Y …
        [("山田太郎", "田中")],
        [("花子", "佐藤"), ("小林", "高橋")],  # bytes Windows-1252 has no character for
    ],
    ids=["names", "one-cell", "undefined-bytes"],
)
def test_a_shift_jis_file_is_refused_and_nothing_is_stored(coordinator, home_region, names):
    rows = [PEOPLE_HEADER_SHORT] + [
        [first, last, f"p{n}@example.org"] for n, (first, last) in enumerate(names)
    ]
    data = csv_file(rows, encoding="shift_jis")
    with pytest.raises(UnicodeDecodeError):
        data.decode("utf-8")

    with pytest.raises(ImportFileError) as raised:
        commit(coordinator, home_region, PEOPLE, data)

    assert codes(raised.value) == ["encoding"]
    assert not Person.objects.exists()
    assert not AuditEntry.objects.filter(action="registry.import").exists()
    with translation.override("nl"):
        assert "De tekens in dit bestand konden niet gelezen worden" in str(
            file_error(coordinator, home_region, data, PEOPLE).messages[0]
        )


@pytest.mark.parametrize(
    "name",
    [
        "Noël François",
        "Café Één",
        "Coöperatie De Ploeg – Leie",
        "José",
        "Vzw créée ’t Werkhuis",
        "Les Œuvres – asbl «Le Relais»",
        "Brûlé Château ç",
    ],
)
def test_a_short_windows_1252_file_with_accents_is_read(coordinator, home_region, name):
    data = csv_file([ORG_HEADER, org_row(1, name)], encoding="cp1252")
    with pytest.raises(UnicodeDecodeError):
        data.decode("utf-8")

    plan = preview(coordinator, home_region, ORGS, data)

    assert plan.errors == []
    assert plan.rows[0].cells[0] == name


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig"])
def test_utf8_with_and_without_bom_reads_japanese_and_accents(coordinator, home_region, encoding):
    data = csv_file([ORG_HEADER, org_row(1, "山田 Café Één")], encoding=encoding)

    plan = preview(coordinator, home_region, ORGS, data)

    assert plan.errors == []
    assert plan.headers == ORG_HEADER
    assert plan.rows[0].cells[0] == "山田 Café Één"


@pytest.mark.parametrize("encoding", ["utf-16-le", "utf-16-be"])
def test_utf16_without_byte_order_mark_gets_the_encoding_message(
    coordinator, home_region, encoding
):
    data = csv_file([ORG_HEADER, org_row(1, "Café Één")], encoding=encoding)
    assert not data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE))

    error = file_error(coordinator, home_region, data)

    assert codes(error) == ["encoding"]
    assert "UTF-8" in error.messages[0]


def test_missing_and_unknown_columns_are_named(coordinator, home_region):
    data = csv_file(
        [["Naam", "Soort", "Adres", "Omzet", "Aantal VTE"], ["X", "LDE", "Markt 1", "1", "2"]]
    )

    error = file_error(coordinator, home_region, data)

    assert codes(error) == ["missing_columns", "unknown_columns"]
    missing, unknown = error.messages
    assert "kbo" in missing
    assert "“Omzet”" in unknown
    assert "“Aantal VTE”" in unknown
    assert "Adres" not in unknown


def test_a_column_given_twice_is_refused(coordinator, home_region):
    data = csv_file([["naam", "kbo", "Ondernemingsnummer", "soort"], ["X", kbo(1), kbo(1), "LDE"]])

    error = file_error(coordinator, home_region, data)

    assert codes(error) == ["duplicate_columns"]
    assert "Ondernemingsnummer" in error.messages[0]


def test_values_under_an_unnamed_column_are_refused_but_empty_ones_ignored(
    coordinator, home_region
):
    plan = preview(
        coordinator,
        home_region,
        ORGS,
        csv_file([["naam", "kbo", "soort", "", ""], ["X", kbo(1), "LDE", "", ""]]),
    )
    assert plan.errors == []

    error = file_error(
        coordinator,
        home_region,
        csv_file([["naam", "kbo", "soort", ""], ["X", kbo(1), "LDE", "?"]]),
    )
    assert codes(error) == ["unnamed_columns"]
    assert "D" in error.messages[0]


def test_a_people_file_uploaded_as_organisations_gets_a_hint(coordinator, home_region):
    data = csv_file([["Voornaam", "Achternaam", "E-mail"], ["An", "Peeters", "an@example.org"]])

    error = file_error(coordinator, home_region, data, kind=ORGS)

    assert codes(error)[-1] == "other_kind"
    assert "people" in error.messages[-1]


# --- Organisation rows --------------------------------------------------------------------------


def test_bad_rows_are_reported_with_row_column_and_reason(coordinator, home_region, wevelgem):
    data = csv_file(
        [
            ORG_HEADER,
            org_row(1, kbo="0403.170.702"),
            org_row(2, soort="bakkerij"),
            org_row(3, postcode="8560"),
            org_row(4, gemeente="Atlantis"),
            org_row(5, **{"e-mail": "info-at-example.org"}),
            org_row(6, naam=""),
            org_row(7, straat=""),
            org_row(8, kbo=""),
            org_row(9),
        ]
    )

    plan = preview(coordinator, home_region, ORGS, data)

    assert errors_of(plan) == [
        (2, "kbo", "kbo_checksum"),
        (3, "soort", "invalid_choice"),
        (4, "postcode", "postcode_mismatch"),
        (5, "gemeente", "invalid"),
        (6, "e-mail", "invalid"),
        (7, "naam", "required"),
        (8, "straat", "required"),
        (9, "kbo", "required"),
    ]
    messages = {error.row: error.message for error in plan.errors}
    assert messages[4] == "Postcode 8560 does not belong to Kortrijk."
    assert "bakkerij" in messages[3]
    assert "Atlantis" in messages[5]
    assert [row.action for row in plan.rows][-1] == RowAction.NEW
    assert plan.error_rows == [2, 3, 4, 5, 6, 7, 8, 9]


def test_a_duplicate_enterprise_number_names_the_earlier_row(coordinator, home_region):
    data = csv_file([ORG_HEADER, org_row(1), org_row(2), org_row(3, kbo=kbo(1))])

    plan = preview(coordinator, home_region, ORGS, data)

    assert errors_of(plan) == [(4, "kbo", "duplicate")]
    assert plan.errors[0].message == f"Enterprise number {format_kbo(kbo(1))} is also on row 2."


def test_model_rules_apply_to_every_field(coordinator, home_region):
    data = csv_file([["naam", "kbo", "soort", "website"], ["X" * 201, kbo(1), "LDE", "not a url"]])

    plan = preview(coordinator, home_region, ORGS, data)

    assert errors_of(plan) == [(2, "naam", "max_length"), (2, "website", "invalid")]


@pytest.mark.parametrize(
    ("written", "kind"),
    [
        ("maatwerkbedrijf", OrganisationKind.SE_COMPANY),
        ("se_company", OrganisationKind.SE_COMPANY),
        ("Social economy company", OrganisationKind.SE_COMPANY),
        ("Lokale diensteneconomie", OrganisationKind.LDE),
        ("Arbeidszorg", OrganisationKind.WORK_CARE),
        ("Lokaal bestuur", OrganisationKind.LOCAL_GOVERNMENT),
        ("OCMW", OrganisationKind.OCMW),
        ("VDAB/GTB", OrganisationKind.VDAB),
        ("Werkgeversnetwerk", OrganisationKind.EMPLOYERS_NETWORK),
        ("Hogeschool", OrganisationKind.SCHOOL),
        ("intercommunale", OrganisationKind.INTERCOMMUNALE),
        ("Overheidsdepartement", OrganisationKind.GOVERNMENT),
        ("andere", OrganisationKind.OTHER),
        ("employers_network", OrganisationKind.EMPLOYERS_NETWORK),
    ],
)
def test_kinds_are_read_from_dutch_labels_and_english_codes(
    coordinator, home_region, written, kind
):
    commit(
        coordinator, home_region, ORGS, csv_file([["naam", "kbo", "soort"], ["X", kbo(1), written]])
    )
    assert Organisation.objects.get(kbo=kbo(1)).kind == kind


def test_the_municipality_may_be_a_nis_code_or_follow_from_the_postcode(
    coordinator, home_region, home_municipality
):
    data = csv_file(
        [
            ["naam", "kbo", "soort", "straat", "huisnummer", "postcode", "gemeente"],
            ["A", kbo(1), "LDE", "Markt", "1", "8500", "34022"],
            ["B", kbo(2), "LDE", "Markt", "2", "8500", ""],
        ]
    )

    commit(coordinator, home_region, ORGS, data)

    sites = Organisation.objects.filter(region=home_region, kbo__in=[kbo(1), kbo(2)])
    assert sorted((o.sites.get().street, o.sites.get().municipality_id) for o in sites) == [
        ("Markt 1", home_municipality.pk),
        ("Markt 2", home_municipality.pk),
    ]


def test_recognitions_column_is_accepted_but_reported_as_not_imported(coordinator, home_region):
    data = csv_file([["naam", "kbo", "soort", "Erkenningen"], ["X", kbo(1), "LDE", "LDE;SINE"]])

    plan = preview(coordinator, home_region, ORGS, data)

    assert plan.errors == []
    assert plan.headers == ["naam", "kbo", "soort"]
    assert len(plan.notices) == 1
    assert "Erkenningen" in plan.notices[0]


# --- Commit -------------------------------------------------------------------------------------


def test_commit_creates_organisations_and_writes_one_audit_entry(coordinator, home_region):
    data = csv_file([ORG_HEADER, org_row(1), org_row(2)])

    result = commit(coordinator, home_region, ORGS, data)

    assert (result.new, result.updated, result.unchanged) == (2, 0, 0)
    assert Organisation.objects.filter(region=home_region, kbo__in=[kbo(1), kbo(2)]).count() == 2
    entry = AuditEntry.objects.get(action="registry.import")
    assert entry.actor == coordinator
    assert entry.object_id == str(home_region.pk)
    assert entry.details == {
        "kind": "organisations",
        "file": "test.csv",
        "rows": 2,
        "new": 2,
        "updated": 0,
        "unchanged": 0,
    }


def test_reimport_updates_by_enterprise_number_instead_of_duplicating(coordinator, home_region):
    commit(coordinator, home_region, ORGS, csv_file([ORG_HEADER, org_row(1), org_row(2)]))
    first = Organisation.objects.get(region=home_region, kbo=kbo(1))

    changed = csv_file(
        [
            ORG_HEADER,
            org_row(1, kbo=kbo(1), telefoon="056 99 99 99", straat="Nieuwstraat 9"),
            org_row(2),
        ]
    )
    plan = preview(coordinator, home_region, ORGS, changed)
    assert [row.action for row in plan.rows] == [RowAction.UPDATE, RowAction.UNCHANGED]
    assert plan.rows[0].changes == ["phone", "address"]

    result = commit(coordinator, home_region, ORGS, changed)

    assert (result.new, result.updated, result.unchanged) == (0, 1, 1)
    assert Organisation.objects.filter(region=home_region).count() == 2
    first.refresh_from_db()
    assert first.phone == "056 99 99 99"
    assert first.version == 2
    assert first.history.count() == 2
    assert [s.street for s in first.sites.all()] == ["Nieuwstraat 9"]


def test_empty_cells_leave_stored_values_alone(coordinator, home_region):
    organisation = OrganisationFactory.create(
        region=home_region, kbo=kbo(1), email="keep@example.org", phone="056 00 00 00"
    )

    result = commit(
        coordinator,
        home_region,
        ORGS,
        csv_file(
            [
                ["naam", "kbo", "soort", "e-mail", "telefoon"],
                [organisation.name, kbo(1), "", "", ""],
            ]
        ),
    )

    assert result.unchanged == 1
    organisation.refresh_from_db()
    assert (organisation.email, organisation.phone, organisation.version) == (
        "keep@example.org",
        "056 00 00 00",
        1,
    )


def test_an_organisation_of_another_region_is_not_touched(coordinator, home_region, other_region):
    foreign = OrganisationFactory.create(region=other_region, kbo=kbo(1), name="Elders")

    result = commit(coordinator, home_region, ORGS, csv_file([ORG_HEADER, org_row(1, "Hier")]))

    assert result.new == 1
    foreign.refresh_from_db()
    assert (foreign.name, foreign.version) == ("Elders", 1)
    assert Organisation.objects.get(region=home_region, kbo=kbo(1)).name == "Hier"


def test_one_bad_last_row_imports_nothing(coordinator, home_region, home_municipality):
    existing = OrganisationFactory.create(region=home_region, kbo=kbo(1), name="Oud")
    SiteFactory.create(organisation=existing, municipality=home_municipality, street="Oud 1")
    before = (Organisation.objects.count(), Person.objects.count(), AuditEntry.objects.count())
    data = csv_file(
        [
            ORG_HEADER,
            org_row(1, "Nieuw"),
            org_row(2),
            org_row(3),
            org_row(4, kbo="0403.170.702"),
        ]
    )

    with pytest.raises(ImportRejected) as rejected:
        commit(coordinator, home_region, ORGS, data)

    assert rejected.value.plan.error_rows == [5]
    assert "5" in rejected.value.messages[0]
    assert (
        Organisation.objects.count(),
        Person.objects.count(),
        AuditEntry.objects.count(),
    ) == before
    existing.refresh_from_db()
    assert (existing.name, existing.version) == ("Oud", 1)
    assert [s.street for s in existing.sites.all()] == ["Oud 1"]


def test_a_rule_broken_while_writing_rolls_everything_back(coordinator, home_region, monkeypatch):
    from regie.core.errors import DomainError
    from regie.registry import services

    real_create = services.organisation_create

    def create(**kwargs):
        if kwargs["name"] == "Organisatie 3":
            raise DomainError({"name": "refused"})
        return real_create(**kwargs)

    monkeypatch.setattr(services, "organisation_create", create)

    with pytest.raises(ImportRejected) as rejected:
        commit(
            coordinator,
            home_region,
            ORGS,
            csv_file([ORG_HEADER, org_row(1), org_row(2), org_row(3)]),
        )

    assert errors_of(rejected.value.plan) == [(4, "naam", "invalid")]
    assert not Organisation.objects.filter(kbo__in=[kbo(1), kbo(2)]).exists()


# --- People -------------------------------------------------------------------------------------


PEOPLE_HEADER = [
    "voornaam",
    "achternaam",
    "e-mail",
    "telefoon",
    "organisatie",
    "functie",
    "van",
    "tot",
]


@pytest.fixture
def employer(home_region):
    return OrganisationFactory.create(region=home_region, kbo=kbo(50), name="De Werkplaats vzw")


def person_row(n: int, **overrides: str) -> list[str]:
    values = {
        "voornaam": f"An{n}",
        "achternaam": "Peeters",
        "e-mail": f"an{n}@example.org",
        "telefoon": "0470 12 34 56",
        "organisatie": format_kbo(kbo(50)),
        "functie": "trajectbegeleider",
        "van": "01/09/2020",
        "tot": "",
    }
    values.update(overrides)
    return [values[column] for column in PEOPLE_HEADER]


def test_people_are_created_with_their_function(coordinator, home_region, employer):
    result = commit(coordinator, home_region, PEOPLE, csv_file([PEOPLE_HEADER, person_row(1)]))

    assert result.new == 1
    person = Person.objects.get(region=home_region, email="an1@example.org")
    affiliation = person.affiliations.get()
    assert (affiliation.organisation, affiliation.function, affiliation.start, affiliation.end) == (
        employer,
        Function.COUNSELLOR,
        datetime.date(2020, 9, 1),
        None,
    )


@pytest.mark.parametrize(
    "written",
    ["01/09/2020", "1/9/2020", "1-9-2020", "01-09-2020", "2020-09-01", "1.9.2020", "1/09/20"],
)
def test_dates_are_read_in_belgian_and_iso_forms(coordinator, home_region, employer, written):
    commit(coordinator, home_region, PEOPLE, csv_file([PEOPLE_HEADER, person_row(1, van=written)]))
    assert Affiliation.objects.get().start == datetime.date(2020, 9, 1)


def test_real_excel_dates_are_read(coordinator, home_region, employer):
    data = xlsx_file(
        [
            PEOPLE_HEADER,
            [
                "An",
                "Peeters",
                "an@example.org",
                None,
                kbo(50),
                "Jobcoach",
                datetime.datetime(2020, 9, 1),
                datetime.date(2021, 6, 30),
            ],
            ["Bo", "Claes", "bo@example.org", None, kbo(50), "toeleider", 43831, None],
        ]
    )

    commit(coordinator, home_region, PEOPLE, data)

    assert sorted(Affiliation.objects.values_list("function", "start", "end")) == [
        (Function.JOBCOACH, datetime.date(2020, 9, 1), datetime.date(2021, 6, 30)),
        (Function.REFERRER, datetime.date(2020, 1, 1), None),
    ]


@pytest.mark.parametrize(
    ("written", "function"),
    [
        ("Trajectbegeleider", Function.COUNSELLOR),
        ("toeleider", Function.REFERRER),
        ("Werkvloerbegeleider", Function.FLOOR_SUPERVISOR),
        ("werkplekarchitect", Function.WORKPLACE_ARCHITECT),
        ("jobcoach", Function.JOBCOACH),
        ("Directeur", Function.DIRECTOR),
        ("contactpersoon", Function.CONTACT),
        ("floor_supervisor", Function.FLOOR_SUPERVISOR),
        ("Counsellor (trajectbegeleider)", Function.COUNSELLOR),
    ],
)
def test_functions_are_read_from_dutch_labels_and_codes(
    coordinator, home_region, employer, written, function
):
    commit(
        coordinator, home_region, PEOPLE, csv_file([PEOPLE_HEADER, person_row(1, functie=written)])
    )
    assert Affiliation.objects.get().function == function


def test_bad_people_rows_are_reported(coordinator, home_region, employer, other_region):
    elsewhere = OrganisationFactory.create(region=other_region, kbo=kbo(60))
    data = csv_file(
        [
            PEOPLE_HEADER,
            person_row(1, organisatie=format_kbo(elsewhere.kbo)),
            person_row(2, van="01/09/2020", tot="31/08/2020"),
            person_row(3, van="31/02/2020"),
            person_row(4, functie="bakker"),
            person_row(5, organisatie=""),
            person_row(6, functie=""),
            person_row(7, voornaam=""),
            person_row(8, **{"e-mail": "geen-adres"}),
            person_row(9, organisatie="0403.170.702"),
        ]
    )

    plan = preview(coordinator, home_region, PEOPLE, data)

    assert errors_of(plan) == [
        (2, "organisatie", "not_found"),
        (3, "tot", "invalid"),
        (4, "van", "invalid_date"),
        (5, "functie", "invalid_choice"),
        (6, "organisatie", "required"),
        (7, "functie", "required"),
        (8, "voornaam", "required"),
        (9, "e-mail", "invalid"),
        (10, "organisatie", "kbo_checksum"),
    ]
    assert plan.errors[0].message == (
        f"No organisation with enterprise number {format_kbo(kbo(60))} in Welzijn13. "
        "Import or add the organisation first."
    )
    assert plan.errors[1].message == "The end date is before the start date."


def test_an_organisation_may_be_named_instead_of_numbered(coordinator, home_region, employer):
    plan = preview(
        coordinator,
        home_region,
        PEOPLE,
        csv_file(
            [
                PEOPLE_HEADER,
                person_row(1, organisatie="de werkplaats VZW"),
                person_row(2, organisatie="Nergens"),
            ]
        ),
    )
    assert errors_of(plan) == [(3, "organisatie", "not_found")]


def test_reimport_finds_people_by_email_and_updates_them(coordinator, home_region, employer):
    person = PersonFactory.create(
        region=home_region, first_name="An", last_name="Peters", email="An1@Example.org", phone=""
    )
    AffiliationFactory.create(
        person=person,
        organisation=employer,
        function=Function.COUNSELLOR,
        start=datetime.date(2019, 1, 1),
    )

    data = csv_file([PEOPLE_HEADER, person_row(1, voornaam="An", tot="31/12/2021")])
    plan = preview(coordinator, home_region, PEOPLE, data)
    assert plan.rows[0].action == RowAction.UPDATE
    assert plan.rows[0].changes == ["last name", "phone", "from", "until"]

    result = commit(coordinator, home_region, PEOPLE, data)

    assert result.updated == 1
    assert Person.objects.filter(region=home_region).count() == 1
    person.refresh_from_db()
    assert (person.last_name, person.phone, person.version) == ("Peeters", "0470 12 34 56", 2)
    affiliation = person.affiliations.get()
    assert (affiliation.start, affiliation.end) == (
        datetime.date(2020, 9, 1),
        datetime.date(2021, 12, 31),
    )

    again = preview(coordinator, home_region, PEOPLE, data)
    assert [row.action for row in again.rows] == [RowAction.UNCHANGED]


def test_a_known_person_gets_a_new_function(coordinator, home_region, employer):
    person = PersonFactory.create(
        region=home_region,
        first_name="An1",
        last_name="Peeters",
        email="an1@example.org",
        phone="0470 12 34 56",
    )

    plan = preview(coordinator, home_region, PEOPLE, csv_file([PEOPLE_HEADER, person_row(1)]))
    assert plan.rows[0].action == RowAction.UPDATE
    commit(coordinator, home_region, PEOPLE, csv_file([PEOPLE_HEADER, person_row(1)]))

    assert person.affiliations.get().function == Function.COUNSELLOR


def test_one_person_on_two_rows_gets_two_functions(
    coordinator, home_region, employer, other_region
):
    second = OrganisationFactory.create(region=home_region, kbo=kbo(51))
    data = csv_file(
        [
            PEOPLE_HEADER,
            person_row(1),
            person_row(1, organisatie=kbo(51), functie="jobcoach"),
            person_row(1, organisatie=kbo(51), functie="jobcoach"),
            person_row(1, voornaam="Anna", functie="contactpersoon"),
        ]
    )

    plan = preview(coordinator, home_region, PEOPLE, data)
    assert errors_of(plan) == [(4, "functie", "duplicate"), (5, "e-mail", "duplicate")]

    commit(coordinator, home_region, PEOPLE, csv_file([PEOPLE_HEADER, *csv_rows(data)[1:3]]))

    person = Person.objects.get(region=home_region)
    assert sorted(person.affiliations.values_list("organisation_id", "function")) == sorted(
        [(employer.pk, Function.COUNSELLOR), (second.pk, Function.JOBCOACH)]
    )


def csv_rows(data: bytes) -> list[list[str]]:
    return [line.split(";") for line in data.decode("cp1252").splitlines()]


def test_people_without_organisation_are_allowed(coordinator, home_region):
    data = csv_file([["Voornaam", "Familienaam", "E-mail"], ["Els", "Claes", "els@example.org"]])

    commit(coordinator, home_region, PEOPLE, data)

    assert Person.objects.get(region=home_region).affiliations.count() == 0


def test_a_bad_last_person_row_imports_nobody(coordinator, home_region, employer):
    data = csv_file([PEOPLE_HEADER, person_row(1), person_row(2), person_row(3, van="morgen")])

    with pytest.raises(ImportRejected):
        commit(coordinator, home_region, PEOPLE, data)

    assert not Person.objects.exists()
    assert not Affiliation.objects.exists()


# --- The example files in docs/examples ----------------------------------------------------------


EXAMPLES = Path(__file__).resolve().parents[3] / "docs" / "examples"


@pytest.fixture
def demo_places(home_region, home_municipality):
    for nis, name, postcode in [
        ("34013", "Harelbeke", "8530"),
        ("34027", "Menen", "8930"),
        ("34040", "Waregem", "8790"),
        ("34041", "Wevelgem", "8560"),
        ("34042", "Zwevegem", "8550"),
    ]:
        municipality = MunicipalityFactory.create(nis_code=nis, name=name, postcode=None)
        PostcodeFactory.create(municipality=municipality, code=postcode)
        RegionMembershipFactory.create(region=home_region, municipality=municipality)


def test_the_example_files_import_cleanly_and_twice_change_nothing(
    coordinator, home_region, demo_places
):
    organisations = (EXAMPLES / "organisaties.csv").read_bytes()
    people = (EXAMPLES / "personen.xlsx").read_bytes()
    assert b";" in organisations
    with pytest.raises(UnicodeDecodeError):
        organisations.decode("utf-8")  # written as Belgian Excel does: Windows-1252

    assert commit(coordinator, home_region, ORGS, organisations).new == 6
    assert commit(coordinator, home_region, PEOPLE, people).new == 7
    assert (
        Organisation.objects.get(name="Fietsatelier Wevelgem – Leie").sites.get().postcode == "8560"
    )
    assert Person.objects.filter(region=home_region).count() == 6
    assert Affiliation.objects.count() == 7

    assert commit(coordinator, home_region, ORGS, organisations).unchanged == 6
    assert commit(coordinator, home_region, PEOPLE, people).unchanged == 7


def test_purge_command_removes_abandoned_uploads(settings, tmp_path):
    import os
    import time

    from django.core.management import call_command

    settings.MEDIA_ROOT = tmp_path
    old = tmp_path / "imports" / "abandoned"
    old.mkdir(parents=True)
    (old / "file.csv").write_text("naam")
    long_ago = time.time() - 3 * 24 * 3600
    os.utime(old, (long_ago, long_ago))
    fresh = tmp_path / "imports" / "fresh"
    fresh.mkdir()
    output = io.StringIO()
    call_command("purge_imports", stdout=output)
    assert "1 " in output.getvalue()
    assert not old.exists()
    assert fresh.exists()
