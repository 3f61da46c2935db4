"""`facilities-coverage` and `facilities-siting`: the walking-coverage and siting engines
(`linli.facilities.coverage`, `linli.facilities.siting`) on a synthetic city, in one process pinned
to one CPU with one BLAS/OpenMP thread, each beside a baseline measured in the same run.

The city (seeded): a lattice of ≥ 200,000 street nodes 50 m apart in WGS-84 around 41.8° N,
123.4° E (a 22.5 km square), each node jittered by a few metres, 12 % of the street segments
removed at random and a river across the city crossed only by a bridge every 1.5 km.

- `facilities-coverage`: 100,000 buildings (70 % around 400 residential centres, 30 % anywhere;
  5–179 residents each) in 2,000 communities (each building in its nearest community centre,
  12-character path keys), 2,000 facilities of 10 kinds near the buildings. Timed: the whole
  analysis `coverage(network, buildings, facilities, (300, 500, 1000))` — snapping, one bounded
  search per kind, residents per distance overall and per community — median of `--repeat`,
  interleaved with the baseline: the 10 bare `scipy.sparse.csgraph.dijkstra(graph,
  indices=<the kind's nodes>, min_only=True, limit=1000)` calls alone on the same graph. Second
  baseline: networkx doing the same work (`multi_source_dijkstra_path_length` with `cutoff` per
  kind, the same snapping and aggregation), `--nx-repeat` times. Peak memory of one analysis.
  Goals: within 2× of the bare searches, ≥ 10× networkx, < 2 s.
- `facilities-siting`: K = 20 sites among 500 candidate street nodes for 5,000 demand points
  (buildings clustered around 40 compounds in an 8 km district in the city's middle, weights =
  residents) within 1,000 m on foot. Timed: the reach matrix (`candidate_reach`) and the exact
  solve (`maximal_covering`, scipy's milp/HiGHS) separately; baseline: the greedy solution (its
  time and value, and its ratio to the optimum). Then a memory check at city scale: 2,000
  candidates and 5,000 demand points anywhere in the city. Goal: < 5 s in all to a proven
  optimum, the gap reported.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import math
import os
import platform
import resource
import statistics
import sys
import time
import tracemalloc
import types
from collections.abc import Callable

from bench import harness
from bench.api import load_average

LAT0, LNG0 = 41.8, 123.4
KINDS = (
    "clinic", "kindergarten", "primary_school", "elderly_care", "market",
    "pharmacy", "library", "sports_ground", "community_centre", "park",
)  # fmt: skip
BARE_GOAL = 2.0  # whole analysis within 2× of the bare searches
NETWORKX_GOAL = 10.0  # ≥ 10× faster than networkx
COVERAGE_GOAL_S = 2.0
SITING_GOAL_S = 5.0


def one_core(cpu: int) -> None:
    """One CPU and one BLAS/OpenMP thread, set before numpy and scipy are first imported."""
    for name in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
        os.environ[name] = "1"
    os.sched_setaffinity(0, {cpu})
    sys.stdout = io.TextIOWrapper(sys.stdout.buffer, encoding="utf-8", line_buffering=True)


def add_common(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--nodes", type=int, default=202_500, help="street nodes, a square lattice (default 202,500)")
    parser.add_argument("--seed", type=int, default=0, help="random seed (default 0)")
    parser.add_argument("--cpu", type=int, default=0, help="the one CPU to run on (default 0)")


# --- the synthetic city ------------------------------------------------------------------------

SPACING_M = 50.0
JITTER_M = 8.0
DROPPED = 0.12
BRIDGE_EVERY = 30  # lattice columns: a bridge every 1.5 km


def metres_to_degrees(x, y):
    """Local metres (origin at LAT0, LNG0) to (lat, lng), the inverse of `coverage.local_metres`."""
    from linli.facilities.coverage import EARTH_RADIUS_M

    k = math.pi / 180 * EARTH_RADIUS_M
    return LAT0 + y / k, LNG0 + x / (k * math.cos(math.radians(LAT0)))


def city(nodes: int, rng):
    """(network, build seconds, extent in metres, edge count): a jittered lattice centred on
    (LAT0, LNG0) with segments removed and a river crossed by bridges."""
    import numpy as np

    from linli.facilities.coverage import RoadNetwork

    side = math.ceil(math.sqrt(nodes))
    extent = (side - 1) * SPACING_M
    row, col = np.divmod(np.arange(side * side), side)
    x = col * SPACING_M - extent / 2 + rng.normal(0, JITTER_M, side * side)
    y = row * SPACING_M - extent / 2 + rng.normal(0, JITTER_M, side * side)
    lat, lng = metres_to_degrees(x, y)
    grid = np.arange(side * side).reshape(side, side)
    east = np.column_stack([grid[:, :-1].ravel(), grid[:, 1:].ravel()])
    north = np.column_stack([grid[:-1, :].ravel(), grid[1:, :].ravel()])
    river = int(side * 0.6)  # between lattice rows river and river + 1
    crossing = (north[:, 0] // side == river) & (north[:, 0] % side % BRIDGE_EVERY != 0)
    edges = np.concatenate([east, north[~crossing]])
    edges = edges[rng.random(len(edges)) >= DROPPED]
    started = time.perf_counter()
    network = RoadNetwork.from_edges(lat, lng, edges)
    return network, time.perf_counter() - started, extent, len(edges)


def scatter(rng, n: int, centres, spread_m: float, extent: float, anywhere: float = 0.0):
    """n points around random centres (normal, sd `spread_m`), a share `anywhere` uniform over the
    city; clipped to it. Returns (x, y) in metres."""
    import numpy as np

    xy = centres[rng.integers(0, len(centres), n)] + rng.normal(0, spread_m, (n, 2))
    free = rng.random(n) < anywhere
    xy[free] = rng.uniform(-extent / 2, extent / 2, (int(free.sum()), 2))
    xy = np.clip(xy, -extent / 2, extent / 2)
    return xy[:, 0], xy[:, 1]


# --- measuring ---------------------------------------------------------------------------------


def seconds(fn: Callable[[], object]) -> float:
    started = time.perf_counter()
    fn()
    return time.perf_counter() - started


def _status_kb(field: str) -> int | None:
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith(field + ":"):
                    return int(line.split()[1])
    except OSError:
        return None
    return None


def _release_free_memory() -> None:
    """Give the allocator's free pages back to the system (glibc `malloc_trim`), so that memory a
    call reuses from earlier calls shows as a rise in the resident set again."""
    import ctypes
    import ctypes.util
    import gc

    gc.collect()
    with contextlib.suppress(OSError, AttributeError):  # not glibc: the rise may show less
        ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6").malloc_trim(0)


def peak_memory(fn: Callable[[], object]) -> dict:
    """Peak memory of one call of `fn`: the resident set's rise (free heap pages returned with
    `malloc_trim` first, then the peak `VmHWM` reset through /proc/self/clear_refs; else the rise of
    `ru_maxrss`, which shows only a new high) and, in a second call, tracemalloc's peak (numpy's
    buffers and Python objects, not scipy's C-level work arrays)."""
    figures: dict = {}
    _release_free_memory()
    try:
        with open("/proc/self/clear_refs", "w", encoding="ascii") as clear:
            clear.write("5")  # reset the peak RSS to the current RSS (Linux ≥ 4.0)
        before = _status_kb("VmRSS")
        fn()
        after = _status_kb("VmHWM")
        if before is not None and after is not None:
            figures["rss_mb"], figures["rss_how"] = (after - before) / 1024, "VmHWM rise"
    except OSError:
        before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        fn()
        after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        figures["rss_mb"], figures["rss_how"] = (after - before) / 1024, "ru_maxrss rise"
    tracemalloc.start()
    try:
        fn()
        figures["traced_mb"] = tracemalloc.get_traced_memory()[1] / 1e6
    finally:
        tracemalloc.stop()
    return figures


