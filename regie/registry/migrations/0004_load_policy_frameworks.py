"""Reference data: the policy frameworks of the regie role and their pillars (DOMAIN.md).

2014–2022: Ondersteuningsdecreet of 2012 (decision of 26 October 2012), three tasks.
From 2023: decision of 29 April 2022 on the regie role for social economy and work, four
priorities WSE-LR1 to WSE-LR4.
"""

import datetime

from django.db import migrations

FRAMEWORKS = [
    (
        "OD2012",
        "Ondersteuningsdecreet lokale sociale economie (2014–2022)",
        "Decreet van 2012; besluit van de Vlaamse Regering van 26 oktober 2012",
        datetime.date(2014, 1, 1),
        datetime.date(2022, 12, 31),
        [
            ("OD-1", "Lokale sociale economie versterken en uitbouwen", "Lokale SE versterken",
             "De lokale sociale economie in kaart brengen, lokale diensten opstarten, sociale "
             "clausules in overheidsopdrachten."),
            ("OD-2", "Inzetten op een netwerkgebeuren op het grondgebied", "Netwerkgebeuren",
             "Netwerken van sociale-economieorganisaties, lokale besturen en partners."),
            ("OD-3", "Maatschappelijk verantwoord ondernemen bevorderen", "MVO",
             "Maatschappelijk verantwoord ondernemen (MVO) promoten."),
        ],
    ),
    (
        "WSE2023",
        "Regierol sociale economie en werk (vanaf 2023)",
        "Besluit van de Vlaamse Regering van 29 april 2022",
        datetime.date(2023, 1, 1),
        None,
        [
            ("WSE-LR1", "Opnemen van de regierol", "Regierol opnemen", ""),
            ("WSE-LR2", "Tewerkstelling van personen met een grote afstand tot de arbeidsmarkt",
             "Tewerkstelling doelgroep", ""),
            ("WSE-LR3", "(Sociaal) ondernemerschap en maatschappelijk verantwoord ondernemen",
             "Ondernemerschap en MVO", ""),
            ("WSE-LR4", "Partnerschap met VDAB", "Partnerschap VDAB", ""),
        ],
    ),
]


def load(apps, schema_editor):
    Framework = apps.get_model("registry", "PolicyFramework")
    Pillar = apps.get_model("registry", "Pillar")
    for code, name, basis, start, end, pillars in FRAMEWORKS:
        framework, _ = Framework.objects.update_or_create(
            code=code,
            defaults={"name": name, "legal_basis": basis, "valid_from": start, "valid_until": end},
        )
        for order, (pillar_code, pillar_name, short, text) in enumerate(pillars):
            Pillar.objects.update_or_create(
                code=pillar_code,
                defaults={
                    "framework": framework,
                    "name": pillar_name,
                    "short_name": short,
                    "description": text,
                    "sort_order": order,
                },
            )


def unload(apps, schema_editor):
    apps.get_model("registry", "Pillar").objects.all().delete()
    apps.get_model("registry", "PolicyFramework").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("registry", "0003_policy_frameworks")]

    operations = [migrations.RunPython(load, unload)]
