from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from linli.core.ids import uuid7
from linli.facilities.domain import Circle, FacilityStatus, RunStatus


class LifeCircle(models.Model):
    """A life circle's walking distance; defaults from GB 50180-2018, editable per city."""

    key = models.CharField(_("life circle"), max_length=8, choices=Circle.choices, unique=True)
    walk_distance_m = models.PositiveIntegerField(_("walking distance (m)"))

    class Meta:
        verbose_name = _("life circle")
        verbose_name_plural = _("life circles")
        ordering = ["walk_distance_m"]

    def __str__(self) -> str:
        return self.get_key_display()


class FacilityKind(models.Model):
    """A kind of facility and the life circle it belongs to (editable data, seeded at install from
    data/facility_kinds.csv; the reference mapping is partly unverified)."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=60)
    name_en = models.CharField(_("English name"), max_length=80)
    circle = models.CharField(_("life circle"), max_length=8, choices=Circle.choices, blank=True)
    counts_for_area = models.BooleanField(_("counts towards the community service area"), default=False)
    is_shelter = models.BooleanField(_("emergency shelter"), default=False)
    min_open_hours = models.PositiveSmallIntegerField(_("minimum hours open a day"), default=0)
    reference = models.CharField(_("reference facility"), max_length=120, blank=True)
    sort = models.PositiveSmallIntegerField(default=0)
    is_active = models.BooleanField(_("in use"), default=True)

    class Meta:
        verbose_name = _("facility kind")
        verbose_name_plural = _("facility kinds")
        ordering = ["sort", "code"]

    def __str__(self) -> str:
        return self.name


class Facility(models.Model):
    """A facility at a position (WGS-84), held by the community/village (or street, district)
    whose path it carries; the path is what data scope filters on."""

    public_id = models.UUIDField(default=uuid7, unique=True, editable=False)
    kind = models.ForeignKey(FacilityKind, on_delete=models.PROTECT, related_name="facilities")
    name = models.CharField(_("name"), max_length=100)
    path = models.CharField(_("unit path"), max_length=12, db_index=True)
    address = models.CharField(_("address"), max_length=200, blank=True)
    lat = models.FloatField(_("latitude"))
    lng = models.FloatField(_("longitude"))
    floor_area_m2 = models.DecimalField(_("floor area (m²)"), max_digits=10, decimal_places=2)
    opening_hours = models.CharField(_("opening hours"), max_length=100, blank=True)
    hours_per_day = models.FloatField(_("hours open a day"), null=True, blank=True)
    operator = models.CharField(_("operator"), max_length=100, blank=True)
    capacity = models.PositiveIntegerField(_("capacity"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=16, choices=FacilityStatus.choices, default=FacilityStatus.OPEN)
    note = models.CharField(_("note"), max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("facility")
        verbose_name_plural = _("facilities")
        ordering = ["path", "kind__sort", "name"]
        indexes = [models.Index(fields=["kind", "status"])]
        constraints = [
            models.CheckConstraint(condition=models.Q(floor_area_m2__gt=0), name="facility_area_positive"),
        ]

    def __str__(self) -> str:
        return self.name


class RoadNetwork(models.Model):
    """An imported walking network (nodes and edges as a compressed numpy archive, see
    `roads.RoadData.to_bytes`). The newest is the one analyses use."""

    public_id = models.UUIDField(default=uuid7, unique=True, editable=False)
    name = models.CharField(_("name"), max_length=200)
    source = models.CharField(_("source"), max_length=40)  # osm, geojson, synthetic
    data = models.BinaryField()
    nodes = models.PositiveIntegerField(_("nodes"))
    edges = models.PositiveIntegerField(_("edges"))
    components = models.PositiveIntegerField(_("connected parts"), default=1)
    summary = models.JSONField(_("what was read"), default=dict)  # ways read and skipped, edges dropped
    imported_by = models.CharField(_("imported by"), max_length=150)
    imported_at = models.DateTimeField(_("imported"), auto_now_add=True)

    class Meta:
        verbose_name = _("road network")
        verbose_name_plural = _("road networks")
        ordering = ["-imported_at", "-pk"]

    def __str__(self) -> str:
        return self.name


class AnalysisRun(models.Model):
    """One dated analysis of a scope: parameters, figures (coverage, compliance, suggested sites)
    and each building's walking distances, kept so years can be compared."""

    public_id = models.UUIDField(default=uuid7, unique=True, editable=False)
    scope_path = models.CharField(_("area"), max_length=12, db_index=True)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    owner_name = models.CharField(_("started by"), max_length=150)
    network = models.ForeignKey(RoadNetwork, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    params = models.JSONField(_("parameters"), default=dict)
    status = models.CharField(_("status"), max_length=16, choices=RunStatus.choices, default=RunStatus.QUEUED)
    progress = models.PositiveSmallIntegerField(_("progress (%)"), default=0)
    stage = models.CharField(_("stage"), max_length=100, blank=True)
    figures = models.JSONField(_("figures"), default=dict)
    distances = models.BinaryField(default=b"")  # npz: building ids and distance per kind
    message = models.CharField(_("message"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("started"), auto_now_add=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)

    class Meta:
        verbose_name = _("analysis run")
        verbose_name_plural = _("analysis runs")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.scope_path} {self.created_at:%Y-%m-%d}"