def memory_text(memory: dict) -> str:
    rss = f"{memory['rss_mb']:.0f} MB resident ({memory['rss_how']})" if "rss_mb" in memory else "resident unknown"
    return f"{memory['traced_mb']:.0f} MB traced (tracemalloc peak), {rss}"


def verdict(met: bool) -> str:
    return "met" if met else "MISSED"


def versions() -> str:
    import numpy
    import scipy

    return f"Python {platform.python_version()}, numpy {numpy.__version__}, scipy {scipy.__version__}"


# --- facilities-coverage -----------------------------------------------------------------------


def coverage_arguments(parser: argparse.ArgumentParser) -> None:
    add_common(parser)
    parser.add_argument("--buildings", type=int, default=100_000, help="buildings (default 100,000)")
    parser.add_argument("--communities", type=int, default=2_000, help="communities (default 2,000)")
    parser.add_argument(
        "--facilities", type=int, default=2_000, help="facilities, split over the kinds (default 2,000)"
    )
    parser.add_argument("--kinds", type=int, default=10, choices=range(1, len(KINDS) + 1), metavar="1–10",
                        help="facility kinds (default 10)")  # fmt: skip
    parser.add_argument("--repeat", type=int, default=7, help="timed analyses, and bare search rounds (default 7)")
    parser.add_argument("--nx-repeat", type=int, default=3, help="timed networkx analyses (default 3; 0 skips)")


