"""The demo region: Welzijn13 (``w13``) at the end of 2020, the year of the source report.

Real and public: the 14 member municipalities (NIS codes, postcodes, population 2020 from
DOMAIN.md), Welzijn13 (address and phone as printed on the report) and the partners the report
names. Made up: every social-economy organisation, enterprise number, address, phone number and
person, and the demo users. No enterprise number, address or e-mail of a real organisation is
invented: those fields stay blank.

``demo_region_load()`` is idempotent: it updates rows in place by their natural keys (NIS code,
region code, KBO number within the region or the name when there is none, a person's e-mail,
username) and writes through the registry services, so every row has its history.
"""

import zlib
from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from axes.utils import reset as axes_reset
from django.contrib.auth import get_user_model
from django.db import models, transaction
from django.utils import timezone
from django.utils.text import slugify

from regie.core.history import set_history_user
from regie.core.permissions import Role
from regie.core.versioning import save_new
from regie.registry.models import (
    Affiliation,
    CapacityUnit,
    Measure,
    Municipality,
    Organisation,
    OrganisationKind,
    Person,
    Population,
    Postcode,
    Recognition,
    RecognitionStatus,
    Region,
    RegionMembership,
    Site,
)
from regie.registry.models import Function as F
from regie.registry.services import (
    affiliation_create,
    affiliation_update,
    organisation_create,
    organisation_update,
    person_create,
    person_update,
    recognition_create,
    recognition_update,
    site_create,
    site_update,
)
from regie.registry.validators import normalise_kbo

if TYPE_CHECKING:
    # django-stubs' name for the model AUTH_USER_MODEL names (accounts' User, resolved by the
    # mypy plugin): the demo logins are users, yet the registry does not import accounts.
    from django.contrib.auth.models import _User

REGION_CODE = "w13"
REGION_NAME = "Welzijn13"
POPULATION_YEAR = 2020

# The one password of every demo login, printed by `load_demo` and listed in README.
DEMO_PASSWORD = "regie-demo-2020"


# --- Municipalities --------------------------------------------------------------------------


@dataclass(frozen=True)
class MunicipalityRow:
    nis_code: str
    name: str
    postcodes: tuple[tuple[str, str], ...]  # (postcode, main place), the first is the main one
    population: int  # inhabitants in POPULATION_YEAR
    latitude: str  # the town centre, approximate
    longitude: str
    is_centre_city: bool = False
    member_from: date | None = None  # None: a founder; the founding date is not in our sources


MUNICIPALITIES: tuple[MunicipalityRow, ...] = (
    MunicipalityRow(
        "34002",
        "Anzegem",
        (("8570", "Anzegem"), ("8572", "Kaster"), ("8573", "Tiegem")),
        14781,
        "50.8353",
        "3.4735",
    ),
    MunicipalityRow(
        "34003",
        "Avelgem",
        (("8580", "Avelgem"), ("8581", "Kerkhove"), ("8582", "Outrijve"), ("8583", "Bossuit")),
        10206,
        "50.7758",
        "3.4447",
    ),
    MunicipalityRow("34009", "Deerlijk", (("8540", "Deerlijk"),), 12078, "50.8536", "3.3544"),
    MunicipalityRow(
        "34013",
        "Harelbeke",
        (("8530", "Harelbeke"), ("8531", "Bavikhove")),
        28502,
        "50.8556",
        "3.3097",
    ),
    MunicipalityRow(
        "34022",
        "Kortrijk",
        (("8500", "Kortrijk"), ("8501", "Heule"), ("8510", "Marke"), ("8511", "Aalbeke")),
        77109,
        "50.8280",
        "3.2650",
        is_centre_city=True,
    ),
    MunicipalityRow("34023", "Kuurne", (("8520", "Kuurne"),), 13676, "50.8515", "3.2860"),
    MunicipalityRow("34025", "Lendelede", (("8860", "Lendelede"),), 5787, "50.8858", "3.2375"),
    MunicipalityRow("34027", "Menen", (("8930", "Menen"),), 33540, "50.7969", "3.1217"),
    MunicipalityRow(
        "34043", "Spiere-Helkijn", (("8587", "Spiere-Helkijn"),), 2071, "50.7236", "3.3597"
    ),
    MunicipalityRow(
        "34040",
        "Waregem",
        (
            ("8790", "Waregem"),
            ("8791", "Beveren-Leie"),
            ("8792", "Desselgem"),
            ("8793", "Sint-Eloois-Vijve"),
        ),
        38350,
        "50.8893",
        "3.4267",
    ),
    MunicipalityRow("34041", "Wevelgem", (("8560", "Wevelgem"),), 31579, "50.8111", "3.1828"),
    # DOMAIN.md lists 8550 only; the former municipalities of Zwevegem have their own postcodes.
    MunicipalityRow(
        "34042",
        "Zwevegem",
        (
            ("8550", "Zwevegem"),
            ("8551", "Heestert"),
            ("8552", "Moen"),
            ("8553", "Otegem"),
            ("8554", "Sint-Denijs"),
        ),
        24814,
        "50.8125",
        "3.3378",
    ),
    # Population approximate: the source gives "about 19,000" for Wervik.
    MunicipalityRow("33029", "Wervik", (("8940", "Wervik"),), 19000, "50.7799", "3.0378"),
    MunicipalityRow(
        "37018",
        "Wielsbeke",
        (("8710", "Wielsbeke"),),
        9814,
        "50.9003",
        "3.3713",
        member_from=date(2017, 1, 1),
    ),
)


# --- Organisations ---------------------------------------------------------------------------


@dataclass(frozen=True)
class SiteRow:
    street: str
    postcode: str
    place: str = ""  # blank: the postcode's main place
    name: str = ""
    is_main: bool = True
    latitude: str = ""  # blank: a fictional spot near the municipality's centre
    longitude: str = ""


@dataclass(frozen=True)
class RecognitionRow:
    measure: str
    valid_from: date
    capacity: str
    unit: CapacityUnit
    status: RecognitionStatus = RecognitionStatus.ACTIVE
    valid_until: date | None = None


@dataclass(frozen=True)
class OrganisationRow:
    key: str  # a short slug: referenced by people and users below, and their e-mail domain
    name: str
    kind: OrganisationKind
    kbo: str = ""
    email: str = ""
    phone: str = ""
    website: str = ""
    notes: str = ""
    sites: tuple[SiteRow, ...] = ()
    recognitions: tuple[RecognitionRow, ...] = ()


K = OrganisationKind
S = RecognitionStatus
FTE = CapacityUnit.FTE
PLACES = CapacityUnit.PLACES

