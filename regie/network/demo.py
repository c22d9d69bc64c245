"""The networks of the demo region in 2020, as the source report tells them.

The AZ-fabriek, the LDE-fabriek, the Actiegroep and the Lerend Netwerk voor Trajectbegeleiders
kept meeting through 2020, online from April, with "Hoe omgaan met corona op de werkvloer?" as
a standing item from March; the werkgroep RASE met twice early in the year and was then put on
hold; the ROSE (February) and the Trefdag voor toeleiders (early March) are meetings of the
"Regionaal overleg"; in September the coordinator met the cabinet of the Flemish minister of
Work about individueel maatwerk. Agendas, attendance, minutes, decisions and follow-ups are
made up to be plausible; the video links point at the reserved ``.example`` domain.

``network_demo_load`` is idempotent: rows are found by natural keys (a body's name in the
region, a meeting's body and start, an agenda item's position …) and brought in line; nothing
is mailed and the invitations hooks are not called.
"""

import datetime
import zlib
from collections import Counter
from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo

from django.db import models

from regie.accounts.models import User
from regie.core.history import set_history_user
from regie.core.versioning import save_new
from regie.network.models import (
    AgendaItem,
    Attendance,
    AttendanceStatus,
    Body,
    BodyKind,
    BodyStatus,
    Decision,
    FollowUp,
    FollowUpStatus,
    Meeting,
    MeetingFormat,
    MeetingStatus,
    MemberRole,
    Membership,
    MinutesStatus,
)
from regie.registry.demo import DemoContext
from regie.registry.models import Organisation, Person, Pillar, Region

BRUSSELS = ZoneInfo("Europe/Brussels")
WELZIJN13 = "Welzijn13, President Kennedypark 10, 8500 Kortrijk"
CORONA_ITEM = "Hoe omgaan met corona op de werkvloer?"
COORDINATOR = "Hanne Verschaeve"  # the person behind the demo login ``coordinator``
# Demo logins and the people in the registry they are.
DEMO_PEOPLE = {
    "coordinator": "Hanne Verschaeve",
    "partner": "Bram Vanlancker",
    "counsellor": "Nele Vanbelle",
}

P, D, H = MeetingFormat.PHYSICAL, MeetingFormat.DIGITAL, MeetingFormat.HYBRID
OPEN, BUSY, DONE = FollowUpStatus.OPEN, FollowUpStatus.IN_PROGRESS, FollowUpStatus.DONE


@dataclass(frozen=True)
class MemberRow:
    organisation: str = ""  # OrganisationRow.key of the registry demo
    person: str = ""  # "First Last" of a demo person
    role: MemberRole = MemberRole.MEMBER
    start: datetime.date | None = None
    end: datetime.date | None = None


@dataclass(frozen=True)
class ItemRow:
    title: str
    minutes: str
    presenter: str = ""
    standing: bool = False


@dataclass(frozen=True)
class FollowUpRow:
    title: str
    owner: str  # "First Last"
    due: datetime.date
    status: FollowUpStatus = OPEN


@dataclass(frozen=True)
class MeetingRow:
    day: datetime.date
    hours: tuple[str, str]
    format: MeetingFormat
    items: tuple[ItemRow, ...]
    decisions: tuple[str, ...] = ()
    follow_ups: tuple[FollowUpRow, ...] = ()
    title: str = ""  # the body's name when empty
    guests: tuple[tuple[str, str], ...] = ()  # (name, e-mail)


@dataclass(frozen=True)
class BodyRow:
    name: str
    kind: BodyKind
    pillar: str
    description: str
    members: tuple[MemberRow, ...]
    meetings: tuple[MeetingRow, ...]
    status: BodyStatus = BodyStatus.ACTIVE
    status_reason: str = ""
    status_date: datetime.date | None = None


def _d(month: int, day: int) -> datetime.date:
    return datetime.date(2020, month, day)


def _chair() -> MemberRow:
    return MemberRow("welzijn13", COORDINATOR, MemberRole.CHAIR)


def _secretary() -> MemberRow:
    return MemberRow("welzijn13", "Sarah Dekeyser", MemberRole.SECRETARY)


def _corona(minutes: str) -> ItemRow:
    return ItemRow(CORONA_ITEM, minutes, presenter="Hanne Verschaeve", standing=True)