def coverage_data(args, rng):
    import numpy as np
    from scipy.spatial import cKDTree

    from linli.facilities.coverage import Buildings

    network, build_s, extent, n_edges = city(args.nodes, rng)
    homes = rng.uniform(-extent / 2, extent / 2, (400, 2))
    x, y = scatter(rng, args.buildings, homes, 600.0, extent, anywhere=0.3)
    lat, lng = metres_to_degrees(x, y)
    centres = np.column_stack(scatter(rng, args.communities, homes, 900.0, extent, anywhere=0.3))
    _, community = cKDTree(centres).query(np.column_stack([x, y]))
    keys = np.array([f"2101{n:08d}" for n in range(args.communities)])
    buildings = Buildings(lat, lng, rng.integers(5, 180, args.buildings), keys[community])
    per_kind = args.facilities // args.kinds
    facilities = {}
    for kind in KINDS[: args.kinds]:
        pick = rng.integers(0, args.buildings, per_kind)
        fx = np.clip(x[pick] + rng.normal(0, 200, per_kind), -extent / 2, extent / 2)
        fy = np.clip(y[pick] + rng.normal(0, 200, per_kind), -extent / 2, extent / 2)
        facilities[kind] = metres_to_degrees(fx, fy)
    return network, build_s, extent, n_edges, buildings, facilities


def networkx_coverage(graph, network, buildings, facilities, distances_m) -> dict:
    """What `coverage` computes, with networkx's multi-source Dijkstra (cutoff at the largest
    distance) in place of scipy's; the same snapping (the k-d tree built in the call, as in the
    cold analysis) and the same numpy aggregation."""
    import networkx as nx
    import numpy as np

    node, offset = network.snap(buildings.lat, buildings.lng)
    limit = max(distances_m)
    communities, community_index = np.unique(buildings.community, return_inverse=True)
    residents = np.asarray(buildings.residents, dtype=np.int64)
    totals = np.bincount(community_index, weights=residents, minlength=len(communities))
    result = {}
    for kind, (f_lat, f_lng) in facilities.items():
        f_node, _ = network.snap(f_lat, f_lng)
        lengths = nx.multi_source_dijkstra_path_length(graph, set(f_node.tolist()), cutoff=limit, weight="weight")
        distance = np.full(network.size, np.inf)
        reached = np.fromiter(lengths.keys(), np.int64, len(lengths))
        distance[reached] = np.fromiter(lengths.values(), float, len(lengths))
        walk = distance[node] + offset
        covered, by_community = {}, {}
        for d in distances_m:
            within = walk <= d
            covered[d] = int(residents[within].sum())
            reached = np.bincount(community_index[within], weights=residents[within], minlength=len(communities))
            by_community[d] = {str(c): (int(r), int(t)) for c, r, t in zip(communities, reached, totals, strict=True)}
        result[kind] = (walk, covered, by_community)
    return result