# Welzijn13 is a welzijnsvereniging: a public association of the member municipalities' OCMWs
# under the Decree on Local Government, so it is a local government, not an "other".
CARRIER = OrganisationRow(
    "welzijn13",
    "Welzijn13",
    K.LOCAL_GOVERNMENT,
    phone="+32 56 24 16 20",
    website="https://www.welzijn13.be",
    notes="Welzijnsvereniging van de Zuid-West-Vlaamse gemeenten; draagt de regierol lokale "
    "sociale economie.",
    # Coordinates approximate: the business park south-east of the centre of Kortrijk.
    sites=(SiteRow("President Kennedypark 10", "8500", latitude="50.8120", longitude="3.2960"),),
)

# The partners named in the 2020 report. Real organisations: no enterprise number, address or
# e-mail is invented for them; a coordinator completes these from the KBO.
PARTNERS: tuple[OrganisationRow, ...] = (
    OrganisationRow(
        "vdab-kortrijk",
        "VDAB Kortrijk",
        K.VDAB,
        website="https://www.vdab.be",
        notes="Regionale dienst Kortrijk; toeleider naar de maatregelen van de sociale economie.",
    ),
    OrganisationRow(
        "gtb-kortrijk",
        "GTB Kortrijk",
        K.VDAB,
        website="https://www.gtb.be",
        notes="Gespecialiseerde trajectbepaling en -begeleiding voor mensen met een "
        "arbeidsbeperking.",
    ),
    OrganisationRow(
        "dwse",
        "Departement Werk en Sociale Economie",
        K.GOVERNMENT,
        notes="Subsidieert de regierol; keurt de overheveling van werkingsmiddelen goed.",
    ),
    OrganisationRow("voka-wvl", "Voka West-Vlaanderen", K.EMPLOYERS_NETWORK),
    OrganisationRow("howest", "Howest", K.SCHOOL, website="https://www.howest.be"),
    OrganisationRow("designregio", "Designregio Kortrijk", K.OTHER),
    OrganisationRow("leiedal", "Intercommunale Leiedal", K.INTERCOMMUNALE),
    OrganisationRow(
        "kabinet-werk",
        "Kabinet van de Vlaamse minister van Werk",
        K.GOVERNMENT,
        notes="In 2020 het kabinet van minister Hilde Crevits; gesprek over individueel "
        "maatwerk in september 2020.",
    ),
    *(
        OrganisationRow(f"ocmw-{slugify(row.name)}", f"OCMW {row.name}", K.OCMW)
        for row in MUNICIPALITIES
    ),
)


def _fictional(
    key: str,
    name: str,
    kind: OrganisationKind,
    kbo: str,
    phone: str,
    sites: tuple[SiteRow, ...],
    recognitions: tuple[RecognitionRow, ...],
) -> OrganisationRow:
    return OrganisationRow(
        key,
        name,
        kind,
        kbo=kbo,
        email=f"info@{key}.example",
        phone=phone,
        website=f"https://www.{key}.example",
        sites=sites,
        recognitions=recognitions,
    )


def _r(
    measure: str,
    valid_from: date,
    capacity: str,
    status: RecognitionStatus = S.ACTIVE,
    valid_until: date | None = None,
) -> RecognitionRow:
    unit = PLACES if measure in {"AZ", "AMA", "WW"} else FTE
    return RecognitionRow(measure, valid_from, capacity, unit, status, valid_until)


