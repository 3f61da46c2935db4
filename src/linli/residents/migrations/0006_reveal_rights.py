# The reveal-rights table (decision 0012), seeded with the minimum-necessity defaults.

from django.db import migrations, models

# Copied, not imported: a migration must keep meaning what it meant when it was written.
DEFAULT_REVEAL_RIGHTS = [
    ("grid_worker", "id_number"),
    ("grid_worker", "phone"),
    ("grid_worker", "notes"),
    ("community_worker", "id_number"),
    ("community_worker", "phone"),
    ("community_worker", "notes"),
    ("street_officer", "id_number"),
    ("street_officer", "phone"),
]
ROLES = [
    ("resident", "Resident"),
    ("grid_worker", "Grid worker"),
    ("community_worker", "Community worker"),
    ("street_officer", "Street officer"),
    ("department_officer", "Department officer"),
    ("district_admin", "District administrator"),
    ("city_admin", "City administrator"),
    ("auditor", "Auditor"),
    ("operator", "Operator"),
    ("planner", "Facility planner"),
]
SEALED = [("id_number", "ID number"), ("phone", "Phone"), ("notes", "Notes")]


def seed_defaults(apps, schema_editor):
    RevealRight = apps.get_model("residents", "RevealRight")
    RevealRight.objects.bulk_create(
        [RevealRight(role=role, field_name=field_name) for role, field_name in DEFAULT_REVEAL_RIGHTS],
        ignore_conflicts=True,
    )


class Migration(migrations.Migration):
    dependencies = [
        ("residents", "0005_residence_change_reason"),
    ]

    operations = [
        migrations.CreateModel(
            name="RevealRight",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("role", models.CharField(choices=ROLES, max_length=32, verbose_name="role")),
                ("field_name", models.CharField(choices=SEALED, max_length=20, verbose_name="field")),
            ],
            options={
                "verbose_name": "reveal right",
                "verbose_name_plural": "reveal rights",
                "ordering": ["role", "field_name"],
                "constraints": [
                    models.UniqueConstraint(fields=("role", "field_name"), name="reveal_right_once"),
                    models.CheckConstraint(
                        condition=models.Q(("field_name__in", ["id_number", "phone", "notes"])),
                        name="reveal_right_sealed_field",
                    ),
                ],
            },
        ),
        migrations.RunPython(seed_defaults, migrations.RunPython.noop),
    ]