def to_networkx(network):
    import networkx as nx
    from scipy.sparse import triu

    upper = triu(network.graph, k=1).tocoo()
    graph = nx.Graph()
    graph.add_nodes_from(range(network.size))
    graph.add_weighted_edges_from(zip(upper.row.tolist(), upper.col.tolist(), upper.data.tolist(), strict=True))
    return graph


def coverage_measure(args) -> dict:
    import numpy as np
    from scipy.sparse.csgraph import dijkstra

    from linli.facilities.coverage import CIRCLE_DISTANCES_M, RoadNetwork, coverage

    rng = np.random.default_rng(args.seed)
    harness.log("building the synthetic city")
    network, build_s, extent, n_edges, buildings, facilities = coverage_data(args, rng)
    distances = tuple(CIRCLE_DISTANCES_M.values())
    limit = max(distances)
    figures: dict = {"nodes": network.size, "edges": n_edges, "extent_km": extent / 1000, "build_s": build_s,
                     "residents": int(buildings.residents.sum()), "distances": distances}  # fmt: skip

    def fresh() -> RoadNetwork:  # the same arrays, no k-d tree yet
        return RoadNetwork(network.lat, network.lng, network.graph, network.origin_lat)

    def ours_cold():
        return coverage(fresh(), buildings, facilities, distances)

    def ours_warm():
        return coverage(network, buildings, facilities, distances)

    kind_sources = [network.snap(*where)[0] for where in facilities.values()]

    def bare():
        for sources in kind_sources:
            dijkstra(network.graph, indices=sources, min_only=True, limit=limit)

    warm_network = fresh()

    def snap_buildings_cold():
        warm_network._tree = None
        warm_network.snap(buildings.lat, buildings.lng)

    harness.log(f"{network.size:,} nodes, {n_edges:,} segments (built in {build_s:.2f} s); warm-up analysis")
    result = ours_warm()
    figures["covered"] = {d: sum(k.covered_residents[d] for k in result.values()) / len(result) for d in distances}
    figures["reached_nodes"] = float(np.mean([np.isfinite(k.distance_m).mean() for k in result.values()]))
    bare()
    samples: dict[str, list[float]] = {"bare": [], "cold": [], "warm": [], "snap": []}
    harness.log(f"timing {args.repeat} rounds: bare searches, analysis (cold), analysis (prepared network)")
    for _ in range(args.repeat):
        samples["bare"].append(seconds(bare))
        samples["cold"].append(seconds(ours_cold))
        samples["warm"].append(seconds(ours_warm))
        samples["snap"].append(seconds(snap_buildings_cold))
    figures["samples"] = samples
    harness.log("peak memory of one analysis, and of the bare searches")
    figures["memory"] = peak_memory(ours_cold)
    figures["bare_memory"] = peak_memory(bare)
    if args.nx_repeat:
        harness.log("networkx: building the graph")
        started = time.perf_counter()
        graph = to_networkx(network)
        figures["nx_build_s"] = time.perf_counter() - started
        nx_samples = []
        for number in range(args.nx_repeat):
            harness.log(f"networkx analysis {number + 1}/{args.nx_repeat}")
            started = time.perf_counter()
            theirs = networkx_coverage(graph, fresh(), buildings, facilities, distances)
            nx_samples.append(time.perf_counter() - started)
        figures["nx"] = nx_samples
        figures["agree"] = all(
            result[kind].covered_residents == covered
            and result[kind].by_community == by_community
            and np.allclose(result[kind].distance_m, walk, rtol=0, atol=1e-6, equal_nan=False)
            for kind, (walk, covered, by_community) in theirs.items()
        )
    return figures


