"""Writes of the facility registry: facilities (validated, converted to WGS-84, audited), the
city's kinds and life-circle distances, road networks, and analysis runs (queued here, run by
`facility_analysis_run` in a worker: coverage per kind and circle, area and shelter compliance,
short opening hours and suggested sites, stored as figures plus each building's distances)."""

from __future__ import annotations

import io
import time
import uuid
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

import numpy as np
from django.db import transaction
from django.utils import timezone

from linli.accounts.domain import FACILITY_ANALYSE, FACILITY_EDIT
from linli.areas.selectors import (
    city_bounds,
    community_nearest,
    grid_at,
    inside_city,
    org_unit_by_path,
    org_unit_list,
)
from linli.core.actor import Actor
from linli.core.errors import DomainError, FieldError, Msg, field_error, not_found, permission_denied, validation_failed
from linli.core.geo import gcj02_to_wgs84, valid_lat_lng
from linli.core.services import audit_record
from linli.facilities import coverage as engine
from linli.facilities import roads, siting
from linli.facilities.domain import (
    CARE_KINDS,
    HEALTH_KINDS,
    NEXT_TO_M,
    Circle,
    CoordinateSystem,
    FacilityStatus,
    HoursError,
    RunStatus,
    hours_per_day,
)
from linli.facilities.models import AnalysisRun, Facility, FacilityKind, LifeCircle, RoadNetwork
from linli.facilities.selectors import (
    analysis_inputs,
    candidate_site_count,
    circle_distances,
    compliance_rows,
    kind_by_code,
    kinds_editable,
    network_current,
    open_positions,
    shelter_rows,
    short_hours_rows,
)

UNIT_PATH_LENGTHS = (6, 9, 12)  # a facility belongs to a district, a street or a community/village
MAX_SITES = 50
MAX_CANDIDATES = 1500  # network nodes offered to the solver when no candidate sites are registered
CANDIDATE_SOURCES = ("network", "registered")


# ---- the registry ---------------------------------------------------------------------------


@dataclass
class FacilityInput:
    kind: str
    name: str
    unit: str  # path or 12-digit division code of the community/village, street or district
    lat: float | str | None
    lng: float | str | None
    floor_area_m2: Decimal | str | float | None
    opening_hours: str = ""
    operator: str = ""
    capacity: int | str | None = None
    address: str = ""
    status: str = FacilityStatus.OPEN
    note: str = ""
    coordinates: str = CoordinateSystem.WGS84


def facility_check(actor: Actor, data: FacilityInput) -> tuple[dict, list[FieldError]]:
    """The facility's fields as stored, or every field error (named, in Chinese and English)."""
    errors: list[FieldError] = []
    values: dict = {}
    kind = kind_by_code(str(data.kind or "").strip())
    if kind is None:
        errors.append(field_error("kind", "设施类型不存在或已停用", "unknown or retired facility kind"))
    values["kind"] = kind
    name = str(data.name or "").strip()
    if not name or len(name) > 100:
        errors.append(field_error("name", "名称必填，最多100字", "the name is required, at most 100 characters"))
    values["name"] = name
    values["lat"], values["lng"] = _position(data, errors)
    values["path"] = _unit_path(actor, str(data.unit or "").strip(), errors, values["lat"], values["lng"])
    values["floor_area_m2"] = _area(data.floor_area_m2, errors)
    values["opening_hours"] = str(data.opening_hours or "").strip()[:100]
    try:
        values["hours_per_day"] = hours_per_day(values["opening_hours"])
    except HoursError as exc:
        errors.append(
            field_error(
                "opening_hours",
                f"开放时间“{exc}”无法识别，请写成 08:30-11:30,13:30-17:30 或 24小时",
                f"opening hours '{exc}' not understood; write 08:30-11:30,13:30-17:30 or 24h",
            )
        )
    values["capacity"] = _capacity(data.capacity, errors)
    status = str(data.status or FacilityStatus.OPEN).strip()
    if status not in FacilityStatus.values:
        errors.append(field_error("status", "状态无效", "invalid status"))
    values["status"] = status
    values["operator"] = str(data.operator or "").strip()[:100]
    values["address"] = str(data.address or "").strip()[:200]
    values["note"] = str(data.note or "").strip()[:300]
    return values, errors