# Fictional social-economy organisations. Names, numbers, addresses and phone numbers are made
# up; the enterprise numbers carry valid check digits so that they pass validation.
SE_ORGANISATIONS: tuple[OrganisationRow, ...] = (
    # Maatwerkbedrijven (collectief maatwerk since 2019, formerly sheltered and social
    # workshops): many SINE workers and often a work-care floor.
    _fictional(
        "vlasbloem",
        "Maatwerkbedrijf Blauwe Vlasbloem",
        K.SE_COMPANY,
        "0617.272.069",
        "056 99 01 10",
        (
            SiteRow("Vlasbloemstraat 12", "8500"),
            SiteRow("Ambachtenlaan 4", "8520", name="Groenafdeling", is_main=False),
        ),
        (
            _r("CMW", date(2019, 1, 1), "310"),
            _r("SINE", date(2009, 1, 1), "24"),
            _r("AZ", date(2011, 9, 1), "20"),
        ),
    ),
    _fictional(
        "kantelaar",
        "Werkhuis De Kantelaar",
        K.SE_COMPANY,
        "0643.905.202",
        "056 99 01 20",
        (
            SiteRow("Spoorweglaan 88", "8530"),
            SiteRow("Kanaalzate 3", "8790", name="Verpakkingsatelier", is_main=False),
        ),
        (_r("CMW", date(2019, 1, 1), "185"), _r("SINE", date(2012, 4, 1), "12")),
    ),
    _fictional(
        "reigersnest",
        "Reigersnest Maatwerk",
        K.SE_COMPANY,
        "0555.796.736",
        "056 99 01 30",
        (
            SiteRow("Leiekaai 140", "8930"),
            SiteRow("Kruisekestraat 21", "8940", name="Atelier Wervik", is_main=False),
        ),
        (
            _r("CMW", date(2019, 1, 1), "240"),
            _r("SINE", date(2008, 7, 1), "30"),
            _r("AZ", date(2010, 1, 1), "15"),
        ),
    ),
    _fictional(
        "zilverspoor",
        "Zilverspoor Maatwerk",
        K.SE_COMPANY,
        "0593.406.507",
        "056 99 01 40",
        (SiteRow("Zuiderlaan 7", "8790"),),
        (_r("CMW", date(2019, 1, 1), "150"),),
    ),
    _fictional(
        "kolibriehof",
        "Kolibriehof Maatwerk",
        K.SE_COMPANY,
        "0523.446.642",
        "056 99 01 50",
        (SiteRow("Menenstraat 201", "8560"),),
        (_r("CMW", date(2019, 1, 1), "95"), _r("SINE", date(2014, 1, 1), "8")),
    ),
    _fictional(
        "pimpernel",
        "Groenatelier Pimpernel",
        K.SE_COMPANY,
        "0588.880.367",
        "056 99 01 60",
        (SiteRow("Bossuitstraat 15", "8550"),),
        (_r("CMW", date(2019, 1, 1), "60"),),
    ),
    _fictional(
        "tweestroom",
        "Drukkerij en Verpakking Tweestroom",
        K.SE_COMPANY,
        "0557.180.866",
        "056 99 01 70",
        (SiteRow("Ieperstraat 55", "8940"),),
        (_r("CMW", date(2019, 1, 1), "120"),),
    ),
    _fictional(
        "klaprooshof",
        "Maatwerk Klaprooshof",
        K.SE_COMPANY,
        "0509.230.697",
        "056 99 01 80",
        (SiteRow("Scheldelaan 9", "8580"),),
        (_r("CMW", date(2019, 1, 1), "45"), _r("AZ", date(2015, 1, 1), "12")),
    ),
    # Regular companies with a maatwerkafdeling (at least 5 FTE).
    _fictional(
        "kwartel-logistics",
        "Kwartel Logistics",
        K.OTHER,
        "0459.413.873",
        "056 99 02 10",
        (SiteRow("Ringlaan 30", "8520"),),
        (_r("MWA", date(2019, 7, 1), "8"),),
    ),
    _fictional(
        "walnootlaan",
        "Meubelmakerij Walnootlaan",
        K.OTHER,
        "0845.699.151",
        "056 99 02 20",
        (SiteRow("Kortrijkstraat 120", "8860"),),
        (_r("MWA", date(2019, 10, 1), "6"),),
    ),
    _fictional(
        "hazelaarshof",
        "Tuincentrum Hazelaarshof",
        K.OTHER,
        "0579.438.606",
        "056 99 02 30",
        (SiteRow("Waregemstraat 77", "8540"),),
        (_r("MWA", date(2019, 4, 1), "5.5", S.ENDED, date(2020, 11, 30)),),
    ),
    # Lokale diensteneconomie: neighbourhood services commissioned by the local governments.
    _fictional(
        "klavertje",
        "Buurtwinkel Het Klavertje",
        K.LDE,
        "0647.176.080",
        "056 99 03 10",
        (SiteRow("Overleiestraat 18", "8500"),),
        (_r("LDE", date(2015, 4, 1), "14"),),
    ),
    _fictional(
        "perzikbloesem",
        "Strijkatelier Perzikbloesem",
        K.LDE,
        "0425.143.971",
        "056 99 03 20",
        (SiteRow("Rijselstraat 64", "8930"),),
        (_r("LDE", date(2016, 1, 1), "9"),),
    ),
    _fictional(
        "spaakwiel",
        "Fietsherstel Spaakwiel",
        K.LDE,
        "0762.035.859",
        "056 99 03 30",
        (SiteRow("Stationsplein 2", "8500"),),
        (_r("LDE", date(2017, 1, 1), "6"),),
    ),
    _fictional(
        "hamerslag",
        "Klusjesdienst Hamerslag",
        K.LDE,
        "0505.945.367",
        "056 99 03 40",
        (SiteRow("Gentsesteenweg 41", "8530"),),
        (_r("LDE", date(2015, 4, 1), "11"),),
    ),
    _fictional(
        "lepelaar",
        "Buurtrestaurant De Lepelaar",
        K.LDE,
        "0412.106.775",
        "056 99 03 50",
        (SiteRow("Markt 23", "8790"),),
        (_r("LDE", date(2015, 4, 1), "8"), _r("SINE", date(2013, 1, 1), "3")),
    ),
    _fictional(
        "sponsvogel",
        "Poetsdienst Sponsvogel",
        K.LDE,
        "0631.388.737",
        "056 99 03 60",
        (SiteRow("Lauwestraat 5", "8560"),),
        (_r("LDE", date(2018, 1, 1), "12"),),
    ),
    _fictional(
        "speelmolen",
        "Kinderopvang Speelmolen",
        K.LDE,
        "0523.069.530",
        "056 99 03 70",
        (SiteRow("Otegemstraat 110", "8550"),),
        (_r("LDE", date(2016, 7, 1), "7", S.PHASING_OUT, date(2021, 6, 30)),),
    ),
    _fictional(
        "vlierbes",
        "Groendienst Vlierbes",
        K.LDE,
        "0471.261.830",
        "056 99 03 80",
        (SiteRow("Vichtesteenweg 12", "8570"),),
        (_r("LDE", date(2015, 4, 1), "5"),),
    ),
    _fictional(
        "zeepbel",
        "Wasserette Zeepbel",
        K.LDE,
        "0620.159.305",
        "056 99 03 90",
        (SiteRow("Steenakker 4", "8940"),),
        (_r("LDE", date(2019, 1, 1), "4"),),
    ),
    _fictional(
        "tandem",
        "Mobiliteitspunt Tandem",
        K.LDE,
        "0778.381.448",
        "056 99 04 10",
        (SiteRow("Brugsesteenweg 300", "8520"),),
        (_r("LDE", date(2017, 4, 1), "5", S.ENDED, date(2020, 6, 30)),),
    ),
    _fictional(
        "wilgentak",
        "Buurtwerk De Wilgentak",
        K.LDE,
        "0766.385.122",
        "056 99 04 20",
        (SiteRow("Oude Leielaan 8", "8710"),),
        (_r("LDE", date(2018, 4, 1), "6"),),
    ),
    _fictional(
        "muisklik",
        "Digitaal Buurtatelier Muisklik",
        K.LDE,
        "0517.027.024",
        "056 99 04 30",
        (
            SiteRow("Sint-Janslaan 27", "8500"),
            SiteRow("Heulsekasteelstraat 6", "8501", place="Heule", is_main=False),
        ),
        (_r("LDE", date(2019, 4, 1), "4"),),
    ),
    # Work-care initiatives (arbeidszorg): unpaid, the client keeps their benefit.
    _fictional(
        "zonnewijzer",
        "Arbeidszorg De Zonnewijzer",
        K.WORK_CARE,
        "0615.342.264",
        "056 99 05 10",
        (
            SiteRow("Pottelberg 19", "8500"),
            SiteRow("Marktplein 3", "8510", name="Dagatelier Marke", is_main=False),
        ),
        (_r("AZ", date(2008, 1, 1), "35"),),
    ),
    _fictional(
        "lindeblad",
        "Zorgboerderij Het Lindeblad",
        K.WORK_CARE,
        "0698.413.955",
        "056 99 05 20",
        (SiteRow("Kasterstraat 50", "8572"),),
        (_r("AZ", date(2012, 9, 1), "18"),),
    ),
    _fictional(
        "kleurrijk-spoor",
        "Atelier Kleurrijk Spoor",
        K.WORK_CARE,
        "0596.316.705",
        "056 99 05 30",
        (SiteRow("Desselgemknok 14", "8792"),),
        (_r("AZ", date(2010, 1, 1), "22"),),
    ),
    _fictional(
        "mosterdzaadjes",
        "Werkplaats De Mosterdzaadjes",
        K.WORK_CARE,
        "0808.345.243",
        "056 99 05 40",
        (SiteRow("Ieperstraat 212", "8930"),),
        (_r("AZ", date(2014, 1, 1), "25"),),
    ),
    _fictional(
        "kraanvogel",
        "Dagwerking Kraanvogel",
        K.WORK_CARE,
        "0861.124.032",
        "056 99 05 50",
        (SiteRow("Bavikhoofsestraat 9", "8531"),),
        (_r("AZ", date(2016, 1, 1), "16"),),
    ),
    _fictional(
        "knoest",
        "Houtatelier Knoest",
        K.WORK_CARE,
        "0873.233.788",
        "056 99 05 60",
        (SiteRow("Vlaanderenstraat 31", "8540"),),
        (_r("AZ", date(2011, 3, 1), "12"),),
    ),
    _fictional(
        "pastinaak",
        "Kringtuin De Pastinaak",
        K.WORK_CARE,
        "0760.355.878",
        "056 99 05 70",
        (SiteRow("Scheldeweg 2", "8587"),),
        (_r("AZ", date(2017, 5, 1), "10"),),
    ),
    _fictional(
        "vingerhoed",
        "Naaiatelier Vingerhoed",
        K.WORK_CARE,
        "0705.515.345",
        "056 99 05 80",
        (SiteRow("Kerkplein 6", "8560"),),
        (_r("AZ", date(2013, 1, 1), "14", S.PHASING_OUT, date(2021, 3, 31)),),
    ),
    # SINE employers: activated benefits for the hardest to place.
    _fictional(
        "schuimspaan",
        "Sociaal Restaurant Schuimspaan",
        K.SE_COMPANY,
        "0760.561.063",
        "056 99 06 10",
        (SiteRow("Groeningestraat 37", "8500"),),
        (_r("SINE", date(2012, 3, 1), "6"),),
    ),
    _fictional(
        "soldeerbout",
        "Herstelatelier Soldeerbout",
        K.SE_COMPANY,
        "0663.202.163",
        "056 99 06 20",
        (SiteRow("Kuurnsestraat 70", "8520"),),
        (_r("SINE", date(2016, 9, 1), "3"),),
    ),
    _fictional(
        "kettingblad",
        "Fietspunt Kettingblad",
        K.SE_COMPANY,
        "0498.448.752",
        "056 99 06 30",
        (SiteRow("Stationsstraat 99", "8790"),),
        (_r("SINE", date(2014, 5, 1), "4"),),
    ),
    _fictional(
        "glansrijk",
        "Schoonmaakbedrijf Glansrijk",
        K.SE_COMPANY,
        "0690.228.442",
        "056 99 06 40",
        (SiteRow("Eilandstraat 5", "8530"),),
        (_r("SINE", date(2010, 1, 1), "9", S.ENDED, date(2020, 3, 31)),),
    ),
    _fictional(
        "tafelgoed",
        "Leerrestaurant Tafelgoed",
        K.SE_COMPANY,
        "0898.849.609",
        "056 99 06 50",
        (SiteRow("Wahisstraat 16", "8930"),),
        (_r("SINE", date(2015, 2, 1), "5"),),
    ),
    _fictional(
        "kruiwagen",
        "Verhuisdienst Kruiwagen",
        K.SE_COMPANY,
        "0620.527.905",
        "056 99 06 60",
        (SiteRow("Harelbekestraat 44", "8550"),),
        (_r("SINE", date(2017, 1, 1), "4", S.PHASING_OUT, date(2021, 12, 31)),),
    ),
    # Wijk-werken organisers (since 2018).
    _fictional(
        "wijkwerk-leieschelde",
        "Wijk-werkpunt Tussen Leie en Schelde",
        K.OTHER,
        "0776.126.296",
        "056 99 07 10",
        (
            SiteRow("Marktstraat 29", "8530"),
            SiteRow("Budastraat 11", "8500", name="Zitdag Kortrijk", is_main=False),
        ),
        (_r("WW", date(2018, 1, 1), "160"),),
    ),
    _fictional(
        "wijkwerk-grensland",
        "Wijk-werkpunt Grensland",
        K.OTHER,
        "0864.918.712",
        "056 99 07 20",
        (SiteRow("Grote Markt 40", "8930"),),
        (_r("WW", date(2018, 1, 1), "90"),),
    ),
    _fictional(
        "wijkwerk-mandelhoek",
        "Wijk-werkpunt Mandelhoek",
        K.OTHER,
        "0513.123.565",
        "056 99 07 30",
        (SiteRow("Sint-Baafsstraat 3", "8710"),),
        (_r("WW", date(2018, 7, 1), "40"),),
    ),
)