def _welcome(
    minutes: str = "Verslag van de vorige vergadering goedgekeurd zonder opmerkingen.",
) -> ItemRow:
    return ItemRow("Welkom en goedkeuring vorig verslag", minutes)


BODIES: tuple[BodyRow, ...] = (
    BodyRow(
        "AZ-fabriek",
        BodyKind.PLATFORM,
        "OD-1",
        "Overlegplatform van de arbeidszorginitiatieven en de maatwerkbedrijven met een "
        "arbeidszorgwerking: samen leren, knelpunten signaleren, de werking versterken.",
        (
            _chair(),
            _secretary(),
            MemberRow("zonnewijzer", "Stijn Goemaere"),
            MemberRow("lindeblad", "Tim Seynaeve"),
            MemberRow("kleurrijk-spoor", "Bram Declercq"),
            MemberRow("mosterdzaadjes", "Hamza Vansteenkiste"),
            MemberRow("kraanvogel", "Kristof Vandewalle"),
            MemberRow("knoest"),
            MemberRow("pastinaak"),
            MemberRow("vingerhoed", "Hanne Deweer"),
            MemberRow("vlasbloem", "Bram Vanlancker"),
            MemberRow("reigersnest"),
            MemberRow("klaprooshof", "Ruben Degryse"),
            MemberRow("gtb-kortrijk", "Lien Wyffels"),
        ),
        (
            MeetingRow(
                _d(1, 23),
                ("09:30", "12:00"),
                P,
                (
                    _welcome(),
                    ItemRow(
                        "Stand van zaken AMA: de opvolger van arbeidszorg",
                        "Toelichting bij de hervorming: arbeidszorg wordt arbeidsmatige "
                        "activiteiten (AMA), VDAB beslist over de toegang. Veel vragen over "
                        "de overgang van de huidige medewerkers.",
                        presenter="Lien Wyffels",
                    ),
                    ItemRow(
                        "Uitwisseling: begeleiding van nieuwe medewerkers",
                        "Drie initiatieven stellen hun onthaalbrochure voor; de Zonnewijzer "
                        "werkt met een peter of meter op de werkvloer.",
                    ),
                    ItemRow("Varia", "Geen punten."),
                ),
                decisions=("De onthaalbrochures worden gebundeld en met alle leden gedeeld.",),
                follow_ups=(
                    FollowUpRow(
                        "Onthaalbrochures bundelen en rondsturen", "Sarah Dekeyser", _d(2, 28), DONE
                    ),
                ),
            ),
            MeetingRow(
                _d(3, 12),
                ("09:30", "12:00"),
                P,
                (
                    _welcome(),
                    _corona(
                        "Eerste maatregelen: handen wassen, afstand, geen gedeeld materiaal in de "
                        "ateliers. Enkele medewerkers met een kwetsbare gezondheid blijven thuis. "
                        "Afgesproken om dit punt op elke vergadering te agenderen."
                    ),
                    ItemRow(
                        "Thuiswerk voor AZ-medewerkers: kleinschalige experimenten",
                        "Idee: materiaal thuis afleveren bij medewerkers die niet naar de "
                        "werkplek mogen of durven, en het afgewerkte werk ophalen met een "
                        "babbeltje aan de voordeur.",
                        presenter="Stijn Goemaere",
                    ),
                ),
                decisions=(
                    "‘Hoe omgaan met corona op de werkvloer?’ staat voortaan vast op de agenda.",
                    "Twee initiatieven starten een proef met thuiswerk.",
                ),
                follow_ups=(
                    FollowUpRow(
                        "Draaiboek thuiswerk voor AZ-medewerkers uitschrijven",
                        COORDINATOR,
                        _d(4, 30),
                        DONE,
                    ),
                ),
            ),
            MeetingRow(
                _d(5, 14),
                ("10:00", "11:30"),
                D,
                (
                    _corona(
                        "De ateliers openen opnieuw in kleine groepen en in shiften. Vele meters "
                        "plexi en liters alcoholgel; medewerkers worden per bubbel ingedeeld."
                    ),
                    ItemRow(
                        "Ervaringen met thuiswerk en stoepgesprekken",
                        "De proeven lopen goed: de rondes met materiaal geven houvast en het "
                        "contact aan de voordeur wordt erg gewaardeerd.",
                        presenter="Tim Seynaeve",
                    ),
                ),
                decisions=("Het draaiboek thuiswerk wordt aan alle leden bezorgd.",),
            ),
            MeetingRow(
                _d(9, 17),
                ("09:30", "11:30"),
                H,
                (
                    _welcome(),
                    _corona(
                        "Na de zomer: mondmaskers op de werkvloer, vaste groepen blijven. "
                        "Vervoer naar de werkplek blijft een knelpunt."
                    ),
                    ItemRow(
                        "Digitale vaardigheden van medewerkers",
                        "Veel medewerkers hebben geen toestel of weten niet hoe ze een "
                        "videogesprek starten. Vraag naar uitleenbare tablets.",
                    ),
                ),
                follow_ups=(
                    FollowUpRow(
                        "Noden aan digitale toestellen bevragen bij de AZ-initiatieven",
                        COORDINATOR,
                        datetime.date(2021, 1, 31),
                        BUSY,
                    ),
                ),
            ),
            MeetingRow(
                _d(11, 19),
                ("10:00", "11:30"),
                D,
                (
                    _corona(
                        "Tweede golf: de ateliers blijven open met strikte maatregelen; meer "
                        "medewerkers in quarantaine."
                    ),
                    ItemRow(
                        "Planning 2021",
                        "Voorstel: vier vergaderingen, waarvan minstens één fysiek zodra het "
                        "kan. Thema's: AMA, digitale inclusie, vervoer.",
                    ),
                ),
                decisions=("In 2021 vergadert de AZ-fabriek vier keer.",),
                follow_ups=(
                    FollowUpRow(
                        "Data van de vergaderingen 2021 voorstellen",
                        COORDINATOR,
                        datetime.date(2021, 1, 15),
                    ),
                ),
            ),
        ),
    ),
    BodyRow(
        "LDE-fabriek",
        BodyKind.PLATFORM,
        "OD-1",
        "Overlegplatform van de initiatieven lokale diensteneconomie en hun lokale besturen.",
        (
            _chair(),
            _secretary(),
            MemberRow("klavertje", "Tine Soenen"),
            MemberRow("perzikbloesem", "Imane Tack"),
            MemberRow("spaakwiel", "Matthias Ghekiere"),
            MemberRow("hamerslag", "Els Soenen"),
            MemberRow("lepelaar", "Frederik Degryse"),
            MemberRow("sponsvogel", "Karim Claerhout"),
            MemberRow("speelmolen", "Steven Naessens"),
            MemberRow("vlierbes"),
            MemberRow("zeepbel"),
            MemberRow("tandem", "Emma Kowalski", end=_d(6, 30)),
            MemberRow("wilgentak", "Wim Coussens"),
            MemberRow("muisklik", "Fatma Depoorter"),
            MemberRow("vdab-kortrijk", "Leen Dumortier"),
        ),
        (
            MeetingRow(
                _d(2, 6),
                ("13:30", "16:00"),
                P,
                (
                    _welcome(),
                    ItemRow(
                        "Doorstroom naar reguliere werkgevers: de stage aan het einde",
                        "Elk initiatief zoekt stageplaatsen; voorstel om een gezamenlijke "
                        "lijst van werkgevers bij te houden.",
                        presenter="Leen Dumortier",
                    ),
                ),
                decisions=("Er komt een gedeelde lijst van stagebedrijven.",),
            ),
            MeetingRow(
                _d(4, 23),
                ("14:00", "15:30"),
                D,
                (
                    _corona(
                        "Poetsdiensten en strijkateliers draaien beperkt; buurtrestaurants "
                        "schakelen over op afhaalmaaltijden. Tijdelijke werkloosheid voor een "
                        "deel van de doelgroepwerknemers."
                    ),
                    ItemRow(
                        "Financiering bij stillegging",
                        "Vragen over de subsidies bij tijdelijke werkloosheid; DWSE verduidelijkt "
                        "via een FAQ.",
                    ),
                ),
            ),
            MeetingRow(
                _d(6, 18),
                ("14:00", "15:30"),
                D,
                (
                    _corona("Heropstart: afspraken rond vervoer en kleedruimtes."),
                    ItemRow(
                        "Afscheid Mobiliteitspunt Tandem",
                        "De erkenning loopt af op 30 juni; de medewerkers vinden een plaats "
                        "bij andere initiatieven.",
                    ),
                ),
            ),
            MeetingRow(
                _d(10, 8),
                ("14:00", "15:30"),
                D,
                (
                    _corona("Mondmaskers en quarantaineregels: afspraken per type werkvloer."),
                    ItemRow(
                        "Individueel maatwerk: wat betekent het voor LDE?",
                        "De hervorming is aangekondigd. Zorg om de overgang van LDE-medewerkers; "
                        "nood aan cijfers per initiatief.",
                        presenter="Hanne Verschaeve",
                    ),
                ),
                follow_ups=(
                    FollowUpRow(
                        "Impact van individueel maatwerk per LDE-initiatief in kaart brengen",
                        COORDINATOR,
                        _d(12, 31),
                        BUSY,
                    ),
                ),
            ),
            MeetingRow(
                _d(12, 10),
                ("14:00", "15:30"),
                D,
                (
                    _corona("Eindejaar: geen feestjes op de werkvloer; attenties aan huis."),
                    ItemRow(
                        "Terugblik 2020 en vooruitblik 2021",
                        "Ondanks corona bleven alle initiatieven werken; de gedeelde lijst van "
                        "stagebedrijven telt twaalf werkgevers.",
                    ),
                ),
                follow_ups=(
                    FollowUpRow(
                        "Lijst stagebedrijven aanvullen met de nieuwe werkgevers",
                        "Tine Soenen",
                        datetime.date(2021, 2, 28),
                    ),
                ),
            ),
        ),
    ),
    BodyRow(
        "Actiegroep",
        BodyKind.WORKING_GROUP,
        "OD-1",
        "Werkgroep van SE-organisaties, VDAB en OCMW's die acties rond de lokale sociale "
        "economie voorbereidt en opvolgt.",
        (
            _chair(),
            MemberRow("vlasbloem", "Ine Verbeke"),
            MemberRow("kantelaar", "Evelien Haddad"),
            MemberRow("reigersnest", "Eva Ghekiere"),
            MemberRow("zonnewijzer", "Stijn Goemaere"),
            MemberRow("vdab-kortrijk", "Seppe Vanryckeghem"),
            MemberRow("ocmw-kortrijk", "Nina Aydin"),
            MemberRow("ocmw-menen", "Nathalie Verstraete"),
            MemberRow("wijkwerk-leieschelde", "Mathilde Lambrecht"),
        ),
        (
            MeetingRow(
                _d(1, 30),
                ("09:00", "11:00"),
                P,
                (
                    _welcome(),
                    ItemRow(
                        "Actieplan 2020",
                        "De acties onder de drie opdrachten worden overlopen; prioriteit voor "
                        "sociale clausules in overheidsopdrachten.",
                        presenter="Hanne Verschaeve",
                    ),
                ),
                decisions=("Het actieplan 2020 wordt goedgekeurd.",),
            ),
            MeetingRow(
                _d(4, 2),
                ("10:00", "11:00"),
                D,
                (
                    _corona(
                        "Welke werkvloeren blijven open? Overzicht per organisatie; VDAB schort "
                        "de trajectgesprekken op en belt de cliënten."
                    ),
                ),
                decisions=("Geplande acties rond sociale clausules worden uitgesteld.",),
            ),
            MeetingRow(
                _d(6, 4),
                ("10:00", "11:30"),
                D,
                (
                    _corona("Heropstart van de werkvloeren in shiften en vaste groepen."),
                    ItemRow(
                        "Digitale kloof bij cliënten",
                        "Voorstel om toestellen uit te lenen en digitale opvoeding te geven.",
                    ),
                ),
                follow_ups=(
                    FollowUpRow(
                        "Afsprakenlijst heropstart werkvloeren delen",
                        "Ine Verbeke",
                        _d(6, 30),
                        DONE,
                    ),
                ),
            ),
            MeetingRow(
                _d(10, 1),
                ("09:30", "11:30"),
                H,
                (
                    _corona("Tweede golf in aantocht: draaiboeken actualiseren."),
                    ItemRow(
                        "ESF-oproep 520 Circulair werk(t)",
                        "Verkenning van een regionaal dossier met VOKA, Howest, Designregio "
                        "Kortrijk en Leiedal.",
                        presenter="Gert Nowak",
                    ),
                    ItemRow(
                        "Fietsen voor cliënten",
                        "Idee van een regionaal project: (elektrische) fietsen ter beschikking "
                        "van mensen met een afstand tot de arbeidsmarkt.",
                    ),
                ),
                decisions=("De regie dient met de partners een ESF520-dossier in.",),
                follow_ups=(
                    FollowUpRow(
                        "Projectvoorstel fietsen uitwerken met de lokale besturen",
                        COORDINATOR,
                        datetime.date(2021, 3, 31),
                    ),
                ),
                guests=(("Gert Nowak (Howest)", "gert.nowak@howest.example"),),
            ),
        ),
    ),
    BodyRow(
        "Lerend Netwerk voor Trajectbegeleiders",
        BodyKind.LEARNING_NETWORK,
        "OD-1",
        "Trajectbegeleiders van SE-organisaties en wijk-werken leren van elkaar.",
        (
            _chair(),
            MemberRow("zonnewijzer", "Nele Vanbelle"),
            MemberRow("vlasbloem", "Jolien Bouzid"),
            MemberRow("kantelaar", "Bart Seynaeve"),
            MemberRow("reigersnest", "Ward Vanackere"),
            MemberRow("klavertje", "Sarah Verstraete"),
            MemberRow("hamerslag", "Liesbeth Decock"),
            MemberRow("wijkwerk-leieschelde", "Imane Vanhoutte"),
            MemberRow("wijkwerk-grensland", "Yannick Roelens"),
        ),
        (
            MeetingRow(
                _d(2, 13),
                ("13:30", "16:00"),
                P,
                (
                    _welcome(),
                    ItemRow(
                        "Intervisie: een traject dat vastloopt",
                        "Casus van een cliënt die na twee jaar LDE geen stage vindt; tips over "
                        "jobcoaching en werkplekaanpassing.",
                        presenter="Jolien Bouzid",
                    ),
                ),
            ),
            MeetingRow(
                _d(5, 7),
                ("13:30", "15:00"),
                D,
                (
                    _corona(
                        "Contact houden met cliënten: bellen, videogesprekken en "
                        "stoepgesprekken aan de voordeur."
                    ),
                ),
                decisions=("Elke begeleider noteert zijn contactmomenten op dezelfde manier.",),
            ),
            MeetingRow(
                _d(9, 24),
                ("13:30", "15:00"),
                D,
                (
                    _corona("Cliënten die niet durven terug te komen: stapsgewijze heropstart."),
                    ItemRow(
                        "Digitale opvoeding",
                        "Ervaringen met tablets in bruikleen en korte opleidingen.",
                        presenter="Nele Vanbelle",
                    ),
                ),
                follow_ups=(
                    FollowUpRow(
                        "Overzicht van stoepgesprekken en contactmomenten bundelen",
                        "Nele Vanbelle",
                        _d(11, 15),
                        DONE,
                    ),
                ),
            ),
            MeetingRow(
                _d(11, 26),
                ("13:30", "15:00"),
                D,
                (
                    _corona("Quarantaine en afwezigheden: hoe het traject bewaken?"),
                    ItemRow(
                        "Thema's 2021",
                        "Voorstellen: doorstroom naar regulier werk, individueel maatwerk.",
                    ),
                ),
                follow_ups=(
                    FollowUpRow(
                        "Spreker over individueel maatwerk zoeken",
                        COORDINATOR,
                        datetime.date(2021, 2, 15),
                    ),
                ),
            ),
        ),
    ),
    BodyRow(
        "Werkgroep RASE",
        BodyKind.WORKING_GROUP,
        "OD-3",
        "Regionale Actie Sociale Energie: wat kunnen we van elkaar leren over duurzaam "
        "investeren als organisatie?",
        (
            _chair(),
            MemberRow("vlasbloem", "Ine Verbeke"),
            MemberRow("kantelaar", "Evelien Haddad"),
            MemberRow("tweestroom", "Mehmet Vanmarcke"),
            MemberRow("zilverspoor", "Yannick Deweer"),
            MemberRow("voka-wvl", "Ward Mortier"),
        ),
        (
            MeetingRow(
                _d(1, 21),
                ("14:00", "16:00"),
                P,
                (
                    _welcome("Eerste vergadering van de werkgroep."),
                    ItemRow(
                        "Duurzaam investeren: zonnepanelen en energiezuinige ateliers",
                        "Tweestroom deelt de cijfers van zijn zonnepanelen; interesse in een "
                        "gezamenlijke aankoop.",
                        presenter="Mehmet Vanmarcke",
                    ),
                ),
            ),
            MeetingRow(
                _d(2, 27),
                ("14:00", "16:00"),
                P,
                (
                    _welcome(),
                    ItemRow(
                        "Groepsaankoop energie",
                        "VOKA verkent een groepsaankoop voor de leden.",
                        presenter="Ward Mortier",
                    ),
                ),
                follow_ups=(
                    FollowUpRow(
                        "Inventaris van de duurzame investeringen van de leden opmaken",
                        COORDINATOR,
                        _d(4, 30),
                    ),
                ),
            ),
        ),
        status=BodyStatus.ON_HOLD,
        status_reason="Na de uitbraak van de coronacrisis on hold gezet.",
        status_date=_d(3, 16),
    ),
    BodyRow(
        "Regionaal overleg",
        BodyKind.REGIONAL,
        "OD-2",
        "Netwerkmomenten voor alle belanghebbenden van de lokale sociale economie in de regio: "
        "het ROSE en de Trefdag voor toeleiders.",
        (
            _chair(),
            _secretary(),
            MemberRow("vdab-kortrijk", "Seppe Vanryckeghem"),
            MemberRow("gtb-kortrijk", "Oleksandr El Amrani"),
            MemberRow("ocmw-kortrijk", "Nina Aydin"),
            MemberRow("voka-wvl", "Ward Mortier"),
        ),
        (
            MeetingRow(
                _d(2, 20),
                ("13:30", "17:00"),
                P,
                (
                    ItemRow(
                        "Welkom en de regierol in 2020",
                        "Voorstelling van de drie opdrachten van de regierol en het actieplan.",
                        presenter="Hanne Verschaeve",
                    ),
                    ItemRow(
                        "Marktplaats: SE-organisaties stellen zich voor",
                        "Twintig organisaties met een stand; veel contacten tussen lokale "
                        "besturen en werkplekarchitecten.",
                    ),
                    ItemRow(
                        "Netwerkmoment",
                        "Informeel contact tussen SE-organisaties, lokale besturen en VDAB.",
                    ),
                ),
                follow_ups=(
                    FollowUpRow(
                        "Presentaties van het ROSE aan alle deelnemers bezorgen",
                        "Sarah Dekeyser",
                        _d(3, 6),
                        DONE,
                    ),
                ),
                title="ROSE 2020",
            ),
            MeetingRow(
                _d(3, 5),
                ("09:00", "12:30"),
                P,
                (
                    ItemRow(
                        "Toeleiding naar de sociale economie: wie doet wat?",
                        "OCMW's en VDAB overlopen hun rol; GTB licht de toeleiding van mensen "
                        "met een arbeidsbeperking toe.",
                        presenter="Seppe Vanryckeghem",
                    ),
                    ItemRow(
                        "Workshops per maatregel",
                        "Maatwerk, LDE, arbeidszorg en wijk-werken: toegangsvoorwaarden en "
                        "contactpersonen.",
                    ),
                ),
                decisions=("Er komt een gedeelde contactlijst van toeleiders.",),
                follow_ups=(
                    FollowUpRow(
                        "Contactlijst van toeleiders bij OCMW en VDAB actualiseren",
                        COORDINATOR,
                        _d(4, 30),
                        DONE,
                    ),
                ),
                title="Trefdag voor toeleiders 2020",
            ),
        ),
    ),
    BodyRow(
        "Overleg met het kabinet van de Vlaamse minister van Werk",
        BodyKind.EXTERNAL,
        "OD-1",
        "Gesprek over de komst van individueel maatwerk en de impact op LDE-organisaties en "
        "maatwerkbedrijven met veel SINE-medewerkers in de regio.",
        (
            _chair(),
            MemberRow("kabinet-werk", "Charlotte Ryckaert"),
            MemberRow("vlasbloem", "Ine Verbeke"),
            MemberRow("klavertje", "Tine Soenen"),
        ),
        (
            MeetingRow(
                _d(9, 22),
                ("14:00", "15:30"),
                D,
                (
                    ItemRow(
                        "Individueel maatwerk: stand van de regelgeving",
                        "Het kabinet licht de krijtlijnen toe: loonpremie en "
                        "ondersteuningspremie, afbouw over vijf jaar.",
                        presenter="Charlotte Ryckaert",
                    ),
                    ItemRow(
                        "Impact in de regio",
                        "Maatwerkbedrijven met veel SINE-medewerkers en de LDE-initiatieven "
                        "vrezen voor de overgang; vraag naar een overgangsregeling.",
                        presenter="Hanne Verschaeve",
                    ),
                ),
                decisions=("De regio bezorgt cijfers per organisatie aan het kabinet.",),
                follow_ups=(
                    FollowUpRow(
                        "Cijfers SINE- en LDE-medewerkers per organisatie bezorgen aan het kabinet",
                        COORDINATOR,
                        _d(10, 15),
                        DONE,
                    ),
                    FollowUpRow(
                        "Opvolgoverleg met het kabinet plannen na het ontwerpbesluit",
                        COORDINATOR,
                        datetime.date(2021, 3, 31),
                    ),
                ),
                title="Gesprek over individueel maatwerk",
            ),
        ),
    ),
)