def coverage_report(args, figures: dict) -> int:
    median = {name: statistics.median(values) for name, values in figures["samples"].items()}
    kinds = args.kinds
    print()
    print(
        f"facilities-coverage benchmark — synthetic city: {figures['nodes']:,} street nodes, "
        f"{figures['edges']:,} segments ({figures['extent_km']:.1f} km square), {args.buildings:,} buildings, "
        f"{figures['residents']:,} residents, {args.communities:,} communities, "
        f"{args.facilities // kinds * kinds:,} facilities of {kinds} kinds; distances "
        + "/".join(f"{d:.0f}" for d in figures["distances"])
        + " m; seed "
        + str(args.seed)
    )
    print(
        f"one core (CPU {args.cpu}, 1 BLAS/OpenMP thread); medians of {args.repeat} interleaved rounds; "
        f"machine: {platform.machine()}, {os.cpu_count()} CPUs, {versions()}, load {load_average()}"
    )
    print(f"network built once from the edge list (`RoadNetwork.from_edges`): {figures['build_s']:.2f} s")
    print()
    rows = [
        (f"baseline: {kinds} bare dijkstra(min_only, limit {max(figures['distances']):.0f} m)", median["bare"], 1.0),
        ("coverage(), whole analysis, k-d tree built in the call", median["cold"], median["cold"] / median["bare"]),
        ("coverage(), whole analysis, the network's k-d tree ready", median["warm"], median["warm"] / median["bare"]),
        ("  of which: k-d tree + snapping the buildings", median["snap"], median["snap"] / median["bare"]),
    ]
    if "nx" in figures:
        nx_median = statistics.median(figures["nx"])
        rows.append(
            (f"networkx, same work (median of {len(figures['nx'])})", nx_median, nx_median / median["bare"]),
        )
    width = max(len(name) for name, _, _ in rows) + 1
    print(f"{'measure':<{width}} {'median s':>8} {'min s':>7} {'max s':>7} {'× bare':>7}")
    print("-" * (width + 33))
    keys = ["bare", "cold", "warm", "snap", "nx"]
    for key, (name, value, ratio) in zip(keys, rows, strict=False):
        values = figures["samples"].get(key) or figures.get(key) or [value]
        print(f"{name:<{width}} {value:>8.3f} {min(values):>7.3f} {max(values):>7.3f} {ratio:>7.2f}")
    print()
    print(f"peak memory, one analysis:  {memory_text(figures['memory'])}")
    print(f"peak memory, bare searches: {memory_text(figures['bare_memory'])}")
    print(
        "covered on average over the kinds: "
        + ", ".join(f"{d:.0f} m {share / figures['residents']:.1%}" for d, share in figures["covered"].items())
        + f" of residents; {figures['reached_nodes']:.0%} of nodes within {max(figures['distances']):.0f} m of a kind"
    )
    if "nx" in figures:
        speedup = nx_median / median["cold"]
        print(
            f"networkx: graph built in {figures['nx_build_s']:.2f} s (not in its figure); analysis "
            + ", ".join(f"{s:.2f}" for s in figures["nx"])
            + f" s; median {nx_median:.2f} s = {speedup:.1f}× ours (both with the k-d tree built in the call); "
            f"same figures as ours: {'yes' if figures['agree'] else 'NO'}"
        )
    print()
    ratio = median["cold"] / median["bare"]
    goals = [
        f"within {BARE_GOAL:.0f}× of the bare searches {verdict(ratio <= BARE_GOAL)} ({ratio:.2f}×)",
        f"< {COVERAGE_GOAL_S:.0f} s {verdict(median['cold'] < COVERAGE_GOAL_S)} ({median['cold']:.2f} s)",
    ]
    if "nx" in figures:
        goals.append(f"≥ {NETWORKX_GOAL:.0f}× networkx {verdict(speedup >= NETWORKX_GOAL)} ({speedup:.0f}×)")
    print("goals (judged on the analysis with the k-d tree built in the call): " + "; ".join(goals))
    return 0  # figures are read, not asserted (the machines are shared)


def coverage_main(args: argparse.Namespace) -> int:
    one_core(args.cpu)
    from threadpoolctl import threadpool_limits

    with threadpool_limits(1):
        figures = coverage_measure(args)
    return coverage_report(args, figures)


# --- facilities-siting -------------------------------------------------------------------------