ORGANISATIONS: tuple[OrganisationRow, ...] = (CARRIER, *PARTNERS, *SE_ORGANISATIONS)


# --- People ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class AffiliationRow:
    organisation: str  # OrganisationRow.key
    function: F
    start: date | None
    end: date | None = None


@dataclass(frozen=True)
class PersonRow:
    first_name: str
    last_name: str
    affiliations: tuple[AffiliationRow, ...]

    @property
    def email(self) -> str:
        """Fictional, at the domain of the first organisation they worked for."""
        local = f"{slugify(self.first_name)}.{slugify(self.last_name)}".replace("-", "")
        return f"{local}@{self.affiliations[0].organisation}.example"


def _p(first_name: str, last_name: str, *affiliations: AffiliationRow) -> PersonRow:
    return PersonRow(first_name, last_name, affiliations)


_a = AffiliationRow

# Fictional people (names combined from common Flemish first and last names), with the
# organisations they work for. Three changed jobs at the end of 2020.
PEOPLE: tuple[PersonRow, ...] = (
    # The people behind the demo logins.
    _p("Hanne", "Verschaeve", _a("welzijn13", F.CONTACT, date(2016, 9, 1))),
    _p("Bram", "Vanlancker", _a("vlasbloem", F.CONTACT, date(2013, 5, 1))),
    _p("Nele", "Vanbelle", _a("zonnewijzer", F.COUNSELLOR, date(2017, 2, 1))),
    _p("Sarah", "Dekeyser", _a("welzijn13", F.CONTACT, date(2017, 9, 1))),
    _p("Seppe", "Vanryckeghem", _a("vdab-kortrijk", F.REFERRER, date(2015, 7, 1))),
    _p("Luc", "Decock", _a("vdab-kortrijk", F.REFERRER, date(2016, 2, 1))),
    _p("Leen", "Dumortier", _a("vdab-kortrijk", F.REFERRER, date(2015, 3, 1))),
    _p(
        "Dieter",
        "Verstraete",
        _a("vdab-kortrijk", F.REFERRER, date(2018, 3, 1), date(2020, 11, 30)),
        _a("zonnewijzer", F.COUNSELLOR, date(2020, 12, 1)),
    ),
    _p("Inge", "Kowalski", _a("vdab-kortrijk", F.WORKPLACE_ARCHITECT, date(2019, 10, 1))),
    _p("Oleksandr", "El Amrani", _a("gtb-kortrijk", F.REFERRER, date(2017, 9, 1))),
    _p("Lien", "Wyffels", _a("gtb-kortrijk", F.REFERRER, date(2008, 7, 1))),
    _p("Delphine", "Decock", _a("gtb-kortrijk", F.REFERRER, date(2011, 1, 1))),
    _p("Ahmad", "Debaene", _a("dwse", F.CONTACT, date(2017, 4, 1))),
    _p("Ward", "Mortier", _a("voka-wvl", F.CONTACT, date(2008, 10, 1))),
    _p("Gert", "Nowak", _a("howest", F.CONTACT, date(2015, 3, 1))),
    _p("Nathalie", "Ryckaert", _a("designregio", F.CONTACT, date(2018, 10, 1))),
    _p("Hilde", "Demir", _a("leiedal", F.CONTACT, date(2016, 1, 1))),
    _p("Charlotte", "Ryckaert", _a("kabinet-werk", F.CONTACT, date(2017, 10, 1))),
    _p("Arne", "Vanwynsberghe", _a("ocmw-anzegem", F.REFERRER, date(2017, 4, 1))),
    _p("Hannes", "Depoorter", _a("ocmw-avelgem", F.REFERRER, date(2019, 6, 1))),
    _p("Dieter", "Wyffels", _a("ocmw-deerlijk", F.REFERRER, date(2010, 11, 1))),
    _p("Thomas", "Degryse", _a("ocmw-harelbeke", F.REFERRER, date(2018, 1, 1))),
    _p("Nina", "Aydin", _a("ocmw-kortrijk", F.REFERRER, date(2017, 3, 1))),
    _p("Jonas", "Nowak", _a("ocmw-kuurne", F.REFERRER, date(2016, 10, 1))),
    _p("Wout", "Claerhout", _a("ocmw-lendelede", F.REFERRER, date(2009, 2, 1))),
    _p("Nathalie", "Verstraete", _a("ocmw-menen", F.REFERRER, date(2011, 9, 1))),
    _p("Hamza", "Verhelst", _a("ocmw-spiere-helkijn", F.REFERRER, date(2014, 10, 1))),
    _p("Yasmina", "Maertens", _a("ocmw-waregem", F.REFERRER, date(2015, 5, 1))),
    _p("Joke", "Wyffels", _a("ocmw-wevelgem", F.REFERRER, date(2009, 3, 1))),
    _p("Brecht", "Haddad", _a("ocmw-zwevegem", F.REFERRER, date(2008, 9, 1))),
    _p("Mathilde", "Dejonghe", _a("ocmw-wervik", F.REFERRER, date(2014, 6, 1))),
    _p("Olivier", "Devos", _a("ocmw-wielsbeke", F.REFERRER, date(2018, 11, 1))),
    _p("Brecht", "Lambrecht", _a("ocmw-kortrijk", F.REFERRER, date(2013, 1, 1))),
    _p("Hamza", "Debruyne", _a("ocmw-kortrijk", F.REFERRER, date(2016, 5, 1), date(2019, 11, 30))),
    _p("Ine", "Verbeke", _a("vlasbloem", F.DIRECTOR, date(2012, 9, 1))),
    _p("Kevin", "Vanwynsberghe", _a("vlasbloem", F.FLOOR_SUPERVISOR, date(2013, 1, 1))),
    _p("Pieter", "Lievens", _a("vlasbloem", F.FLOOR_SUPERVISOR, date(2019, 6, 1))),
    _p("Elke", "Bossuyt", _a("vlasbloem", F.FLOOR_SUPERVISOR, date(2015, 2, 1), date(2020, 3, 31))),
    _p("Jolien", "Bouzid", _a("vlasbloem", F.COUNSELLOR, date(2009, 4, 1))),
    _p("Tim", "Coussens", _a("vlasbloem", F.JOBCOACH, date(2015, 4, 1))),
    _p("Thomas", "Ryckaert", _a("vlasbloem", F.WORKPLACE_ARCHITECT, date(2011, 1, 1))),
    _p("Evelien", "Haddad", _a("kantelaar", F.DIRECTOR, date(2019, 10, 1))),
    _p("Hannes", "Vercruysse", _a("kantelaar", F.FLOOR_SUPERVISOR, date(2017, 4, 1))),
    _p("Bart", "Seynaeve", _a("kantelaar", F.COUNSELLOR, date(2014, 9, 1))),
    _p("Eva", "Ghekiere", _a("reigersnest", F.DIRECTOR, date(2015, 11, 1))),
    _p("Bart", "Maertens", _a("reigersnest", F.FLOOR_SUPERVISOR, date(2013, 1, 1))),
    _p("Ward", "Vanackere", _a("reigersnest", F.COUNSELLOR, date(2014, 7, 1))),
    _p("Stijn", "Devriendt", _a("reigersnest", F.JOBCOACH, date(2012, 11, 1))),
    _p("Yannick", "Deweer", _a("zilverspoor", F.DIRECTOR, date(2016, 7, 1))),
    _p("Evelien", "Maertens", _a("zilverspoor", F.FLOOR_SUPERVISOR, date(2011, 2, 1))),
    _p("Joke", "Deweer", _a("zilverspoor", F.COUNSELLOR, date(2012, 6, 1))),
    _p("Nathalie", "Vanmarcke", _a("kolibriehof", F.DIRECTOR, date(2015, 4, 1))),
    _p("Ewa", "Roelens", _a("kolibriehof", F.FLOOR_SUPERVISOR, date(2016, 3, 1))),
    _p("Nina", "El Amrani", _a("pimpernel", F.DIRECTOR, date(2018, 9, 1))),
    _p("Joris", "Roelens", _a("pimpernel", F.FLOOR_SUPERVISOR, date(2014, 1, 1))),
    _p("Mehmet", "Vanmarcke", _a("tweestroom", F.DIRECTOR, date(2014, 6, 1))),
    _p("Dieter", "Tack", _a("tweestroom", F.FLOOR_SUPERVISOR, date(2017, 4, 1))),
    _p(
        "Laura",
        "Lievens",
        _a("tweestroom", F.COUNSELLOR, date(2008, 2, 1), date(2020, 11, 30)),
        _a("reigersnest", F.COUNSELLOR, date(2020, 12, 1)),
    ),
    _p("Ruben", "Degryse", _a("klaprooshof", F.DIRECTOR, date(2014, 9, 1))),
    _p("Dieter", "Ghekiere", _a("klaprooshof", F.FLOOR_SUPERVISOR, date(2019, 5, 1))),
    _p("Jolien", "Verbeke", _a("kwartel-logistics", F.CONTACT, date(2018, 10, 1))),
    _p("Tom", "Catteeuw", _a("kwartel-logistics", F.FLOOR_SUPERVISOR, date(2013, 9, 1))),
    _p("Soraya", "Vandewalle", _a("walnootlaan", F.CONTACT, date(2019, 3, 1))),
    _p("Maarten", "Delbaere", _a("walnootlaan", F.FLOOR_SUPERVISOR, date(2012, 1, 1))),
    _p(
        "Sarah",
        "Shevchenko",
        _a("hazelaarshof", F.CONTACT, date(2015, 1, 1), date(2020, 11, 30)),
        _a("vlasbloem", F.CONTACT, date(2020, 12, 1)),
    ),
    _p("Tine", "Soenen", _a("klavertje", F.DIRECTOR, date(2015, 6, 1))),
    _p("Sarah", "Verstraete", _a("klavertje", F.COUNSELLOR, date(2018, 4, 1))),
    _p("Imane", "Tack", _a("perzikbloesem", F.CONTACT, date(2012, 9, 1))),
    _p("Bert", "Vandekerckhove", _a("perzikbloesem", F.FLOOR_SUPERVISOR, date(2016, 6, 1))),
    _p("Matthias", "Ghekiere", _a("spaakwiel", F.CONTACT, date(2008, 9, 1))),
    _p("Els", "Soenen", _a("hamerslag", F.DIRECTOR, date(2017, 4, 1))),
    _p("Liesbeth", "Decock", _a("hamerslag", F.COUNSELLOR, date(2014, 9, 1))),
    _p("Frederik", "Degryse", _a("lepelaar", F.CONTACT, date(2014, 10, 1))),
    _p("Ewa", "Haddad", _a("lepelaar", F.FLOOR_SUPERVISOR, date(2015, 10, 1))),
    _p("Karim", "Claerhout", _a("sponsvogel", F.DIRECTOR, date(2010, 9, 1))),
    _p("Brecht", "Vermeersch", _a("sponsvogel", F.COUNSELLOR, date(2018, 7, 1))),
    _p("Steven", "Naessens", _a("speelmolen", F.CONTACT, date(2010, 1, 1))),
    _p("Arne", "Devos", _a("vlierbes", F.CONTACT, date(2019, 3, 1))),
    _p("Hannes", "Vanackere", _a("zeepbel", F.CONTACT, date(2019, 4, 1))),
    _p("Emma", "Kowalski", _a("tandem", F.CONTACT, date(2008, 9, 1), date(2020, 8, 31))),
    _p("Wim", "Coussens", _a("wilgentak", F.CONTACT, date(2009, 2, 1))),
    _p("Fatma", "Depoorter", _a("muisklik", F.CONTACT, date(2012, 4, 1))),
    _p("Jolien", "Mortier", _a("muisklik", F.COUNSELLOR, date(2018, 10, 1))),
    _p("Stijn", "Goemaere", _a("zonnewijzer", F.DIRECTOR, date(2008, 9, 1))),
    _p("Stijn", "Deweer", _a("zonnewijzer", F.COUNSELLOR, date(2014, 5, 1))),
    _p("Jens", "Delbaere", _a("zonnewijzer", F.COUNSELLOR, date(2010, 1, 1))),
    _p("Eva", "Kowalski", _a("zonnewijzer", F.FLOOR_SUPERVISOR, date(2014, 1, 1))),
    _p("Yannick", "Pattyn", _a("zonnewijzer", F.FLOOR_SUPERVISOR, date(2017, 10, 1))),
    _p("Tim", "Seynaeve", _a("lindeblad", F.CONTACT, date(2018, 1, 1))),
    _p("Ruben", "Dekeyser", _a("lindeblad", F.FLOOR_SUPERVISOR, date(2009, 1, 1))),
    _p("Bram", "Declercq", _a("kleurrijk-spoor", F.CONTACT, date(2010, 4, 1))),
    _p("Lander", "Tack", _a("kleurrijk-spoor", F.FLOOR_SUPERVISOR, date(2016, 3, 1))),
    _p("Bram", "Vanmarcke", _a("kleurrijk-spoor", F.COUNSELLOR, date(2019, 6, 1))),
    _p("Hamza", "Vansteenkiste", _a("mosterdzaadjes", F.CONTACT, date(2011, 5, 1))),
    _p("Ward", "Catteeuw", _a("mosterdzaadjes", F.FLOOR_SUPERVISOR, date(2018, 10, 1))),
    _p("Kristof", "Vandewalle", _a("kraanvogel", F.CONTACT, date(2015, 1, 1))),
    _p("Bram", "Ryckaert", _a("kraanvogel", F.COUNSELLOR, date(2010, 1, 1))),
    _p("Oleksandr", "Devriendt", _a("knoest", F.FLOOR_SUPERVISOR, date(2015, 11, 1))),
    _p("Katrien", "Claerhout", _a("pastinaak", F.FLOOR_SUPERVISOR, date(2015, 7, 1))),
    _p("Hanne", "Deweer", _a("vingerhoed", F.CONTACT, date(2008, 6, 1))),
    _p("Karen", "Verhelst", _a("schuimspaan", F.CONTACT, date(2019, 1, 1))),
    _p("Matthias", "Ryckaert", _a("soldeerbout", F.CONTACT, date(2018, 9, 1))),
    _p("Lander", "Degryse", _a("kettingblad", F.CONTACT, date(2013, 9, 1))),
    _p("Heleen", "Benali", _a("glansrijk", F.CONTACT, date(2015, 1, 1))),
    _p("Emma", "Decock", _a("tafelgoed", F.CONTACT, date(2017, 1, 1))),
    _p("Ine", "Maertens", _a("kruiwagen", F.CONTACT, date(2019, 3, 1))),
    _p("Mathilde", "Lambrecht", _a("wijkwerk-leieschelde", F.CONTACT, date(2014, 6, 1))),
    _p("Imane", "Vanhoutte", _a("wijkwerk-leieschelde", F.COUNSELLOR, date(2014, 3, 1))),
    _p("Tine", "Nowak", _a("wijkwerk-leieschelde", F.COUNSELLOR, date(2019, 9, 1))),
    _p("Geert", "Vanryckeghem", _a("wijkwerk-grensland", F.CONTACT, date(2019, 11, 1))),
    _p("Yannick", "Roelens", _a("wijkwerk-grensland", F.COUNSELLOR, date(2010, 3, 1))),
    _p("Katrien", "Defraeye", _a("wijkwerk-mandelhoek", F.CONTACT, date(2016, 4, 1))),
)