def network_demo_load(
    *,
    actor: User,
    region: Region,
    organisations: dict[str, Organisation],
    tally: Counter[str],
) -> None:
    """Create or update the bodies, meetings, minutes and follow-ups of 2020."""
    people = {
        person.full_name: person for person in Person.objects.filter(region=region).order_by("pk")
    }
    pillars = {pillar.code: pillar for pillar in Pillar.objects.all()}
    for username, name in DEMO_PEOPLE.items():
        User.objects.filter(username=username).exclude(person=people[name]).update(
            person=people[name]
        )
    for row in BODIES:
        _body_load(
            row,
            actor=actor,
            region=region,
            organisations=organisations,
            people=people,
            pillars=pillars,
            tally=tally,
        )


def _body_load(
    row: BodyRow,
    *,
    actor: User,
    region: Region,
    organisations: dict[str, Organisation],
    people: dict[str, Person],
    pillars: dict[str, Pillar],
    tally: Counter[str],
) -> Body:
    body = _sync(
        Body,
        actor=actor,
        tally=tally,
        lookup={"region": region, "name": row.name},
        fields={
            "kind": row.kind,
            "pillar": pillars[row.pillar],
            "description": row.description,
            "status": row.status,
            "status_reason": row.status_reason,
            "status_date": row.status_date,
        },
    )
    members = []
    for member in row.members:
        organisation = organisations[member.organisation] if member.organisation else None
        person = people[member.person] if member.person else None
        _sync(
            Membership,
            actor=actor,
            tally=tally,
            lookup={"body": body, "organisation": organisation, "person": person},
            fields={"role": member.role, "start": member.start, "end": member.end},
        )
        members.append((member, organisation, person))
    standing: dict[str, AgendaItem] = {}
    for meeting_row in row.meetings:
        meeting = _meeting_load(
            meeting_row,
            body=body,
            actor=actor,
            members=members,
            people=people,
            standing=standing,
            tally=tally,
        )
        for item in meeting.agenda_items.filter(is_standing=True):
            standing[item.title] = item
    return body


