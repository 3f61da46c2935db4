"""Road files, with no Django: read a walking network from OpenStreetMap (PBF or XML, optionally
gzip/bzip2-compressed) or GeoJSON, or make a synthetic one for demo cities, and store it as one
compressed numpy archive (`RoadData.to_bytes`) that `coverage.RoadNetwork` is built from.

- The file's content decides its format, never its name: a `.osm` holding GeoJSON is read as
  GeoJSON, a CSV or a PNG renamed `.osm` is refused. Every refusal is a `RoadFileError` whose
  message is "中文 / English" and names the line, feature or way and the reason.
- Ways are split at every vertex into straight segments; a segment's length is the haversine
  distance between its ends (within 0.1 % of `coverage.local_metres` inside a city). Nodes shared
  between ways are merged by OSM node id (OSM) or by identical coordinates rounded to 7 decimals,
  about 1 cm (GeoJSON). Repeated segments are kept once; nodes used by no segment are dropped.
- All connected parts are kept (a network clipped to a city box is rarely one piece); their
  number is reported in `RoadData.components`.
"""

from __future__ import annotations

import bz2
import gzip
import io
import json
import math
import os
import re
import zipfile
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np
import osmium
import osmium.filter
from scipy.sparse import coo_matrix
from scipy.sparse.csgraph import connected_components
from scipy.spatial import cKDTree

from linli.core.geo import gcj02_to_wgs84
from linli.facilities.coverage import EARTH_RADIUS_M, RoadNetwork

FORMAT = "linli-roads"
FORMAT_VERSION = 1
COORDINATE_DECIMALS = 7  # GeoJSON vertices closer than this (about 1 cm) are one node

# OSM `highway` values a pedestrian may walk along. Motorways are not walkable; trunk roads are
# (in Chinese cities they are often ordinary boulevards with pavements) unless tagged
# `motorroad=yes` or `foot=no`.
WALKABLE_HIGHWAYS = frozenset(
    {
        "footway",
        "path",
        "pedestrian",
        "living_street",
        "residential",
        "service",
        "unclassified",
        "tertiary",
        "tertiary_link",
        "secondary",
        "secondary_link",
        "primary",
        "primary_link",
        "trunk",
        "trunk_link",
        "steps",
        "track",
        "cycleway",
    }
)
FOOT_ALLOWED = frozenset({"yes", "designated", "permissive"})

Bounds = tuple[float, float, float, float]  # (min_lat, min_lng, max_lat, max_lng), WGS-84


class RoadFileError(ValueError):
    """A road file (or stored road blob) that cannot be used; the message is "中文 / English"."""

    def __init__(self, zh: str, en: str) -> None:
        super().__init__(f"{zh} / {en}")
        self.zh, self.en = zh, en


@dataclass(eq=False)
class RoadData:
    """A walking network: nodes in WGS-84 and undirected straight edges with their lengths,
    plus what reading the file found."""

    lat: np.ndarray  # float, per node
    lng: np.ndarray
    pairs: np.ndarray  # int64 (edges × 2): node indices, smaller first
    lengths: np.ndarray  # float metres, per edge
    source: str  # "osm", "geojson" or "synthetic"
    ways_read: int = 0  # OSM ways with a `highway` tag, or GeoJSON features
    skipped: dict[str, int] = field(default_factory=dict)  # reason → ways/features skipped
    vertices_missing: int = 0  # OSM way vertices with no location (node not in the file)
    edges_outside: int = 0  # edges dropped for leaving the bounds
    components: int = 0  # connected parts

    @property
    def nodes(self) -> int:
        return len(self.lat)

    @property
    def edges(self) -> int:
        return len(self.pairs)

    @property
    def ways_skipped(self) -> int:
        return sum(self.skipped.values())

    @property
    def total_length_m(self) -> float:
        return float(self.lengths.sum())

    def network(self) -> RoadNetwork:
        return RoadNetwork.from_lengths(self.lat, self.lng, self.pairs, self.lengths)

    def summary(self) -> dict:
        """The counts, JSON-ready (for an audit record or a page)."""
        return {
            "source": self.source,
            "nodes": self.nodes,
            "edges": self.edges,
            "components": self.components,
            "length_km": round(self.total_length_m / 1000, 1),
            "ways_read": self.ways_read,
            "ways_skipped": self.ways_skipped,
            "skipped": dict(self.skipped),
            "vertices_missing": self.vertices_missing,
            "edges_outside": self.edges_outside,
        }

    def to_bytes(self) -> bytes:
        """A compressed numpy archive (`numpy.savez_compressed`, no pickles), for a BinaryField."""
        meta = {
            "format": FORMAT,
            "source": self.source,
            "ways_read": self.ways_read,
            "skipped": dict(self.skipped),
            "vertices_missing": self.vertices_missing,
            "edges_outside": self.edges_outside,
            "components": self.components,
        }
        buffer = io.BytesIO()
        np.savez_compressed(
            buffer,
            format_version=np.array(FORMAT_VERSION, dtype=np.int64),
            meta=np.array(json.dumps(meta, ensure_ascii=False)),
            lat=np.asarray(self.lat, float),
            lng=np.asarray(self.lng, float),
            pairs=np.asarray(self.pairs, np.int64).reshape(-1, 2),
            lengths=np.asarray(self.lengths, float),
        )
        return buffer.getvalue()

    @classmethod
    def from_bytes(cls, data: bytes) -> RoadData:
        """Read back `to_bytes`; anything else (another archive, a newer format, damaged bytes)
        is refused with `RoadFileError`."""
        foreign = RoadFileError("不是本系统保存的路网数据", "not a road network saved by Linli")
        try:
            archive = np.load(io.BytesIO(bytes(data)), allow_pickle=False)
        except (OSError, ValueError, EOFError, zipfile.BadZipFile):
            raise foreign from None
        if not isinstance(archive, np.lib.npyio.NpzFile):
            raise foreign
        try:
            with archive:
                if not {"format_version", "meta", "lat", "lng", "pairs", "lengths"} <= set(archive.files):
                    raise foreign
                version = int(archive["format_version"])
                meta = json.loads(str(archive["meta"]))
                lat, lng = archive["lat"], archive["lng"]
                pairs, lengths = archive["pairs"], archive["lengths"]
        except (OSError, ValueError, TypeError, EOFError, zipfile.BadZipFile):
            raise foreign from None
        if not isinstance(meta, dict) or meta.get("format") != FORMAT:
            raise foreign
        if version != FORMAT_VERSION:
            raise RoadFileError(
                f"路网数据格式版本 {version} 不受支持", f"road network format version {version} is not supported"
            )
        n = len(lat)
        if not (
            lat.ndim == lng.ndim == 1
            and len(lng) == n
            and pairs.ndim == 2
            and pairs.shape[1] == 2
            and np.issubdtype(pairs.dtype, np.integer)
            and lengths.shape == (len(pairs),)
            and (len(pairs) == 0 or (pairs.min() >= 0 and pairs.max() < n))
        ):
            raise RoadFileError("路网数据已损坏", "the road network data is damaged")
        return cls(
            lat=lat.astype(float),
            lng=lng.astype(float),
            pairs=pairs.astype(np.int64),
            lengths=lengths.astype(float),
            source=str(meta.get("source", "")),
            ways_read=int(meta.get("ways_read", 0)),
            skipped={str(k): int(v) for k, v in dict(meta.get("skipped", {})).items()},
            vertices_missing=int(meta.get("vertices_missing", 0)),
            edges_outside=int(meta.get("edges_outside", 0)),
            components=int(meta.get("components", 0)),
        )