# --- Demo users ------------------------------------------------------------------------------


@dataclass(frozen=True)
class DemoUserRow:
    username: str
    role: Role
    first_name: str
    last_name: str
    email: str
    organisation: str = ""  # OrganisationRow.key, for partners and counsellors
    municipality: str = ""  # NIS code, for viewers


DEMO_USERS: tuple[DemoUserRow, ...] = (
    DemoUserRow(
        "coordinator",
        Role.COORDINATOR,
        "Hanne",
        "Verschaeve",
        "hanne.verschaeve@welzijn13.example",
    ),
    DemoUserRow(
        "partner",
        Role.PARTNER,
        "Bram",
        "Vanlancker",
        "bram.vanlancker@vlasbloem.example",
        organisation="vlasbloem",
    ),
    DemoUserRow(
        "counsellor",
        Role.COUNSELLOR,
        "Nele",
        "Vanbelle",
        "nele.vanbelle@zonnewijzer.example",
        organisation="zonnewijzer",
    ),
    DemoUserRow(
        "viewer",
        Role.VIEWER,
        "Pieter",
        "Dedeurwaerder",
        "pieter.dedeurwaerder@kortrijk.example",
        municipality="34022",
    ),
    DemoUserRow("admin", Role.ADMIN, "Jonas", "Beheerder", "admin@regie.example"),
)


