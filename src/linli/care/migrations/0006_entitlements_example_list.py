"""The example elderly-care service list (data/elderly_service_list.yaml) as version 1, published
and in force from 2023-01-01, loaded only when no list exists: a fresh install and the tests have
a list to order from; the city replaces it by publishing a new version."""

from decimal import Decimal

from django.db import migrations
from django.utils import timezone


def load_example_list(apps, schema_editor):
    from linli.care.domain.entitlements import shipped_list

    ServiceList = apps.get_model("care", "ServiceList")
    ServiceItem = apps.get_model("care", "ServiceItem")
    if ServiceList.objects.exists():
        return
    data = shipped_list()
    service_list = ServiceList.objects.create(
        version=int(data["version"]),
        title=data["title"],
        effective_from=data["effective_from"],
        published_at=timezone.now(),
        published_by_name="系统",
        document=data.get("document") or "",
        note=data["note"],
    )
    ServiceItem.objects.bulk_create(
        ServiceItem(
            service_list=service_list,
            code=item["code"],
            name=item["name"],
            name_en=item["name_en"],
            category=item["category"],
            unit=item["unit"],
            unit_en=item["unit_en"],
            unit_price=Decimal(str(item["unit_price"])),
            duration_minutes=int(item.get("duration_minutes", 60)),
            monthly_cap=int(item.get("monthly_cap", 0)),
            conditions=item.get("conditions") or [],
            own_cost_allowed=bool(item.get("own_cost_allowed")),
            needs_photo=bool(item.get("needs_photo")),
            for_beds=bool(item.get("for_beds")),
            order=n,
        )
        for n, item in enumerate(data["items"], start=1)
    )


class Migration(migrations.Migration):
    dependencies = [
        ("care", "0005_classes_tables"),
    ]

    operations = [migrations.RunPython(load_example_list, migrations.RunPython.noop)]