def siting_arguments(parser: argparse.ArgumentParser) -> None:
    add_common(parser)
    parser.add_argument("--k", type=int, default=20, help="sites to choose (default 20)")
    parser.add_argument("--candidates", type=int, default=500, help="candidate street nodes (default 500)")
    parser.add_argument("--demand", type=int, default=5_000, help="demand points, buildings (default 5,000)")
    parser.add_argument("--district-km", type=float, default=8.0, help="side of the district (default 8 km)")
    parser.add_argument("--compounds", type=int, default=40, help="residential compounds in it (default 40)")
    parser.add_argument("--within", type=float, default=1000.0, help="walking distance, metres (default 1,000)")
    parser.add_argument("--repeat", type=int, default=3, help="timed reach builds and exact solves (default 3)")
    parser.add_argument("--city-candidates", type=int, default=2_000,
                        help="candidates of the city-scale memory check (default 2,000; 0 skips it)")  # fmt: skip


def siting_measure(args) -> dict:
    import numpy as np

    from linli.facilities.siting import REACH_CHUNK, candidate_reach, maximal_covering

    rng = np.random.default_rng(args.seed)
    harness.log("building the synthetic city")
    network, build_s, extent, n_edges = city(args.nodes, rng)
    half = min(args.district_km * 1000, extent) / 2
    compounds = rng.uniform(-half, half, (args.compounds, 2))
    x, y = scatter(rng, args.demand, compounds, 250.0, 2 * half)
    demand_nodes, offsets = network.snap(*metres_to_degrees(x, y))
    weights = np.maximum(np.round(rng.lognormal(4.0, 0.8, args.demand)), 1)
    cx, cy = rng.uniform(-half, half, (2, args.candidates))
    candidate_nodes, _ = network.snap(*metres_to_degrees(cx, cy))
    figures: dict = {"nodes": network.size, "edges": n_edges, "extent_km": extent / 1000, "build_s": build_s,
                     "weight": float(weights.sum()), "chunk": REACH_CHUNK}  # fmt: skip

    def reach():
        return candidate_reach(network, candidate_nodes, demand_nodes, offsets, args.within)

    harness.log(f"{network.size:,} nodes; reach matrix of {args.demand:,} demand points × {args.candidates} candidates")
    matrix = reach()
    figures["nnz"] = matrix.nnz
    per_demand = np.diff(matrix.indptr)
    figures["per_demand"] = float(per_demand.mean())
    figures["reachable"] = float(weights[per_demand > 0].sum())
    figures["reach_s"] = [seconds(reach) for _ in range(args.repeat)]
    figures["reach_memory"] = peak_memory(reach)
    harness.log(f"greedy, then the exact solve (milp) × {args.repeat}")
    greedy_s = []
    for _ in range(max(args.repeat, 5)):
        started = time.perf_counter()
        greedy = maximal_covering(weights, matrix, args.k, exact_max_pairs=0)
        greedy_s.append(time.perf_counter() - started)
    exact_s = []
    for _ in range(args.repeat):
        started = time.perf_counter()
        exact = maximal_covering(weights, matrix, args.k)
        exact_s.append(time.perf_counter() - started)
        harness.log(f"milp {exact_s[-1]:.2f} s, gap {exact.gap}")
    figures.update(greedy=greedy, exact=exact, greedy_s=greedy_s, exact_s=exact_s)
    if args.city_candidates:
        harness.log(f"city-scale memory check: {args.city_candidates:,} candidates, {args.demand:,} demand points")
        anywhere = rng.uniform(-extent / 2, extent / 2, (2, args.demand))
        city_demand, city_offsets = network.snap(*metres_to_degrees(*anywhere))
        spots = rng.uniform(-extent / 2, extent / 2, (2, args.city_candidates))
        city_candidates, _ = network.snap(*metres_to_degrees(*spots))

        def city_reach():
            return candidate_reach(network, city_candidates, city_demand, city_offsets, args.within)

        started = time.perf_counter()
        figures["city_nnz"] = city_reach().nnz
        figures["city_s"] = time.perf_counter() - started
        figures["city_memory"] = peak_memory(city_reach)
    return figures


