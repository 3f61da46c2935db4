from django.db import models
from django.utils.translation import gettext_lazy as _

from linli.areas.domain import DepartmentKind, OrgKind, UrbanRural
from linli.core.ids import uuid7


class OrgUnit(models.Model):
    """A unit of the division tree: city, district/county, street/town, community/village."""

    code = models.CharField(_("division code"), max_length=12, unique=True)
    path = models.CharField(_("path"), max_length=12, unique=True)
    name = models.CharField(_("name"), max_length=100, db_index=True)
    kind = models.CharField(_("kind"), max_length=16, choices=OrgKind.choices)
    unit_type = models.CharField(_("unit type"), max_length=32)
    parent = models.ForeignKey("self", on_delete=models.PROTECT, null=True, blank=True, related_name="children")
    depth = models.PositiveSmallIntegerField(_("depth"))
    urban_rural = models.CharField(_("urban or rural"), max_length=8, choices=UrbanRural.choices, blank=True)
    urban_rural_code = models.CharField(_("NBS urban-rural code"), max_length=3, blank=True)
    urban_rural_derived = models.BooleanField(
        _("urban/rural derived from unit type"),
        default=True,
        help_text=_("True when urban/rural was inferred from the unit type, not taken from an NBS code."),
    )
    is_active = models.BooleanField(_("active"), default=True)
    # WGS-84 position of the unit's office or centre; optional (maps, nearest-unit lookup).
    lat = models.FloatField(_("latitude"), null=True, blank=True)
    lng = models.FloatField(_("longitude"), null=True, blank=True)

    class Meta:
        verbose_name = _("org unit")
        verbose_name_plural = _("org units")
        ordering = ["path"]
        indexes = [models.Index(fields=["kind", "path"])]

    def __str__(self) -> str:
        return self.name


class Grid(models.Model):
    """A grid cell (网格) in a community or village; its code extends the community code."""

    code = models.CharField(_("grid code"), max_length=15, unique=True)
    path = models.CharField(_("path"), max_length=15, unique=True)
    name = models.CharField(_("name"), max_length=60)
    community = models.ForeignKey(OrgUnit, on_delete=models.PROTECT, related_name="grids")

    class Meta:
        verbose_name = _("grid")
        verbose_name_plural = _("grids")
        ordering = ["path"]

    def __str__(self) -> str:
        return f"{self.community.name}{self.name}"


class Building(models.Model):
    """A building or courtyard (楼院) in a grid."""

    class Kind(models.TextChoices):
        BUILDING = "building", _("Building")
        COURTYARD = "courtyard", _("Courtyard")

    code = models.CharField(_("building code"), max_length=18, unique=True)
    path = models.CharField(_("path"), max_length=18, unique=True)
    public_id = models.UUIDField(default=uuid7, unique=True, editable=False)
    name = models.CharField(_("name"), max_length=60)
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices, default=Kind.BUILDING)
    address = models.CharField(_("address"), max_length=200, blank=True)
    grid = models.ForeignKey(Grid, on_delete=models.PROTECT, related_name="buildings")
    floors = models.PositiveSmallIntegerField(_("floors"), null=True, blank=True)
    lat = models.FloatField(_("latitude"), null=True, blank=True)  # WGS-84
    lng = models.FloatField(_("longitude"), null=True, blank=True)

    class Meta:
        verbose_name = _("building")
        verbose_name_plural = _("buildings")
        ordering = ["path"]

    def __str__(self) -> str:
        return self.name


class Department(models.Model):
    """A functional department (职能部门) attached to the city or a district."""

    code = models.CharField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=100)
    kind = models.CharField(_("kind"), max_length=32, choices=DepartmentKind.choices)
    org_unit = models.ForeignKey(OrgUnit, on_delete=models.PROTECT, related_name="departments")
    path = models.CharField(_("path"), max_length=12, db_index=True)

    class Meta:
        verbose_name = _("department")
        verbose_name_plural = _("departments")
        ordering = ["path", "kind"]
        constraints = [models.UniqueConstraint(fields=["org_unit", "kind"], name="department_one_kind_per_unit")]

    def __str__(self) -> str:
        return self.name


class Boundary(models.Model):
    """The outline of an org unit, for maps: a GeoJSON Polygon or MultiPolygon in WGS-84.
    Imported outlines are the operator's (`linli import-boundaries`); the demo draws
    approximate ones from building positions (`approximate`), never over an imported one."""

    org_unit = models.OneToOneField(OrgUnit, on_delete=models.CASCADE, related_name="boundary")
    path = models.CharField(_("path"), max_length=12, db_index=True)  # the unit's, for scope and level
    geometry = models.JSONField(_("outline"))  # {"type": "Polygon"|"MultiPolygon", "coordinates": …}
    approximate = models.BooleanField(_("approximate (demo)"), default=False)
    source = models.CharField(_("source"), max_length=120, blank=True)
    # the outline's box, so a map view selects the outlines it crosses with an indexed range query
    south = models.FloatField()
    west = models.FloatField()
    north = models.FloatField()
    east = models.FloatField()
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("boundary")
        verbose_name_plural = _("boundaries")
        ordering = ["path"]
        indexes = [models.Index(fields=["south", "north"]), models.Index(fields=["west", "east"])]

    def __str__(self) -> str:
        return self.path