def walkable_reason(tags: Mapping[str, object]) -> str | None:
    """None if a way with these OSM tags may be walked along, else why not (e.g.
    "highway=motorway", "foot=no", "access=private", "area=yes", "motorroad=yes")."""
    highway = _tag(tags, "highway")
    if highway not in WALKABLE_HIGHWAYS:
        return f"highway={highway}"
    if _tag(tags, "area") == "yes":
        return "area=yes"  # a square's outline is not a path across it
    foot = _tag(tags, "foot")
    if foot == "no":
        return "foot=no"
    access = _tag(tags, "access")
    if access in {"private", "no"} and foot not in FOOT_ALLOWED:
        return f"access={access}"
    if _tag(tags, "motorroad") == "yes" and foot not in FOOT_ALLOWED:
        return "motorroad=yes"
    return None


def _tag(tags: Mapping[str, object], key: str) -> str | None:
    value = tags.get(key)
    return None if value is None else str(value)


# --- reading files ---------------------------------------------------------------------------


def read_road_file(
    path: str | os.PathLike, *, gcj02: bool = False, bounds: Bounds | None = None, max_segment_m: float | None = None
) -> RoadData:
    """Read a walking network from an OSM PBF, OSM XML (plain, .gz or .bz2) or GeoJSON file.

    OSM: ways with a walkable `highway` (see `walkable_reason`) are kept; ways without a
    `highway` tag (buildings, land use…) are ignored, those with one but not walkable are counted
    in `skipped`. A vertex whose node is missing from the file (a clipped extract) splits its way.

    GeoJSON: a FeatureCollection, a Feature or a bare geometry, [lng, lat] order. LineString,
    MultiLineString (and lines inside a GeometryCollection) are read; other features (points,
    polygons) are skipped and counted, and the file is refused only if no usable line remains.
    A feature whose properties carry `highway` is judged like an OSM way. A coordinate out of
    range refuses the file, naming the feature and position.

    gcj02: the file's coordinates are GCJ-02 (exported from a Chinese map) and are converted to
    WGS-84. OSM data proper is already WGS-84.

    bounds: (min_lat, min_lng, max_lat, max_lng) in WGS-84, e.g. the city's box. If no node lies
    inside, the file is refused (the wrong city, or swapped coordinates); otherwise edges with an
    end outside are dropped and counted in `edges_outside`.

    max_segment_m: split longer straight segments into equal pieces (`densify`), so points snap
    beside the road rather than to a far corner; None keeps the file's vertices only.

    A file with no walkable edge left is refused."""
    name = os.fspath(path)
    try:
        with open(name, "rb") as handle:
            head = handle.read(4096)
    except OSError as error:
        raise RoadFileError(f"无法打开文件：{error.strerror}", f"cannot open the file: {error.strerror}") from None
    kind, compression = _sniff(head, name)
    if kind == "pbf":
        parts = _read_osm(name, "pbf")
    elif kind == "osm":
        parts = _read_osm(name, "osm" + ({"gzip": ".gz", "bzip2": ".bz2"}.get(compression or "", "")))
    else:
        parts = _read_geojson(_read_text(name, compression))
    lat, lng, a, b, counts = parts
    if gcj02 and len(lat):
        lat, lng = _gcj02_to_wgs84(lat, lng)
    return _assemble(lat, lng, a, b, bounds=bounds, max_segment_m=max_segment_m, **counts)