# --- Loading ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class DemoLogin:
    username: str
    password: str
    role: str
    scope: str


@dataclass
class DemoContext:
    """What the other apps' demo loaders build on: the region, its author, its organisations.

    Each app may have a ``demo`` module with ``demo_load(*, context: DemoContext) -> str``;
    ``manage.py load_demo`` calls them in the order of INSTALLED_APPS after the registry.
    """

    region: Region
    actor: "_User"
    organisations: dict[str, Organisation]  # by OrganisationRow.key
    logins: list[DemoLogin] = field(default_factory=list)  # logins an app's demo adds


@dataclass
class DemoSummary:
    """What the region holds after loading, and how many rows this run created or changed."""

    context: DemoContext
    municipalities: int
    members: int
    organisations: int
    se_organisations: int
    sites: int
    recognitions: int
    people: int
    affiliations: int
    created: int
    updated: int
    logins: list[DemoLogin] = field(default_factory=list)


@transaction.atomic
def demo_region_load() -> DemoSummary:
    """Create or update the Welzijn13 demo region; running it again changes nothing but the
    demo users' passwords (which it resets)."""
    tally: Counter[str] = Counter()
    # The administrator is loaded first: the demo's rows are written in their name.
    admin_row = next(row for row in DEMO_USERS if row.role == Role.ADMIN)
    actor, admin_login = _demo_user_upsert(
        admin_row, region=None, organisations={}, municipalities={}
    )
    municipalities = _municipalities_upsert(actor=actor, tally=tally)
    region = _upsert(
        Region, actor=actor, tally=tally, lookup={"code": REGION_CODE}, fields={"name": REGION_NAME}
    )
    for municipality_row in MUNICIPALITIES:
        _upsert(
            RegionMembership,
            actor=actor,
            tally=tally,
            lookup={"region": region, "municipality": municipalities[municipality_row.nis_code]},
            fields={"start": municipality_row.member_from, "end": None},
        )
    measures = {measure.code: measure for measure in Measure.objects.all()}
    organisations = {
        organisation_row.key: _organisation_upsert(
            organisation_row,
            actor=actor,
            region=region,
            municipalities=municipalities,
            measures=measures,
            tally=tally,
        )
        for organisation_row in ORGANISATIONS
    }
    region = _upsert(
        Region,
        actor=actor,
        tally=tally,
        lookup={"code": REGION_CODE},
        fields={"name": REGION_NAME, "carrier": organisations[CARRIER.key]},
    )
    for person_row in PEOPLE:
        _person_upsert(
            person_row, actor=actor, region=region, organisations=organisations, tally=tally
        )
    logins = {admin_row.username: admin_login}
    for row in DEMO_USERS:
        if row is not admin_row:
            _, logins[row.username] = _demo_user_upsert(
                row, region=region, organisations=organisations, municipalities=municipalities
            )
    return DemoSummary(
        context=DemoContext(region=region, actor=actor, organisations=organisations),
        municipalities=Municipality.objects.filter(regions=region).distinct().count(),
        members=RegionMembership.objects.filter(region=region).on(timezone.localdate()).count(),
        organisations=Organisation.objects.filter(region=region).count(),
        se_organisations=Organisation.objects.filter(
            region=region, kbo__in=[normalise_kbo(se_row.kbo) for se_row in SE_ORGANISATIONS]
        ).count(),
        sites=Site.objects.filter(organisation__region=region).count(),
        recognitions=Recognition.objects.filter(organisation__region=region).count(),
        people=Person.objects.filter(region=region).count(),
        affiliations=Affiliation.objects.filter(person__region=region).count(),
        created=tally["created"],
        updated=tally["updated"],
        logins=[logins[row.username] for row in DEMO_USERS],
    )