def _at(day: datetime.date, hour: str) -> datetime.datetime:
    hours, minutes = (int(part) for part in hour.split(":"))
    return datetime.datetime.combine(day, datetime.time(hours, minutes), tzinfo=BRUSSELS)


def _meeting_load(
    row: MeetingRow,
    *,
    body: Body,
    actor: User,
    members: list[tuple[MemberRow, Organisation | None, Person | None]],
    people: dict[str, Person],
    standing: dict[str, AgendaItem],
    tally: Counter[str],
) -> Meeting:
    start = _at(row.day, row.hours[0])
    slug = f"{body.name.lower().replace(' ', '-')[:24]}-{row.day:%Y%m%d}"
    meeting = _sync(
        Meeting,
        actor=actor,
        tally=tally,
        lookup={"body": body, "start": start},
        fields={
            "title": row.title or body.name,
            "end": _at(row.day, row.hours[1]),
            "format": row.format,
            "location": "" if row.format == MeetingFormat.DIGITAL else WELZIJN13,
            "video_url": ""
            if row.format == MeetingFormat.PHYSICAL
            else f"https://meet.welzijn13.example/{slug}",
            "status": MeetingStatus.HELD,
            "minutes_status": MinutesStatus.LOCKED,
        },
    )
    items = {}
    for position, item in enumerate(row.items, start=1):
        items[item.title] = _sync(
            AgendaItem,
            actor=actor,
            tally=tally,
            lookup={"meeting": meeting, "position": position},
            fields={
                "title": item.title,
                "presenter": item.presenter,
                "minutes": item.minutes,
                "is_standing": item.standing,
                "carried_from": standing.get(item.title) if item.standing else None,
            },
        )
    for member, organisation, person in members:
        if (member.start and member.start > row.day) or (member.end and member.end < row.day):
            continue
        _sync(
            Attendance,
            actor=actor,
            tally=tally,
            lookup={"meeting": meeting, "person": person, "organisation": organisation},
            fields={"status": _attendance(meeting, member)},
        )
    for name, email in row.guests:
        _sync(
            Attendance,
            actor=actor,
            tally=tally,
            lookup={"meeting": meeting, "guest_name": name},
            fields={"guest_email": email, "is_guest": True, "status": AttendanceStatus.PRESENT},
        )
    for text in row.decisions:
        _sync(
            Decision, actor=actor, tally=tally, lookup={"meeting": meeting, "text": text}, fields={}
        )
    for follow_up in row.follow_ups:
        done = follow_up.status == DONE
        _sync(
            FollowUp,
            actor=actor,
            tally=tally,
            lookup={"body": body, "title": follow_up.title},
            fields={
                "meeting": meeting,
                "owner": people[follow_up.owner],
                "due_date": follow_up.due,
                "status": follow_up.status,
                "done_at": _at(follow_up.due, "12:00") if done else None,
            },
        )
    return meeting