def _unit_path(actor: Actor, unit: str, errors: list[FieldError], lat, lng) -> str:
    """The unit named (its path or its 12-digit division code); none named: the community or
    village of the nearest building within 300 m, else of the nearest community centre."""
    if not unit and lat is not None:
        grid = grid_at(lat=lat, lng=lng)
        nearest = community_nearest(lat=lat, lng=lng) if grid is None else None
        unit = grid.path[:12] if grid else nearest.path if nearest else ""
    found = org_unit_by_path(unit) if len(unit) in UNIT_PATH_LENGTHS else None
    if found is None and len(unit) == 12:  # a street's or district's division code
        found = org_unit_list(actor=actor).filter(code=unit).first()
    if found is None or len(found.path) not in UNIT_PATH_LENGTHS or not actor.sees_path(found.path):
        errors.append(
            field_error("unit", "所属社区/村、街道或区县不存在或不在您的辖区", "unit not found or outside your area")
        )
        return unit
    return found.path


def _position(data: FacilityInput, errors: list[FieldError]) -> tuple[float | None, float | None]:
    try:
        lat, lng = float(data.lat), float(data.lng)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        errors.append(field_error("lat", "经纬度必填且须为数字", "latitude and longitude are required numbers"))
        return None, None
    if data.coordinates == CoordinateSystem.GCJ02:
        lat, lng = gcj02_to_wgs84(lat, lng)
    elif data.coordinates not in CoordinateSystem.values:
        errors.append(field_error("coordinates", "坐标系应为 wgs84 或 gcj02", "coordinates must be wgs84 or gcj02"))
    if not valid_lat_lng(lat, lng) or not inside_city(lat, lng):
        errors.append(field_error("lat", "位置不在本市范围内", "the position lies outside the city"))
        return None, None  # nothing below may measure from it (1e246 overflowed the nearest-building search)
    return round(lat, 7), round(lng, 7)


def _area(value, errors: list[FieldError]) -> Decimal | None:
    try:
        area = Decimal(str(value).strip()) if value not in (None, "") else None
    except InvalidOperation:
        area = None
    if area is None or not area.is_finite() or area <= 0 or area >= Decimal("1e8"):
        errors.append(
            field_error(
                "floor_area_m2", "建筑面积必填，须为正数（平方米）", "floor area is required, a positive number (m²)"
            )
        )
        return None
    return area.quantize(Decimal("0.01"))


def _capacity(value, errors: list[FieldError]) -> int | None:
    if value in (None, ""):
        return None
    try:
        capacity = int(Decimal(str(value).strip()))
    except (InvalidOperation, ValueError):
        capacity = -1
    if capacity < 0:
        errors.append(field_error("capacity", "容量须为非负整数", "capacity must be a whole number ≥ 0"))
        return None
    return capacity


def facility_save(*, actor: Actor, data: FacilityInput, public_id=None) -> Facility:
    """Create (no public_id) or update a facility of the actor's area; nothing is saved with an error."""
    if not actor.has_perm(FACILITY_EDIT):
        raise permission_denied()
    values, errors = facility_check(actor, data)
    if errors:
        raise validation_failed(errors)
    with transaction.atomic():
        if public_id is None:
            facility = Facility.objects.create(**values)
            action = "facility.create"
        else:
            found = actor.scoped(Facility.objects.select_for_update()).filter(public_id=_uuid(public_id)).first()
            if found is None:
                raise not_found("设施", "Facility")
            facility = found
            for name, value in values.items():
                setattr(facility, name, value)
            facility.save()
            action = "facility.update"
        audit_record(
            actor=actor,
            action=action,
            object_type="facility",
            object_id=str(facility.public_id),
            org_path=facility.path,
            details={"kind": facility.kind.code, "name": facility.name, "status": facility.status},
        )
    return facility


def _uuid(value) -> uuid.UUID:
    try:
        return uuid.UUID(str(value))
    except ValueError:
        raise not_found("设施", "Facility") from None