# Any: a row's values differ per field; ``full_clean`` checks them.
def _changes(instance: models.Model, fields: dict[str, Any]) -> dict[str, Any]:
    return {name: value for name, value in fields.items() if getattr(instance, name) != value}


# Any: a row's values differ per field; ``full_clean`` checks them.
def _upsert[M: models.Model](
    model: type[M],
    *,
    actor: "_User",
    tally: Counter[str],
    lookup: dict[str, Any],
    fields: dict[str, Any],
) -> M:
    """Find a row by its natural key and bring it in line with ``fields`` (for models without a
    service: they are reference data only a migration or this loader writes)."""
    instance = model._default_manager.filter(**lookup).first()
    if instance is None:
        tally["created"] += 1
        return save_new(instance=model(**lookup, **fields), actor=actor)
    changes = _changes(instance, fields)
    if changes:
        tally["updated"] += 1
        for name, value in changes.items():
            setattr(instance, name, value)
        set_history_user(instance, actor)
        instance.full_clean()
        instance.save()
    return instance


def _municipalities_upsert(*, actor: "_User", tally: Counter[str]) -> dict[str, Municipality]:
    municipalities: dict[str, Municipality] = {}
    for row in MUNICIPALITIES:
        municipality = _upsert(
            Municipality,
            actor=actor,
            tally=tally,
            lookup={"nis_code": row.nis_code},
            fields={
                "name": row.name,
                "is_centre_city": row.is_centre_city,
                "latitude": Decimal(row.latitude),
                "longitude": Decimal(row.longitude),
            },
        )
        for code, _place in row.postcodes:
            _, created = Postcode.objects.get_or_create(municipality=municipality, code=code)
            tally["created"] += created
        _, created = Population.objects.update_or_create(
            municipality=municipality,
            year=POPULATION_YEAR,
            defaults={"inhabitants": row.population},
        )
        tally["created"] += created
        municipalities[row.nis_code] = municipality
    return municipalities


_POSTCODES: dict[str, tuple[MunicipalityRow, str]] = {
    code: (row, place) for row in MUNICIPALITIES for code, place in row.postcodes
}


