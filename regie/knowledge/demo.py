"""Demo knowledge base of Welzijn13 in 2020: the practices partners shared and corona rules.

The organisations answering are the fictional ones of the registry demo; the rules paraphrase
the kind of measures work floors had to apply in 2020 and are not quotations of legal texts.
"""

import datetime
from typing import TypedDict

from django.db import transaction

from regie.accounts.models import User
from regie.knowledge import services
from regie.knowledge.models import Practice, Rule
from regie.registry.demo import DemoContext
from regie.registry.models import Organisation, Region


class PracticeRow(TypedDict):
    question: str
    context: str
    tags: str
    answers: list[str]


class RuleRow(TypedDict):
    title: str
    source: str
    effective_from: datetime.date
    summary: str
    translations: dict[str, str]  # FloorType value → the rule on that floor


PRACTICES: list[PracticeRow] = [
    {
        "question": "Hoe gaan jullie om met de coronamaatregelen op de werkvloer?",
        "context": "Vast agendapunt van de AZ-fabriek en de LDE-fabriek sinds maart 2020.",
        "tags": "corona, werkvloer",
        "answers": [
            "Werktafels uit elkaar gezet, plexi tussen de plaatsen en vaste looplijnen.",
            "Handgel aan elke deur en een poetsronde na elke shift.",
        ],
    },
    {
        "question": "Hoe bereiken jullie medewerkers die niet naar de werkplek mogen of durven?",
        "context": "Vraag van het Lerend Netwerk voor Trajectbegeleiders, april 2020.",
        "tags": "corona, bereik, thuiswerk",
        "answers": [
            "Stoepgesprekken: de begeleider belt aan, houdt afstand en praat even aan de deur.",
            "Materiaal voor thuiswerk aan huis gebracht, met een babbeltje bij het afgeven.",
            "Wekelijks telefoontje of videogesprek voor wie dat kan.",
        ],
    },
    {
        "question": "Hoe delen jullie de groepen in shiften in?",
        "context": "Minder mensen tegelijk op de vloer, vaste bubbels.",
        "tags": "corona, shiften, bubbels",
        "answers": [
            "Voormiddag- en namiddagploeg, elke ploeg een vaste bubbel met één begeleider.",
        ],
    },
    {
        "question": "Hoe helpen jullie medewerkers digitaal mee?",
        "context": "Laptops en tablets uitlenen, digitale vaardigheden aanleren.",
        "tags": "digitaal, uitlening",
        "answers": [
            "Tablets uitgeleend met een korte opleiding videobellen in kleine groepjes.",
        ],
    },
]

RULES: list[RuleRow] = [
    {
        "title": "Anderhalve meter afstand op de werkvloer",
        "source": "Federale coronamaatregelen, maart 2020",
        "effective_from": datetime.date(2020, 3, 18),
        "summary": "Houd anderhalve meter afstand tussen personen; waar dat niet kan, "
        "beschermende maatregelen zoals schermen.",
        "translations": {
            "workshop": "Werktafels uit elkaar, plexischermen tussen de plaatsen.",
            "green": "Per twee in een voertuig met de ramen open; gereedschap niet doorgeven.",
            "home_work": "Materiaal aan de voordeur afzetten en afstand houden bij het gesprek.",
        },
    },
    {
        "title": "Mondmasker waar afstand niet mogelijk is",
        "source": "Federale coronamaatregelen, zomer 2020",
        "effective_from": datetime.date(2020, 7, 11),
        "summary": "Een mondmasker is verplicht in gedeelde ruimtes waar de afstand niet "
        "gegarandeerd is.",
        "translations": {
            "kitchen": "Mondmasker bij het bereiden en uitdelen van maaltijden.",
            "shop": "Mondmasker voor medewerkers en klanten in de kringwinkel.",
        },
    },
]


@transaction.atomic
def knowledge_demo_load(*, region: Region, actor: User) -> int:
    """Load the demo practices and rules; returns how many were created (0 on a rerun)."""
    created = 0
    answering: list[Organisation | None] = [
        *Organisation.objects.filter(region=region, kind="work_care")[:3]
    ] or [None]
    for row in PRACTICES:
        if Practice.objects.filter(region=region, question=row["question"]).exists():
            continue
        practice = services.practice_create(
            actor=actor,
            region=region,
            question=row["question"],
            context=row["context"],
            tags=row["tags"],
        )
        for index, text in enumerate(row["answers"]):
            services.practice_answer_add(
                actor=actor,
                practice=practice,
                organisation=answering[index % len(answering)],
                text=text,
            )
        created += 1
    for rule_row in RULES:
        if Rule.objects.filter(region=region, title=rule_row["title"]).exists():
            continue
        rule = services.rule_create(
            actor=actor,
            region=region,
            title=rule_row["title"],
            source=rule_row["source"],
            effective_from=rule_row["effective_from"],
            summary=rule_row["summary"],
        )
        for floor_type, text in rule_row["translations"].items():
            services.rule_translation_set(
                actor=actor, rule=rule, floor_type=floor_type, practice=text
            )
        created += 1
    return created


def demo_load(*, context: DemoContext) -> str:
    """The knowledge base of the demo region: its practices and corona rules."""
    created = knowledge_demo_load(region=context.region, actor=context.actor)
    practices = Practice.objects.filter(region=context.region).count()
    rules = Rule.objects.filter(region=context.region).count()
    return (
        f"knowledge       {practices} practices, {rules} rules; "
        f"this run {created} practices and rules added"
    )