# ---- kinds and life circles (city data) -------------------------------------------------------


@dataclass
class KindInput:
    name: str
    name_en: str
    circle: str
    counts_for_area: bool
    is_shelter: bool
    min_open_hours: int
    is_active: bool = True


def _require_city_editor(actor: Actor) -> None:
    if not kinds_editable(actor):
        raise permission_denied()


def kind_save(*, actor: Actor, code: str, data: KindInput) -> FacilityKind:
    _require_city_editor(actor)
    errors = []
    if not data.name.strip() or not data.name_en.strip():
        errors.append(field_error("name", "中英文名称必填", "both names are required"))
    if data.circle and data.circle not in Circle.values:
        errors.append(field_error("circle", "生活圈无效", "invalid life circle"))
    if not 0 <= int(data.min_open_hours) <= 24:
        errors.append(field_error("min_open_hours", "开放时长应在0到24小时之间", "hours must be between 0 and 24"))
    if errors:
        raise validation_failed(errors)
    with transaction.atomic():
        kind = FacilityKind.objects.select_for_update().filter(code=code).first()
        if kind is None:
            raise not_found("设施类型", "Facility kind")
        kind.name, kind.name_en, kind.circle = data.name.strip(), data.name_en.strip(), data.circle
        kind.counts_for_area, kind.is_shelter, kind.is_active = data.counts_for_area, data.is_shelter, data.is_active
        kind.min_open_hours = int(data.min_open_hours)
        kind.save()
        audit_record(actor=actor, action="facility.kind_edit", object_type="facility_kind", object_id=code)
    return kind


def circle_distance_set(*, actor: Actor, key: str, walk_distance_m: int) -> LifeCircle:
    _require_city_editor(actor)
    if key not in Circle.values:
        raise not_found("生活圈", "Life circle")
    if not 50 <= int(walk_distance_m) <= 5000:
        raise validation_failed(
            [field_error("walk_distance_m", "步行距离应在50到5000米之间", "between 50 and 5,000 m")]
        )
    circle, _ = LifeCircle.objects.update_or_create(key=key, defaults={"walk_distance_m": int(walk_distance_m)})
    audit_record(
        actor=actor,
        action="facility.circle_edit",
        object_type="life_circle",
        object_id=key,
        details={"walk_distance_m": int(walk_distance_m)},
    )
    return circle


# ---- road networks ----------------------------------------------------------------------------


def roads_import(*, actor: Actor, path: Path, gcj02: bool = False, name: str = "") -> RoadNetwork:
    """Read an OSM (.osm.pbf/.osm) or GeoJSON road file and make it the network analyses use."""
    try:
        data = roads.read_road_file(path, gcj02=gcj02, bounds=city_bounds(), max_segment_m=roads.MAX_SEGMENT_M)
    except roads.RoadFileError as exc:
        raise DomainError(Msg(exc.zh, exc.en), code="bad_road_file") from exc
    return roads_store(actor=actor, data=data, name=name or Path(path).name, source=data.source)


def roads_store(*, actor: Actor, data: roads.RoadData, name: str, source: str) -> RoadNetwork:
    network = RoadNetwork.objects.create(
        name=name[:200],
        source=source,
        data=data.to_bytes(),
        nodes=data.nodes,
        edges=data.edges,
        components=data.components,
        summary=data.summary(),
        imported_by=actor.shown_name,
    )
    audit_record(
        actor=actor,
        action="facility.roads_import",
        object_type="road_network",
        object_id=str(network.public_id),
        details={"name": network.name, "nodes": network.nodes, "edges": network.edges},
    )
    return network


# ---- analysis runs ----------------------------------------------------------------------------


@dataclass
class RunInput:
    scope_path: str = ""  # empty: the actor's own area
    site_kind: str = ""  # the kind to suggest new sites for; empty: no siting
    sites: int = 10  # K
    candidates: str = "network"  # "network": nodes near the uncovered; "registered": candidate sites