def _organisation_upsert(
    row: OrganisationRow,
    *,
    actor: "_User",
    region: Region,
    municipalities: dict[str, Municipality],
    measures: dict[str, Measure],
    tally: Counter[str],
) -> Organisation:
    kbo = normalise_kbo(row.kbo) if row.kbo else ""
    fields: dict[str, Any] = {
        "name": row.name,
        "kbo": kbo,
        "kind": row.kind,
        "email": row.email,
        "phone": row.phone,
        "website": row.website,
        "notes": row.notes,
    }
    same_region = Organisation.objects.filter(region=region)
    organisation = (
        same_region.filter(kbo=kbo) if kbo else same_region.filter(kbo="", name=row.name)
    ).first()
    if organisation is None:
        tally["created"] += 1
        organisation = organisation_create(actor=actor, region=region, **fields)
    elif changes := _changes(organisation, {**fields, "is_archived": False}):
        tally["updated"] += 1
        organisation = organisation_update(
            actor=actor,
            organisation=organisation,
            expected_version=organisation.version,
            **changes,
        )
    for site_row in row.sites:
        _site_upsert(
            site_row,
            actor=actor,
            organisation=organisation,
            municipalities=municipalities,
            tally=tally,
        )
    for recognition_row in row.recognitions:
        _recognition_upsert(
            recognition_row,
            actor=actor,
            organisation=organisation,
            measure=measures[recognition_row.measure],
            tally=tally,
        )
    return organisation


def _site_upsert(
    row: SiteRow,
    *,
    actor: "_User",
    organisation: Organisation,
    municipalities: dict[str, Municipality],
    tally: Counter[str],
) -> Site:
    municipality_row, main_place = _POSTCODES[row.postcode]
    latitude, longitude = (
        (Decimal(row.latitude), Decimal(row.longitude))
        if row.latitude
        else _near(municipality_row, seed=f"{organisation.name}|{row.street}")
    )
    fields: dict[str, Any] = {
        "name": row.name,
        "place": row.place or main_place,
        "municipality": municipalities[municipality_row.nis_code],
        "latitude": latitude,
        "longitude": longitude,
        "is_main": row.is_main,
        "is_archived": False,
    }
    site = Site.objects.filter(
        organisation=organisation, street=row.street, postcode=row.postcode
    ).first()
    if site is None:
        tally["created"] += 1
        return site_create(
            actor=actor,
            organisation=organisation,
            street=row.street,
            postcode=row.postcode,
            **fields,
        )
    if changes := _changes(site, fields):
        tally["updated"] += 1
        return site_update(actor=actor, site=site, expected_version=site.version, **changes)
    return site


def _near(row: MunicipalityRow, *, seed: str) -> tuple[Decimal, Decimal]:
    """A stable fictional spot within about a kilometre of the municipality's centre."""
    digest = zlib.crc32(seed.encode())
    north = (digest % 201 - 100) / 10_000  # ±0.0100° latitude, about ±1.1 km
    east = (digest // 201 % 201 - 100) / 7_000  # ±0.0143° longitude, about ±1.0 km here
    return (
        round(Decimal(row.latitude) + Decimal(str(north)), 5),
        round(Decimal(row.longitude) + Decimal(f"{east:.5f}"), 5),
    )


def _recognition_upsert(
    row: RecognitionRow,
    *,
    actor: "_User",
    organisation: Organisation,
    measure: Measure,
    tally: Counter[str],
) -> Recognition:
    fields: dict[str, Any] = {
        "valid_until": row.valid_until,
        "capacity": Decimal(row.capacity),
        "capacity_unit": row.unit,
        "status": row.status,
    }
    recognition = Recognition.objects.filter(
        organisation=organisation, measure=measure, valid_from=row.valid_from
    ).first()
    if recognition is None:
        tally["created"] += 1
        return recognition_create(
            actor=actor,
            organisation=organisation,
            measure=measure,
            valid_from=row.valid_from,
            **fields,
        )
    if changes := _changes(recognition, fields):
        tally["updated"] += 1
        return recognition_update(
            actor=actor, recognition=recognition, expected_version=recognition.version, **changes
        )
    return recognition


def _person_upsert(
    row: PersonRow,
    *,
    actor: "_User",
    region: Region,
    organisations: dict[str, Organisation],
    tally: Counter[str],
) -> Person:
    fields: dict[str, Any] = {
        "first_name": row.first_name,
        "last_name": row.last_name,
    }
    person = Person.objects.filter(region=region, email=row.email).first()
    if person is None:
        tally["created"] += 1
        person = person_create(actor=actor, region=region, email=row.email, **fields)
    elif changes := _changes(person, {**fields, "is_archived": False}):
        tally["updated"] += 1
        person = person_update(
            actor=actor, person=person, expected_version=person.version, **changes
        )
    for affiliation_row in row.affiliations:
        organisation = organisations[affiliation_row.organisation]
        affiliation_fields: dict[str, Any] = {
            "start": affiliation_row.start,
            "end": affiliation_row.end,
        }
        affiliation = Affiliation.objects.filter(
            person=person, organisation=organisation, function=affiliation_row.function
        ).first()
        if affiliation is None:
            tally["created"] += 1
            affiliation_create(
                actor=actor,
                person=person,
                organisation=organisation,
                function=affiliation_row.function,
                **affiliation_fields,
            )
        elif changes := _changes(affiliation, affiliation_fields):
            tally["updated"] += 1
            affiliation_update(
                actor=actor,
                affiliation=affiliation,
                expected_version=affiliation.version,
                **changes,
            )
    return person


def _demo_user_upsert(
    row: DemoUserRow,
    *,
    region: Region | None,
    organisations: dict[str, Organisation],
    municipalities: dict[str, Municipality],
) -> tuple["_User", DemoLogin]:
    """Create or reset a demo login: its binding, its password, and any lock-out by axes."""
    user_model = get_user_model()  # accounts' User: the registry sits below accounts
    user = user_model.objects.filter(username=row.username).first() or user_model(
        username=row.username
    )
    organisation = organisations[row.organisation] if row.organisation else None
    municipality = municipalities[row.municipality] if row.municipality else None
    is_admin = row.role == Role.ADMIN
    user.first_name = row.first_name
    user.last_name = row.last_name
    user.email = row.email
    user.role = row.role
    user.region = None if is_admin else region
    user.organisation = organisation
    user.municipality = municipality
    user.is_staff = user.is_superuser = is_admin
    user.is_active = True
    user.set_password(DEMO_PASSWORD)
    user.full_clean()
    user.save()
    axes_reset(username=row.username)
    scope = str(organisation or municipality or region or "all regions")
    return user, DemoLogin(row.username, DEMO_PASSWORD, str(row.role), scope)