_OPENERS = {"gzip": gzip.open, "bzip2": bz2.open}
_SIGNATURES = {  # (中文, English) names of what a refused file looks like
    b"\x89PNG": ("PNG 图片", "a PNG image"),
    b"\xff\xd8\xff": ("JPEG 图片", "a JPEG image"),
    b"GIF8": ("GIF 图片", "a GIF image"),
    b"%PDF": ("PDF 文档", "a PDF document"),
    b"PK\x03\x04": ("ZIP 压缩包（如 Shapefile 或 Excel 表格）", "a ZIP archive (e.g. a shapefile or a spreadsheet)"),
    b"\xd0\xcf\x11\xe0": ("Office 文档", "an Office document"),
    b"SQLite format 3": ("SQLite 数据库", "an SQLite database"),
}


def _sniff(head: bytes, name: str) -> tuple[str, str | None]:
    """("pbf" | "osm" | "geojson", compression or None) from the first bytes."""
    if not head.strip():
        raise RoadFileError("文件为空", "the file is empty")
    compression = None
    if head.startswith(b"\x1f\x8b"):
        compression = "gzip"
    elif head.startswith(b"BZh"):
        compression = "bzip2"
    if compression:
        try:
            with _OPENERS[compression](name, "rb") as inner:
                head = inner.read(4096)
        except (OSError, EOFError, ValueError):
            raise RoadFileError("压缩文件已损坏", f"the {compression} file is damaged") from None
        if not head.strip():
            raise RoadFileError("文件为空", "the file is empty")
    # PBF: a 4-byte length, then a BlobHeader whose type is the string "OSMHeader"
    if compression is None and b"OSMHeader" in head[:32]:
        return "pbf", None
    text = head.lstrip(b"\xef\xbb\xbf \t\r\n")
    if text.startswith(b"<"):
        if re.search(rb"<osm[\s>]", text):
            return "osm", compression
        root = text.split(b"<")[1:]
        tag = next((t.split()[0].rstrip(b">/") for t in root if t[:1] not in (b"?", b"!") and t.split()), b"?")
        shown = tag.decode("utf-8", "replace")[:30]
        raise RoadFileError(
            f"这是 XML 文件，但不是 OSM 数据（根元素 <{shown}>）",
            f"an XML file but not OSM data (root element <{shown}>)",
        )
    if text.startswith((b"{", b"[")):
        return "geojson", compression
    looks = next((label for magic, label in _SIGNATURES.items() if head.startswith(magic)), None)
    if looks:
        zh, en = looks
        raise RoadFileError(f"这不是路网文件，看起来是{zh}", f"not a road file: it looks like {en}")
    first = text.split(b"\n", 1)[0][:60].decode("utf-8", "replace").strip()
    raise RoadFileError(
        f"既不是 OSM（PBF 或 XML）也不是 GeoJSON 文件（开头为“{first}”）",
        f"neither OSM (PBF or XML) nor GeoJSON (it starts with {first!r})",
    )


def _read_osm(name: str, file_format: str):
    vertex_ids: list[int] = []
    vertex_lat: list[float] = []
    vertex_lng: list[float] = []
    seg_a: list[int] = []
    seg_b: list[int] = []
    skipped: Counter[str] = Counter()
    ways_read = missing = 0
    processor = (
        osmium.FileProcessor(osmium.io.File(name, file_format), osmium.osm.NODE | osmium.osm.WAY)
        .with_locations()
        .with_filter(osmium.filter.KeyFilter("highway"))
    )
    try:
        for obj in processor:
            if not obj.is_way():
                continue
            ways_read += 1
            reason = walkable_reason(obj.tags)
            if reason:
                skipped[reason] += 1
                continue
            previous, used = -1, False
            for ref in obj.nodes:
                location = ref.location
                if not location.valid():  # not in the file, or out of range
                    missing += 1
                    previous = -1
                    continue
                index = len(vertex_ids)
                vertex_ids.append(ref.ref)
                vertex_lat.append(location.lat)
                vertex_lng.append(location.lon)
                if previous >= 0:
                    seg_a.append(previous)
                    seg_b.append(index)
                    used = True
                previous = index
            if not used:
                skipped["no located segment"] += 1
    except RuntimeError as error:  # libosmium: "XML parsing error at line 3, column 28: …"
        raise RoadFileError(f"OSM 文件无法读取：{error}", f"the OSM file cannot be read: {error}") from None
    ids = np.asarray(vertex_ids, dtype=np.int64)
    _, first, inverse = np.unique(ids, return_index=True, return_inverse=True)
    lat = np.asarray(vertex_lat, float)[first]
    lng = np.asarray(vertex_lng, float)[first]
    a = inverse[np.asarray(seg_a, dtype=np.int64)]
    b = inverse[np.asarray(seg_b, dtype=np.int64)]
    counts = {"source": "osm", "ways_read": ways_read, "skipped": skipped, "vertices_missing": missing}
    return lat, lng, a, b, counts