def analysis_start(*, actor: Actor, data: RunInput) -> AnalysisRun:
    """Record a dated analysis of an area, queued; `tasks.analysis_queue` hands it to the worker
    after the commit, which runs `facility_analysis_run`."""
    if not actor.has_perm(FACILITY_ANALYSE) or not actor.scope_paths:
        raise permission_denied()
    scope = data.scope_path.strip() or actor.scope_paths[0]
    errors = []
    if org_unit_by_path(scope) is None or not actor.sees_path(scope):
        errors.append(field_error("scope_path", "分析范围不存在或不在您的辖区", "area not found or outside yours"))
    kind = kind_by_code(data.site_kind) if data.site_kind else None
    if data.site_kind and (kind is None or not kind.circle):
        errors.append(
            field_error("site_kind", "选址的设施类型须属于某个生活圈", "the kind to site must belong to a life circle")
        )
    if not 1 <= int(data.sites) <= MAX_SITES:
        errors.append(
            field_error("sites", f"新增站点数 K 应在1到{MAX_SITES}之间", f"K must be between 1 and {MAX_SITES}")
        )
    if data.candidates not in CANDIDATE_SOURCES:
        errors.append(field_error("candidates", "候选点来源无效", "invalid candidate source"))
    elif data.candidates == "registered" and kind is not None:
        registered = candidate_site_count(kind=kind.code, scope_path=scope)
        if registered == 0:
            errors.append(
                field_error(
                    "candidates",
                    "该范围内没有这类设施的已登记备选址：请改选“未覆盖居民附近的路口”",
                    "No registered candidate sites of this kind in the area: choose street corners instead",
                )
            )
        elif int(data.sites) > registered:
            errors.append(
                field_error(
                    "sites",
                    f"新增站点数 K={data.sites} 大于已登记的备选址数 {registered}，请改为 {registered} 或更少",
                    f"Number of new sites K={data.sites} is larger than the {registered} registered candidate"
                    f" sites: choose {registered} or fewer",
                )
            )
    network = network_current()
    if network is None:
        errors.append(
            field_error(
                "network", "尚未导入路网：请先运行 linli import-roads", "no road network: run linli import-roads"
            )
        )
    if errors:
        raise validation_failed(errors)
    params = {
        "site_kind": data.site_kind,
        "sites": int(data.sites),
        "candidates": data.candidates,
        "circles": circle_distances(),
    }
    with transaction.atomic():
        run = AnalysisRun.objects.create(
            scope_path=scope, owner_id=actor.user_id, owner_name=actor.shown_name, network=network, params=params
        )
        audit_record(
            actor=actor,
            action="facility.analysis_start",
            object_type="analysis_run",
            object_id=str(run.public_id),
            org_path=scope,
            details=params,
        )
    return run


def facility_analysis_run(*, run_id: int) -> AnalysisRun:
    """Run a queued analysis (safe to run twice: a run that is not queued is left alone)."""
    claimed = AnalysisRun.objects.filter(pk=run_id, status=RunStatus.QUEUED).update(
        status=RunStatus.RUNNING, stage="loading", progress=1
    )
    run = AnalysisRun.objects.get(pk=run_id)
    if not claimed:
        return run
    try:
        figures, distances = _analyse(run, progress=lambda p, stage: _progress(run_id, p, stage))
    except DomainError as exc:  # the input cannot be analysed (e.g. the road network is gone): told on the run
        _fail(run_id, exc.message)
        return AnalysisRun.objects.get(pk=run_id)
    except Exception:
        _fail(run_id, Msg("分析中断，请联系管理员", "The analysis failed: please tell the administrator"))
        raise
    _finish(run_id, status=RunStatus.DONE, progress=100, stage="done", figures=figures, distances=distances)
    return AnalysisRun.objects.get(pk=run_id)


def analysis_abandoned(*, run_id: int, attempts: int, final: bool) -> bool:
    """The worker running this analysis died (`core.services.tasks_recover`). A run it left
    "running" goes back to the queue, cleared, for the retry; when no retry is left it is marked
    failed with the reason, and its page offers a new run. False: do not retry."""
    run = AnalysisRun.objects.filter(pk=run_id, status=RunStatus.RUNNING)
    if final:
        _fail_where(
            run,
            Msg(
                f"处理该分析的后台进程中断（已尝试 {attempts} 次），分析未完成：请重新运行",
                f"The worker running this analysis stopped (tried {attempts} times): please run it again",
            ),
        )
        return False
    # the figures are written in one update at the end, so a killed run has none; cleared anyway
    run.update(status=RunStatus.QUEUED, progress=0, stage="", figures={}, distances=b"", message="")
    return True


