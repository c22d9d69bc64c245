"""Reference data: the social-economy measures of Flanders and the dates they accept entrants.

Source: DOMAIN.md (socialeeconomie.be, VDAB, codex Vlaanderen). A measure's valid_until is the
last day a new recognition or trajectory step may start under it.
"""

import datetime

from django.db import migrations

MEASURES = [
    # code, name, valid_from, valid_until, max months, max months by exception, description
    ("CMW", "Collectief maatwerk (maatwerkbedrijf)", datetime.date(2019, 1, 1), None, None, None,
     "Werknemers met een arbeidsbeperking; loonpremie 40–75 %; begeleidingsnood laag/middel/hoog "
     "met streefratio's 1/13, 1/10, 1/7."),
    ("MWA", "Maatwerkafdeling", datetime.date(2019, 1, 1), datetime.date(2023, 6, 30), None, None,
     "Afdeling van een reguliere onderneming met minstens 5 VTE."),
    ("LDE", "Lokale diensteneconomie", datetime.date(2015, 4, 1), datetime.date(2023, 6, 30), 60, 72,
     "Langdurig werklozen; traject van maximaal 5 jaar (6 bij uitzondering), afgesloten met een "
     "stage bij een reguliere werkgever."),
    ("AZ", "Arbeidszorg", None, datetime.date(2021, 3, 31), None, None,
     "Onbetaald; de cliënt behoudt zijn uitkering."),
    ("AMA", "Arbeidsmatige activiteiten in de sociale economie", datetime.date(2021, 4, 1), None,
     None, None,
     "Opvolger van arbeidszorg; onbetaald, minstens 12 uur per week, geleidelijk opgebouwd; VDAB "
     "beslist over de toegang en herbekijkt minstens jaarlijks."),
    ("SINE", "Sociale inschakelingseconomie", None, datetime.date(2023, 6, 30), None, None,
     "Zeer moeilijk bemiddelbare werklozen zonder diploma hoger secundair onderwijs; de werkgever "
     "krijgt een geactiveerde uitkering."),
    ("IMW", "Individueel maatwerk", datetime.date(2023, 7, 1), None, 60, None,
     "Bij elke werkgever; loonpremie 20–75 %, dalend over 5 jaar, plus een ondersteuningspremie."),
    ("WW", "Wijk-werken", datetime.date(2018, 1, 1), None, 12, None,
     "Maximaal 60 uur per maand en 630 uur per jaar, maximaal 12 maanden."),
    ("REG", "Reguliere job zonder ondersteuning", None, None, None, None,
     "Het doel van doorstroom."),
]


def load(apps, schema_editor):
    Measure = apps.get_model("registry", "Measure")
    for order, (code, name, start, end, months, exception, text) in enumerate(MEASURES):
        Measure.objects.update_or_create(
            code=code,
            defaults={
                "name": name,
                "valid_from": start,
                "valid_until": end,
                "max_duration_months": months,
                "max_duration_exception_months": exception,
                "description": text,
                "sort_order": order,
            },
        )


def unload(apps, schema_editor):
    apps.get_model("registry", "Measure").objects.filter(
        code__in=[row[0] for row in MEASURES]
    ).delete()


class Migration(migrations.Migration):
    dependencies = [("registry", "0001_initial")]

    operations = [migrations.RunPython(load, unload)]