def _read_text(name: str, compression: str | None) -> str:
    try:
        if compression:
            with _OPENERS[compression](name, "rb") as handle:
                raw = handle.read()
        else:
            with open(name, "rb") as handle:
                raw = handle.read()
    except (OSError, EOFError, ValueError):
        raise RoadFileError("压缩文件已损坏", "the compressed file is damaged") from None
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise RoadFileError(
            f"GeoJSON 文件不是 UTF-8 编码（第 {error.start} 字节）",
            f"the GeoJSON file is not UTF-8 (byte {error.start})",
        ) from None


def _read_geojson(text: str):
    try:
        doc = json.loads(text)
    except json.JSONDecodeError as error:
        raise RoadFileError(
            f"第 {error.lineno} 行第 {error.colno} 列不是有效的 JSON（{error.msg}）",
            f"invalid JSON at line {error.lineno}, column {error.colno}: {error.msg}",
        ) from None
    features = _features(doc)
    arrays: list[np.ndarray] = []  # (n × 2) [lng, lat] per usable line
    owners: list[int] = []  # the feature index of each line
    skipped: Counter[str] = Counter()
    for index, feature in enumerate(features):
        if not isinstance(feature, dict):
            zh, en = _where(index)
            raise RoadFileError(f"{zh}不是对象", f"{en} is not an object")
        properties = feature.get("properties") or {}
        if isinstance(properties, dict) and "highway" in properties:
            reason = walkable_reason(properties)
            if reason:
                skipped[reason] += 1
                continue
        geometry = feature.get("geometry")
        lines = _lines(geometry)
        if lines is None:
            kind = geometry.get("type") if isinstance(geometry, dict) else type(geometry).__name__
            skipped[f"{kind} (not a line)"] += 1
            continue
        used = False
        for line in lines:
            positions = _positions(line, index)
            if len(positions) >= 2:
                arrays.append(positions)
                owners.append(index)
                used = True
        if not used:
            skipped["no line" if not lines else "line too short"] += 1
    if not arrays:
        detail = "，".join(f"{k} {v}" for k, v in skipped.items()) or "—"
        raise RoadFileError(
            f"GeoJSON 中没有可用的线（LineString/MultiLineString）：共 {len(features)} 个要素，{detail}",
            f"no usable LineString/MultiLineString in the GeoJSON ({len(features)} features: {detail})",
        )
    sizes = np.array([len(p) for p in arrays], dtype=np.int64)
    positions = np.concatenate(arrays)
    lng, lat = positions[:, 0], positions[:, 1]
    good = np.isfinite(positions).all(axis=1) & (np.abs(lng) <= 180) & (np.abs(lat) <= 90)
    if not good.all():
        bad = int(np.argmin(good))
        line = int(np.searchsorted(np.cumsum(sizes), bad, side="right"))
        k = bad - int(sizes[:line].sum())
        zh, en = _where(owners[line])
        if owners.count(owners[line]) > 1:  # a MultiLineString: which of its lines
            part = owners[:line].count(owners[line]) + 1
            zh, en = f"{zh}第 {part} 条线", f"{en}, line {part}"
        shown = f"[{lng[bad]:g}, {lat[bad]:g}]"
        raise RoadFileError(
            f"{zh}第 {k + 1} 个坐标 {shown} 超出范围（GeoJSON 为 [经度, 纬度] 顺序）",
            f"{en}, position {k + 1}: {shown} is out of range (GeoJSON order is [lng, lat])",
        )
    # a segment from every vertex but each line's last
    last = np.cumsum(sizes) - 1
    starts = np.ones(len(positions), dtype=bool)
    starts[last] = False
    a = np.flatnonzero(starts)
    scale = 10**COORDINATE_DECIMALS
    lng_i = np.rint(lng * scale).astype(np.int64)
    lat_i = np.rint(lat * scale).astype(np.int64)
    keys = (lng_i + 180 * scale) * (2 * 90 * scale + 1) + (lat_i + 90 * scale)
    _, first, inverse = np.unique(keys, return_index=True, return_inverse=True)
    node_lat = lat_i[first] / scale
    node_lng = lng_i[first] / scale
    counts = {"source": "geojson", "ways_read": len(features), "skipped": skipped, "vertices_missing": 0}
    return node_lat, node_lng, inverse[a], inverse[a + 1], counts


def _where(index: int) -> tuple[str, str]:
    return f"第 {index + 1} 个要素", f"feature {index + 1} (features[{index}])"


_LINE_TYPES = {"LineString", "MultiLineString", "GeometryCollection"}


def _features(doc: object) -> list:
    if isinstance(doc, dict):
        kind = doc.get("type")
        if kind == "FeatureCollection":
            features = doc.get("features")
            if isinstance(features, list):
                return features
            raise RoadFileError("FeatureCollection 缺少 features 列表", "the FeatureCollection has no 'features' list")
        if kind == "Feature":
            return [doc]
        if kind in _LINE_TYPES or kind in {"Point", "MultiPoint", "Polygon", "MultiPolygon"}:
            return [{"type": "Feature", "geometry": doc, "properties": {}}]
    raise RoadFileError(
        "这是 JSON 文件，但不是 GeoJSON（缺少 type: FeatureCollection）",
        "a JSON file but not GeoJSON (no type: FeatureCollection)",
    )