def _fail(run_id: int, message: Msg) -> None:
    _fail_where(AnalysisRun.objects.filter(pk=run_id), message)


def _fail_where(runs, message: Msg) -> None:
    """`message` keeps both languages for logs and the API; the page shows `figures.error` in its
    own language (`run_failure`)."""
    runs.update(
        finished_at=timezone.now(),
        status=RunStatus.FAILED,
        message=message.both()[:500],
        figures={"error": {"zh": message.zh, "en": message.en}},
        distances=b"",
    )


def _progress(run_id: int, progress: int, stage: str) -> None:
    AnalysisRun.objects.filter(pk=run_id).update(progress=progress, stage=stage)


def _finish(run_id: int, **changes) -> None:
    AnalysisRun.objects.filter(pk=run_id).update(finished_at=timezone.now(), **changes)


def _analyse(run: AnalysisRun, progress) -> tuple[dict, bytes]:
    started = time.perf_counter()
    if run.network is None:
        raise DomainError(Msg("路网已删除", "the road network is gone"), code="no_network")
    network = roads.RoadData.from_bytes(bytes(run.network.data)).network()
    inputs = analysis_inputs(scope_path=run.scope_path)
    circles = run.params["circles"]
    distances_m = sorted(set(circles.values()))
    progress(10, "coverage")
    buildings = engine.Buildings(
        inputs.building_lat, inputs.building_lng, inputs.building_residents, inputs.building_unit
    )
    results = engine.coverage(
        network,
        buildings,
        inputs.facility_positions,
        distances_m,
        on_kind=lambda done, total: progress(10 + 60 * done // max(total, 1), "coverage"),
    )
    coverage_figures = {
        code: _kind_figures(result, circles[inputs.kind_circle[code]], inputs.total_residents)
        for code, result in results.items()
    }
    progress(70, "compliance")
    figures = {
        "residents": inputs.total_residents,
        "buildings": len(inputs.building_ids),
        "facilities": inputs.facility_counts,
        "network": {"name": run.network.name, "nodes": network.size},
        "coverage": coverage_figures,
        "compliance": [row.as_json() for row in compliance_rows(scope_path=run.scope_path)],
        "shelters": [row.as_json() for row in shelter_rows(scope_path=run.scope_path)],
        "short_hours": len(short_hours_rows(scope_path=run.scope_path)),
        "care_next_to_health": _care_next_to_health(network, run.scope_path),
    }
    site_kind = run.params.get("site_kind")
    if site_kind:
        progress(80, "siting")
        figures["siting"] = _siting(network, inputs, results.get(site_kind), circles, site_kind, run)
    figures["seconds"] = round(time.perf_counter() - started, 2)
    progress(95, "saving")
    return figures, _distances_blob(inputs.building_ids, inputs.building_residents, results)


def _care_next_to_health(network, scope_path: str) -> dict:
    """Elderly-care facilities of the area with a health facility (anywhere) within NEXT_TO_M on
    foot: one multi-source search from the health facilities."""
    care_lat, care_lng = open_positions(kinds=CARE_KINDS, scope_path=scope_path)
    health_lat, health_lng = open_positions(kinds=HEALTH_KINDS)
    near = 0
    if len(care_lat) and len(health_lat):
        health_nodes, _ = network.snap(health_lat, health_lng)
        care_nodes, offset = network.snap(care_lat, care_lng)
        walk = engine.nearest_distances(network, health_nodes, NEXT_TO_M)[care_nodes] + offset
        near = int((walk <= NEXT_TO_M).sum())
    return {"within_m": NEXT_TO_M, "facilities": len(care_lat), "next_to_health": near}


def _kind_figures(result: engine.KindCoverage, circle_m: int, total: int) -> dict:
    covered = {str(int(d)): n for d, n in result.covered_residents.items()}
    by_unit = {unit: list(pair) for unit, pair in result.by_community[float(circle_m)].items()}
    return {"circle_m": circle_m, "covered": covered, "residents": total, "by_unit": by_unit}


def _siting(network, inputs, result, circles, site_kind: str, run: AnalysisRun) -> dict:
    """Demand: the buildings beyond the kind's walking distance, weighted by residents. Candidates:
    the registered candidate sites of the kind in the area, or network nodes near the demand
    (thinned to one per cell of half the walking distance, the heaviest first)."""
    within = circles[inputs.kind_circle[site_kind]]
    walk = result.distance_m if result is not None else np.full(len(inputs.building_ids), np.inf)
    uncovered = (walk > within) & (inputs.building_residents > 0)
    weights = inputs.building_residents[uncovered].astype(float)
    node, offset = network.snap(inputs.building_lat[uncovered], inputs.building_lng[uncovered])
    source = run.params.get("candidates", "network")
    if source == "registered":
        registered = inputs.candidates.get(site_kind, ([], []))
        cand_nodes, _ = network.snap(np.asarray(registered[0]), np.asarray(registered[1]))
    else:
        cand_nodes = _candidate_nodes(network, node, weights, within / 2)
    k = int(run.params["sites"])
    figure = {
        "kind": site_kind,
        "within_m": within,
        "k": k,
        "candidates": len(cand_nodes),
        "candidate_source": source,
        "demand_points": len(weights),
        "uncovered_residents": int(weights.sum()),
        "sites": [],
    }
    if len(weights) == 0 or len(cand_nodes) == 0:
        figure["method"] = "none"
        return figure
    if k > len(cand_nodes) and source == "registered":  # refused when started; fewer since then
        raise DomainError(
            Msg(
                f"新增站点数 K={k} 大于已登记的备选址数 {len(cand_nodes)}",
                f"Number of new sites K={k} is larger than the {len(cand_nodes)} registered candidate sites",
            ),
            code="k_too_large",
        )
    if k > len(cand_nodes):  # street corners: how many there are is known only now; suggest them all
        k = figure["k"] = len(cand_nodes)
        figure["k_asked"] = int(run.params["sites"])
    reach = siting.candidate_reach(network, cand_nodes, node, offset, within)
    solved = siting.maximal_covering(weights, reach, k)
    column_weight = reach.T.tocsr() @ weights
    figure.update(
        method=solved.method,
        gap=solved.gap,
        upper_bound=solved.upper_bound,
        newly_covered=int(solved.covered_weight),
        sites=[
            {
                "lat": round(float(network.lat[cand_nodes[j]]), 6),
                "lng": round(float(network.lng[cand_nodes[j]]), 6),
                "reach": int(column_weight[j]),
            }
            for j in solved.chosen
        ],
    )
    return figure


def _candidate_nodes(network, demand_nodes: np.ndarray, weights: np.ndarray, cell_m: float) -> np.ndarray:
    nodes, inverse = np.unique(demand_nodes, return_inverse=True)
    weight = np.bincount(inverse, weights=weights)
    xy = engine.local_metres(network.lat[nodes], network.lng[nodes], network.origin_lat)
    cells = np.floor(xy / max(cell_m, 1.0)).astype(np.int64)
    order = np.argsort(-weight, kind="stable")
    _, first = np.unique(cells[order], axis=0, return_index=True)
    kept = order[first]
    kept = kept[np.argsort(-weight[kept], kind="stable")][:MAX_CANDIDATES]
    return nodes[np.sort(kept)]


def _distances_blob(building_ids: np.ndarray, residents: np.ndarray, results: dict[str, engine.KindCoverage]) -> bytes:
    buffer = io.BytesIO()
    # typed loosely: numpy's stub reads any ** keyword as possibly its own `allow_pickle`
    arrays: dict[str, Any] = {f"kind:{code}": r.distance_m.astype(np.float32) for code, r in results.items()}
    np.savez_compressed(
        buffer, building_ids=building_ids.astype(np.int64), residents=residents.astype(np.int32), **arrays
    )
    return buffer.getvalue()
