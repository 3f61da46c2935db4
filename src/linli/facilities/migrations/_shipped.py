"""The shipped facility kinds and the GB 50180-2018 walking distances, loaded by migrations 0002
and 0004. Known codes are kept as the city edited them; running again changes nothing."""

import csv
from pathlib import Path

KINDS = Path(__file__).resolve().parents[1] / "data" / "facility_kinds.csv"
CIRCLES = {"5min": 300, "10min": 500, "15min": 1000}


def load(apps, schema_editor):
    FacilityKind = apps.get_model("facilities", "FacilityKind")
    LifeCircle = apps.get_model("facilities", "LifeCircle")
    with KINDS.open(encoding="utf-8") as handle:
        for sort, row in enumerate(csv.DictReader(handle)):
            FacilityKind.objects.get_or_create(
                code=row["code"],
                defaults={
                    "name": row["name"],
                    "name_en": row["name_en"],
                    "circle": row["circle"],
                    "counts_for_area": row["counts_for_area"] == "1",
                    "is_shelter": row["is_shelter"] == "1",
                    "min_open_hours": int(row["min_open_hours"]),
                    "reference": row["reference"],
                    "sort": sort,
                },
            )
    for key, metres in CIRCLES.items():
        LifeCircle.objects.get_or_create(key=key, defaults={"walk_distance_m": metres})
