"""`linli import-roads FILE`: load the walking network analyses use, from OpenStreetMap
(`.osm.pbf`, `.osm`, `.osm.bz2`/`.gz`) or a GeoJSON file of lines. Walkable ways only; every way is
split at its vertices; nodes shared by ways join them. `--gcj02` converts a GeoJSON drawn on a
Chinese map (GCJ-02) to WGS-84. The newest network is the one new analyses use."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from linli.core.actor import Actor
from linli.core.errors import DomainError
from linli.facilities.services import roads_import


class Command(BaseCommand):
    help = "Import a road network from OSM or GeoJSON (导入路网：OSM 或 GeoJSON 线数据)."

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path, help="an .osm.pbf / .osm / .geojson file")
        parser.add_argument("--gcj02", action="store_true", help="coordinates are GCJ-02 (高德/腾讯坐标), convert them")
        parser.add_argument("--name", default="", help="a name for the network (default: the file name)")

    def handle(self, *args, file: Path, gcj02=False, name="", **options):
        if not file.is_file():
            raise CommandError(f"找不到文件 {file} (no such file)")
        try:
            network = roads_import(actor=Actor.system("import-roads"), path=file, gcj02=gcj02, name=name)
        except DomainError as exc:
            raise CommandError(str(exc)) from None
        read = network.summary
        self.stdout.write(
            f"路网已导入 (road network imported): {network.name} — {network.nodes} 节点 nodes, "
            f"{network.edges} 路段 edges, {read.get('length_km')} km, {network.components} 个连通部分 connected parts"
        )
        skipped = ", ".join(f"{reason} {n}" for reason, n in read.get("skipped", {}).items()) or "—"
        self.stdout.write(
            f"读取 read {read.get('ways_read')} 条道路 ways; 跳过 skipped: {skipped}; "
            f"超出本市范围的路段 edges outside the city: {read.get('edges_outside')}; "
            f"缺少位置的顶点 vertices without a location: {read.get('vertices_missing')}"
        )