def _lines(geometry: object) -> list | None:
    """The coordinate lists of a line geometry ([] for a null geometry), None if not a line."""
    if geometry is None:
        return []
    if not isinstance(geometry, dict):
        return None
    kind, coordinates = geometry.get("type"), geometry.get("coordinates")
    if kind == "LineString":
        return [coordinates]
    if kind == "MultiLineString":
        return list(coordinates) if isinstance(coordinates, list) else [None]
    if kind == "GeometryCollection":
        found = [_lines(g) for g in geometry.get("geometries") or []]
        lines = [line for part in found if part for line in part]
        return lines if lines or not found else None
    return None


def _positions(line: object, index: int) -> np.ndarray:
    """(n × 2) [lng, lat] of one line of feature `index`; the ranges are checked by the caller."""
    try:
        array = np.asarray(line, dtype=float)
        if array.ndim != 2 or array.shape[1] < 2:
            raise ValueError
    except (ValueError, TypeError):
        zh, en = _where(index)
        raise RoadFileError(
            f"{zh}的坐标不是 [经度, 纬度] 列表", f"{en}: coordinates are not a list of [lng, lat] positions"
        ) from None
    return array[:, :2]


def _gcj02_to_wgs84(lat: np.ndarray, lng: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    converted = np.array([gcj02_to_wgs84(float(y), float(x)) for y, x in zip(lat, lng, strict=True)], dtype=float)
    return converted[:, 0], converted[:, 1]


# --- assembling ------------------------------------------------------------------------------


def haversine_m(lat1, lng1, lat2, lng2) -> np.ndarray:
    """Great-circle distance in metres (vectorised)."""
    p1, p2 = np.radians(lat1), np.radians(lat2)
    dl = np.radians(np.asarray(lng2, float) - np.asarray(lng1, float))
    h = np.sin((p2 - p1) / 2) ** 2 + np.cos(p1) * np.cos(p2) * np.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_M * np.arcsin(np.sqrt(np.minimum(h, 1.0)))


def _assemble(
    lat: np.ndarray,
    lng: np.ndarray,
    a: np.ndarray,
    b: np.ndarray,
    *,
    source: str,
    ways_read: int = 0,
    skipped: Mapping[str, int] | None = None,
    vertices_missing: int = 0,
    bounds: Bounds | None = None,
    max_segment_m: float | None = None,
) -> RoadData:
    """Nodes and segments → RoadData: drops self-loops, repeated segments, edges leaving the
    bounds and unused nodes; computes lengths and connected parts."""
    skipped = dict(sorted(Counter(skipped or {}).items(), key=lambda kv: (-kv[1], kv[0])))
    a, b = np.asarray(a, np.int64), np.asarray(b, np.int64)
    keep = a != b
    a, b = a[keep], b[keep]
    if len(a) == 0:
        detail = ", ".join(f"{k} {v}" for k, v in skipped.items()) or "—"
        missing_zh = f"；{vertices_missing} 个路段顶点没有位置" if vertices_missing else ""
        missing = f"; {vertices_missing} way vertices without a location" if vertices_missing else ""
        raise RoadFileError(
            f"文件中没有可步行的道路（读取 {ways_read} 条，跳过：{detail}{missing_zh}）",
            f"no walkable road in the file ({ways_read} read; skipped: {detail}{missing})",
        )
    edges_outside = 0
    if bounds is not None:
        min_lat, min_lng, max_lat, max_lng = (float(v) for v in bounds)
        inside = (lat >= min_lat) & (lat <= max_lat) & (lng >= min_lng) & (lng <= max_lng)
        used = np.unique(np.concatenate([a, b]))
        if not inside[used].any():
            box = f"{min_lat:g},{min_lng:g} – {max_lat:g},{max_lng:g}"
            raise RoadFileError(
                f"全部 {len(used)} 个节点都在本市范围（{box}）之外：文件是否属于另一城市，或坐标系有误？",
                f"all {len(used)} nodes lie outside the city's box ({box}): another city's file, or the wrong datum?",
            )
        keep = inside[a] & inside[b]
        edges_outside = int((~keep).sum())
        a, b = a[keep], b[keep]
    low, high = np.minimum(a, b), np.maximum(a, b)
    pairs = np.unique(np.column_stack([low, high]), axis=0)
    used, compact = np.unique(pairs, return_inverse=True)
    pairs = compact.reshape(-1, 2).astype(np.int64)
    lat, lng = np.asarray(lat, float)[used], np.asarray(lng, float)[used]
    lengths = haversine_m(lat[pairs[:, 0]], lng[pairs[:, 0]], lat[pairs[:, 1]], lng[pairs[:, 1]])
    if max_segment_m:
        lat, lng, pairs, lengths = densify(lat, lng, pairs, lengths, max_segment_m)
    return RoadData(
        lat=lat,
        lng=lng,
        pairs=pairs,
        lengths=lengths,
        source=source,
        ways_read=ways_read,
        skipped=skipped,
        vertices_missing=vertices_missing,
        edges_outside=edges_outside,
        components=_components(len(lat), pairs),
    )


MAX_SEGMENT_M = 50.0  # buildings and facilities snap to nodes: keep one at least every 50 m


def densify(
    lat: np.ndarray, lng: np.ndarray, pairs: np.ndarray, lengths: np.ndarray, max_m: float = MAX_SEGMENT_M
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Split every segment longer than `max_m` into k equal straight pieces (k − 1 new nodes), so a
    building beside a long straight road snaps to a point beside it, not to a far corner."""
    # 1 % leeway: a 100.004 m segment (coordinates rounded to 1e-7°) still makes two 50 m pieces
    pieces = np.maximum(np.ceil(lengths / (max_m * 1.01)).astype(np.int64), 1)
    long = np.flatnonzero(pieces > 1)
    if len(long) == 0:
        return lat, lng, pairs, lengths
    k = pieces[long]
    new_base = len(lat) + np.cumsum(k - 1) - (k - 1)  # id of each long segment's first new node
    # the new nodes, segment by segment: share j/k of the way from a to b, j = 1 … k − 1
    owner = np.repeat(np.arange(len(long)), k - 1)
    j = np.arange(len(owner)) - np.repeat(np.cumsum(k - 1) - (k - 1), k - 1) + 1
    a, b = pairs[long, 0], pairs[long, 1]
    share = j / k[owner]
    lat = np.concatenate([lat, lat[a[owner]] + (lat[b[owner]] - lat[a[owner]]) * share])
    lng = np.concatenate([lng, lng[a[owner]] + (lng[b[owner]] - lng[a[owner]]) * share])
    # the pieces: node(seg, i) → node(seg, i + 1) for i = 0 … k − 1; node 0 is a, node k is b
    seg = np.repeat(np.arange(len(long)), k)
    i = np.arange(len(seg)) - np.repeat(np.cumsum(k) - k, k)

    def node(position: np.ndarray) -> np.ndarray:
        inner = new_base[seg] + position - 1
        return np.where(position == 0, a[seg], np.where(position == k[seg], b[seg], inner))

    kept = np.ones(len(pairs), dtype=bool)
    kept[long] = False
    return (
        lat,
        lng,
        np.concatenate([pairs[kept], np.column_stack([node(i), node(i + 1)])]).astype(np.int64),
        np.concatenate([lengths[kept], (lengths[long] / k)[seg]]),
    )


def _components(n: int, pairs: np.ndarray) -> int:
    if n == 0:
        return 0
    graph = coo_matrix((np.ones(len(pairs), dtype=np.int8), (pairs[:, 0], pairs[:, 1])), shape=(n, n))
    return int(connected_components(graph, directed=False)[0])


# --- synthetic networks ----------------------------------------------------------------------

_SHIFT = 1 << 32  # a lattice node's key is (i + _OFFSET) · 2³² + (j + _OFFSET)
_OFFSET = 1 << 30
_MASK = (1 << 64) - 1


def synthetic_network(
    lat: Sequence[float] | np.ndarray,
    lng: Sequence[float] | np.ndarray,
    *,
    spacing_m: float = 110.0,
    margin_m: float = 600.0,
    seed: int = 20261125,
    drop_share: float = 0.08,
    diagonal_share: float = 0.05,
    jitter_share: float = 0.15,
) -> RoadData:
    """A plausible street network covering the given points (building or community positions,
    WGS-84), for demo cities with no road file. Deterministic and stable:

    - A global square lattice, `spacing_m` apart, in local metres around the points' median
      latitude rounded to a whole degree (so a city always gets the same lattice); only lattice
      nodes within `margin_m` of some point are kept.
    - Each node is moved by up to `jitter_share` × spacing in each direction, by a hash of its
      lattice cell and `seed`: a node's position does not depend on which other points exist.
    - Neighbouring kept nodes are joined east–west and north–south; `drop_share` of those
      streets are dropped (by a hash of the edge), except where dropping would cut a part of the
      lattice off (dropped edges joining otherwise separate parts are put back, so a cluster of
      points stays one connected network); `diagonal_share` of the lattice cells get a diagonal
      shortcut.

    Every point has a node within about 0.9 × spacing. Points with no valid position are
    ignored; with none at all the call is refused with `RoadFileError`."""
    if not 0 < spacing_m <= margin_m:
        raise ValueError("spacing_m must be positive and at most margin_m")
    lat, lng = np.asarray(lat, float).ravel(), np.asarray(lng, float).ravel()
    valid = np.isfinite(lat) & np.isfinite(lng) & (np.abs(lat) <= 90) & (np.abs(lng) <= 180)
    lat, lng = lat[valid], lng[valid]
    if len(lat) == 0:
        raise RoadFileError("没有可用的位置，无法生成示例路网", "no valid position to build a synthetic network around")
    origin = float(round(float(np.median(lat))))
    k = math.pi / 180 * EARTH_RADIUS_M
    kx = k * math.cos(math.radians(origin))
    points = np.column_stack([lng * kx, lat * k])
    keys = _lattice_nodes(points, spacing_m, margin_m)
    i = keys // _SHIFT - _OFFSET
    j = keys % _SHIFT - _OFFSET
    ku = keys.astype(np.uint64)
    amplitude = jitter_share * spacing_m
    x = i * spacing_m + (2 * _uniform(ku, seed, 1) - 1) * amplitude
    y = j * spacing_m + (2 * _uniform(ku, seed, 2) - 1) * amplitude

    def find(targets: np.ndarray) -> np.ndarray:
        """Index of each target key among the nodes, -1 if not kept."""
        pos = np.minimum(np.searchsorted(keys, targets), len(keys) - 1)
        return np.where(keys[pos] == targets, pos, -1)

    own = np.arange(len(keys), dtype=np.int64)
    streets_a, streets_b, dropped = [], [], []
    for direction, step in ((3, _SHIFT), (4, 1)):  # east, north
        other = find(keys + step)
        has = other >= 0
        drop = _uniform(ku[has], seed, direction) < drop_share
        streets_a.append(own[has])
        streets_b.append(other[has])
        dropped.append(drop)
    a, b, drop = np.concatenate(streets_a), np.concatenate(streets_b), np.concatenate(dropped)
    # diagonals: per lattice cell, maybe one, south-west→north-east or south-east→north-west
    chosen = _uniform(ku, seed, 5) < diagonal_share
    rising = _uniform(ku, seed, 6) < 0.5
    ne, se, nw = find(keys + _SHIFT + 1), find(keys + _SHIFT), find(keys + 1)
    diagonal_rise = chosen & rising & (ne >= 0)
    diagonal_fall = chosen & ~rising & (se >= 0) & (nw >= 0)
    diag_a = np.concatenate([own[diagonal_rise], se[diagonal_fall]])
    diag_b = np.concatenate([ne[diagonal_rise], nw[diagonal_fall]])
    kept_a = np.concatenate([a[~drop], diag_a])
    kept_b = np.concatenate([b[~drop], diag_b])
    # put back dropped streets that join parts left separate
    n = len(keys)
    graph = coo_matrix((np.ones(len(kept_a), dtype=np.int8), (kept_a, kept_b)), shape=(n, n))
    labels = connected_components(graph, directed=False)[1]
    bridge = drop & (labels[a] != labels[b])
    pairs_a = np.concatenate([kept_a, a[bridge]])
    pairs_b = np.concatenate([kept_b, b[bridge]])
    return _assemble(y / k, x / kx, pairs_a, pairs_b, source="synthetic")


def _lattice_nodes(points: np.ndarray, spacing: float, margin: float) -> np.ndarray:
    """Sorted keys of the lattice nodes within `margin` of some point (all in metres)."""
    cells = np.rint(points / spacing).astype(np.int64)
    cell_keys = np.unique((cells[:, 0] + _OFFSET) * _SHIFT + (cells[:, 1] + _OFFSET))
    # a node within `margin` of a point is within margin + half a cell diagonal of its cell's node
    reach = margin / spacing + math.sqrt(0.5)
    r = math.ceil(reach)
    di, dj = np.meshgrid(np.arange(-r, r + 1), np.arange(-r, r + 1), indexing="ij")
    near = np.hypot(di, dj) <= reach
    offsets = (di[near] * _SHIFT + dj[near]).astype(np.int64)
    chunk = max(1, 4_000_000 // len(offsets))
    candidates = np.unique(
        np.concatenate(
            [
                np.unique((cell_keys[s : s + chunk, None] + offsets[None, :]).ravel())
                for s in range(0, len(cell_keys), chunk)
            ]
        )
    )
    xy = np.column_stack(
        [(candidates // _SHIFT - _OFFSET) * spacing, (candidates % _SHIFT - _OFFSET) * spacing]
    ).astype(float)
    distance, _ = cKDTree(points).query(xy, distance_upper_bound=margin * (1 + 1e-9))
    return candidates[np.isfinite(distance)]


def _uniform(keys: np.ndarray, seed: int, salt: int) -> np.ndarray:
    """A stable uniform number in [0, 1) per key (splitmix64 of the key, the seed and a salt)."""
    mixed = _splitmix(np.array([(seed * 0x9E3779B1 + salt * 0x85EBCA77) & _MASK], dtype=np.uint64))
    x = _splitmix(keys.astype(np.uint64) ^ mixed)
    return (x >> np.uint64(11)).astype(float) * (1.0 / (1 << 53))


def _splitmix(x: np.ndarray) -> np.ndarray:
    x = x + np.uint64(0x9E3779B97F4A7C15)
    x = (x ^ (x >> np.uint64(30))) * np.uint64(0xBF58476D1CE4E5B9)
    x = (x ^ (x >> np.uint64(27))) * np.uint64(0x94D049BB133111EB)
    return x ^ (x >> np.uint64(31))


# --- drawing the network on a map ------------------------------------------------------------

STROKE_MAX_TURN_DEGREES = 45.0  # a street goes on through a junction if it turns less than this


@dataclass(eq=False)
class RoadLines:
    """The network as strokes for a map: edges chained through junctions along the straightest
    continuation (a street crossing ten junctions is one line, not ten), so a zoomed-out map can
    keep the long streets and drop the short lanes. All vertices in one array; line i is
    `lat[offset[i]:offset[i + 1]]`."""

    lat: np.ndarray
    lng: np.ndarray
    offset: np.ndarray  # (lines + 1)
    box: np.ndarray  # (lines × 4): south, west, north, east
    length_m: np.ndarray  # per line

    def __len__(self) -> int:
        return len(self.offset) - 1

    simplified: dict = field(default_factory=dict)  # zoom → line → its coordinates for that zoom (filled by the reader)

    def __post_init__(self) -> None:
        self.points = np.column_stack([self.lat, self.lng])  # (lat, lng) rows; lines are views into it

    def line(self, i: int) -> np.ndarray:
        return self.points[self.offset[i] : self.offset[i + 1]]

    def crossing(self, south: float, west: float, north: float, east: float) -> np.ndarray:
        """Indices of the lines whose box meets the view box, longest first."""
        b = self.box
        hit = np.flatnonzero((b[:, 0] <= north) & (b[:, 2] >= south) & (b[:, 1] <= east) & (b[:, 3] >= west))
        return hit[np.argsort(-self.length_m[hit], kind="stable")]


def road_lines(data: RoadData) -> RoadLines:
    """Chain a network's edges into strokes: at every node, incident edges are paired
    straightest-first while they turn less than 45° (a node where two edges meet always joins
    them), and paired edges continue one line."""
    n, m = data.nodes, data.edges
    a, b = data.pairs[:, 0], data.pairs[:, 1]
    # edge ends ("slots"), grouped by node: slot k is edge via[k] at node node_of[k]
    ends = np.concatenate([a, b])
    order = np.argsort(ends, kind="stable")
    node_of = ends[order]
    via = np.concatenate([np.arange(m), np.arange(m)])[order]
    other = np.concatenate([b, a])[order]
    start = np.searchsorted(node_of, np.arange(n + 1))
    degree = np.diff(start)
    kx = math.cos(math.radians(float(np.median(data.lat)))) if n else 1.0
    bearing = np.arctan2(data.lat[other] - data.lat[node_of], (data.lng[other] - data.lng[node_of]) * kx)
    partner = np.full(2 * m, -1, dtype=np.int64)
    candidates = []
    for d in np.unique(degree[degree >= 2]).tolist():
        nodes = np.flatnonzero(degree == d)
        p, q = np.triu_indices(d, 1)
        sp = start[nodes][:, None] + p[None, :]
        sq = start[nodes][:, None] + q[None, :]
        turn = np.abs(np.pi - np.abs(np.angle(np.exp(1j * (bearing[sp] - bearing[sq])))))
        limit = np.inf if d == 2 else math.radians(STROKE_MAX_TURN_DEGREES)
        keep = turn < limit
        candidates.append(np.column_stack([turn[keep], sp[keep], sq[keep]]))
    if candidates:
        pairs = np.concatenate(candidates)
        pairs = pairs[np.argsort(pairs[:, 0], kind="stable")]
        partner_list = partner.tolist()
        for sp, sq in pairs[:, 1:].astype(np.int64).tolist():
            if partner_list[sp] < 0 and partner_list[sq] < 0:
                partner_list[sp], partner_list[sq] = sq, sp
        partner = np.array(partner_list, dtype=np.int64)
    # the slot of each edge at each of its ends
    slot_at = np.empty((m, 2), dtype=np.int64)
    first_end = np.arange(2 * m)[order] < m  # slot came from column a
    slot_at[via[first_end], 0] = np.flatnonzero(first_end)
    slot_at[via[~first_end], 1] = np.flatnonzero(~first_end)
    pa, pb, via_l, partner_l, slot_l = a.tolist(), b.tolist(), via.tolist(), partner.tolist(), slot_at.tolist()
    used = [False] * m
    vertices: list[int] = []
    offsets = [0]

    def walk(edge: int, node: int) -> None:
        """Follow a stroke from `node` along `edge` until it ends."""
        vertices.append(node)
        while True:
            used[edge] = True
            far_end = 1 if pa[edge] == node else 0
            node = pb[edge] if far_end else pa[edge]
            vertices.append(node)
            nxt = partner_l[slot_l[edge][far_end]]
            if nxt < 0 or used[via_l[nxt]]:
                break
            edge = via_l[nxt]
        offsets.append(len(vertices))

    for e in range(m):  # strokes start at an end with no continuation
        if used[e]:
            continue
        if partner_l[slot_l[e][0]] < 0:
            walk(e, pa[e])
        elif partner_l[slot_l[e][1]] < 0:
            walk(e, pb[e])
    for e in range(m):  # what is left are closed loops
        if not used[e]:
            walk(e, pa[e])
    index = np.array(vertices, dtype=np.int64)
    offset = np.array(offsets, dtype=np.int64)
    lat, lng = data.lat[index], data.lng[index]
    if len(offset) == 1:
        return RoadLines(lat, lng, offset, np.empty((0, 4)), np.empty(0))
    starts = offset[:-1]
    box = np.column_stack(
        [
            np.minimum.reduceat(lat, starts),
            np.minimum.reduceat(lng, starts),
            np.maximum.reduceat(lat, starts),
            np.maximum.reduceat(lng, starts),
        ]
    )
    step = np.append(haversine_m(lat[:-1], lng[:-1], lat[1:], lng[1:]), 0.0)
    step[offset[1:] - 1] = 0.0  # no step from one line's last vertex to the next line's first
    length = np.add.reduceat(step, starts)
    return RoadLines(lat, lng, offset, box, length)