def siting_report(args, figures: dict) -> int:
    greedy, exact = figures["greedy"], figures["exact"]
    reach_s, exact_s, greedy_s = (statistics.median(figures[k]) for k in ("reach_s", "exact_s", "greedy_s"))
    total = reach_s + exact_s
    print()
    print(
        f"facilities-siting benchmark — synthetic city: {figures['nodes']:,} street nodes, {figures['edges']:,} "
        f"segments ({figures['extent_km']:.1f} km square); K = {args.k} of {args.candidates} candidate nodes for "
        f"{args.demand:,} demand points ({args.compounds} compounds in a {args.district_km:g} × "
        f"{args.district_km:g} km district, {figures['weight']:,.0f} residents) within {args.within:,.0f} m "
        f"on foot; seed {args.seed}"
    )
    print(
        f"one core (CPU {args.cpu}, 1 BLAS/OpenMP thread); medians of {args.repeat} runs (greedy "
        f"{len(figures['greedy_s'])}); machine: {platform.machine()}, {os.cpu_count()} CPUs, {versions()}, "
        f"load {load_average()}"
    )
    print(
        f"reach: {figures['nnz']:,} demand–candidate pairs, {figures['per_demand']:.1f} candidates per demand point; "
        f"{figures['reachable']:,.0f} residents ({figures['reachable'] / figures['weight']:.1%}) within reach of some "
        f"candidate"
    )
    print()
    width = 46
    print(f"{'step':<{width}} {'median s':>8} {'residents covered':>17} {'of optimum':>10}")
    print("-" * (width + 38))
    print(f"{'candidate_reach (chunk ' + str(figures['chunk']) + ')':<{width}} {reach_s:>8.3f}")
    print(f"{'baseline: greedy (maximal_covering, no milp)':<{width}} {greedy_s:>8.4f} "
          f"{greedy.covered_weight:>17,.0f} {greedy.covered_weight / exact.covered_weight:>10.2%}")  # fmt: skip
    print(f"{'maximal_covering, exact (milp / HiGHS)':<{width}} {exact_s:>8.3f} {exact.covered_weight:>17,.0f} "
          f"{1:>10.2%}")  # fmt: skip
    print()
    print(
        f"exact: method {exact.method}, gap {exact.gap:.2e}, upper bound {exact.upper_bound:,.1f}; runs "
        + ", ".join(f"{s:.2f}" for s in figures["exact_s"])
        + f" s; {len(set(exact.chosen) & set(greedy.chosen))} of {args.k} sites in common with greedy; "
        f"greedy {exact.covered_weight - greedy.covered_weight:,.0f} residents short ({exact_s / greedy_s:,.0f}× "
        f"its time)"
    )
    print(f"peak memory, candidate_reach: {memory_text(figures['reach_memory'])}")
    if "city_s" in figures:
        dense = args.city_candidates * figures["nodes"] * 8 / 1e9
        print(
            f"city scale: {args.city_candidates:,} candidates × {args.demand:,} demand points anywhere in the city: "
            f"{figures['city_s']:.2f} s, {figures['city_nnz']:,} pairs; {memory_text(figures['city_memory'])} "
            f"(a dense candidates × nodes float64 matrix: {dense:.1f} GB)"
        )
    print()
    proven = exact.method == "milp" and exact.gap is not None and exact.gap <= 1e-4
    print(
        f"goal: < {SITING_GOAL_S:.0f} s to a proven optimum {verdict(total < SITING_GOAL_S and proven)} "
        f"({total:.2f} s = reach {reach_s:.2f} + milp {exact_s:.2f}; gap {exact.gap:.2e}, HiGHS's default "
        f"relative tolerance 1e-4)"
    )
    return 0  # figures are read, not asserted (the machines are shared)


def siting_main(args: argparse.Namespace) -> int:
    one_core(args.cpu)
    from threadpoolctl import threadpool_limits

    with threadpool_limits(1):
        figures = siting_measure(args)
    return siting_report(args, figures)


# the two entries `python -m bench` registers (a module's add_arguments / main / __doc__)
coverage_bench = types.SimpleNamespace(__doc__=__doc__, add_arguments=coverage_arguments, main=coverage_main)
siting_bench = types.SimpleNamespace(__doc__=__doc__, add_arguments=siting_arguments, main=siting_main)