def _attendance(meeting: Meeting, member: MemberRow) -> AttendanceStatus:
    """Most members came; a stable few were excused or absent."""
    if member.role != MemberRole.MEMBER:
        return AttendanceStatus.PRESENT
    draw = zlib.crc32(f"{meeting.start:%Y%m%d}|{member.organisation}|{member.person}".encode()) % 10
    if draw < 2:
        return AttendanceStatus.EXCUSED
    if draw == 2:
        return AttendanceStatus.ABSENT
    return AttendanceStatus.PRESENT


def _sync[M: models.Model](
    model: type[M],
    *,
    actor: User,
    tally: Counter[str],
    lookup: dict[str, Any],  # Any: the field values of whichever model ``model`` is
    fields: dict[str, Any],
) -> M:
    """Find a row by its natural key and bring it in line with ``fields``, with history."""
    instance = model._default_manager.filter(**lookup).first()
    if instance is None:
        tally["created"] += 1
        return save_new(instance=model(**lookup, **fields), actor=actor)
    changes = {name: value for name, value in fields.items() if getattr(instance, name) != value}
    if changes:
        tally["updated"] += 1
        for name, value in changes.items():
            setattr(instance, name, value)
        set_history_user(instance, actor)
        instance.full_clean()
        instance.save()
    return instance


def demo_load(*, context: DemoContext) -> str:
    """The networks of the demo region: bodies and meetings (the events and the knowledge base
    are their apps' demos, loaded after this one)."""
    tally: Counter[str] = Counter()
    network_demo_load(
        actor=context.actor,
        region=context.region,
        organisations=context.organisations,
        tally=tally,
    )
    return (
        f"networks        {Body.objects.filter(region=context.region).count()} bodies, "
        f"{Meeting.objects.filter(body__region=context.region).count()} meetings; "
        f"this run {tally['created']} created, {tally['updated']} updated"
    )
