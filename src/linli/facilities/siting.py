"""Suggested sites, with no Django: the maximal covering location problem (MCLP).

Choose K candidate sites that maximise the residents newly brought within walking distance,
given the facilities that exist. Exact with `scipy.optimize.milp` (HiGHS) up to
`EXACT_MAX_PAIRS` demand–candidate pairs, greedy beyond (each step the site adding the most
uncovered residents; within 1 − 1/e of the optimum). The solver's gap is reported.
`candidate_reach` builds the reach matrix from the road network, a bounded search per candidate.

    maximise   Σ_i w_i y_i
    subject to y_i ≤ Σ_{j ∈ N_i} x_j     (a demand point counts only if a chosen site reaches it)
               Σ_j x_j = K
               x_j ∈ {0, 1},  0 ≤ y_i ≤ 1   (y may be continuous: at an optimum it is 0 or 1)
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

import numpy as np
from scipy.optimize import Bounds, LinearConstraint, milp
from scipy.sparse import csr_matrix, hstack
from scipy.sparse.csgraph import dijkstra

EXACT_MAX_PAIRS = 2_000_000
EXACT_TIME_LIMIT_S = 120.0  # an analysis run is a background task, but it must end
# Candidates searched together: each call fills one float64 row per candidate over the nodes near
# the demand (8 × 200,000 × 8 B = 13 MB at city scale). Bigger chunks are no faster: scipy resets
# a whole row per source anyway, and bigger blocks fall out of the cache.
REACH_CHUNK = 8


class Network(Protocol):
    """What `candidate_reach` needs of a `coverage.RoadNetwork` (the engines are independent
    modules: neither imports the other)."""

    graph: csr_matrix  # symmetric, edge weights in metres


class SitingError(ValueError):
    """Bad input: named in Chinese and English."""


@dataclass(frozen=True)
class Siting:
    chosen: list[int]  # candidate indices
    covered_weight: float  # residents newly covered by the chosen sites
    method: str  # "milp" or "greedy"
    gap: float | None  # relative MIP gap proven by the solver (0 = proven optimum); None for greedy
    upper_bound: float | None


def maximal_covering(
    weights: np.ndarray,
    reach: csr_matrix,
    k: int,
    *,
    exact_max_pairs: int = EXACT_MAX_PAIRS,
    time_limit_s: float = EXACT_TIME_LIMIT_S,
) -> Siting:
    """`weights[i]`: uncovered residents at demand point i; `reach[i, j]` = 1 when candidate j is
    within walking distance of demand point i. A hard instance stops at `time_limit_s` with the
    best sites found and the gap still open (reported, so nobody mistakes it for the optimum)."""
    weights = np.asarray(weights, float)
    reach = csr_matrix(reach, dtype=float)
    n_demand, n_candidates = reach.shape
    if len(weights) != n_demand:
        raise SitingError("需求点与权重数量不一致 / demand points and weights differ in number")
    if not 1 <= k <= n_candidates:
        raise SitingError(
            f"K 应在 1 到候选点数 {n_candidates} 之间 / K must be between 1 and the {n_candidates} candidates"
        )
    if reach.nnz <= exact_max_pairs:
        return _exact(weights, reach, k, time_limit_s)
    return _greedy(weights, reach, k)


def _exact(weights: np.ndarray, reach: csr_matrix, k: int, time_limit_s: float) -> Siting:
    n_demand, n_candidates = reach.shape
    # variables: x_0..x_{J-1}, y_0..y_{I-1}; milp minimises, so the objective is −w·y
    c = np.concatenate([np.zeros(n_candidates), -weights])
    cover = hstack([-reach, _identity(n_demand)])
    pick = hstack([csr_matrix(np.ones((1, n_candidates))), csr_matrix((1, n_demand))])
    constraints = [
        LinearConstraint(cover, -np.inf, 0),  # y_i − Σ x_j ≤ 0
        LinearConstraint(pick, k, k),
    ]
    integrality = np.concatenate([np.ones(n_candidates), np.zeros(n_demand)])
    result = milp(
        c, constraints=constraints, integrality=integrality, bounds=Bounds(0, 1), options={"time_limit": time_limit_s}
    )
    if result.x is None:
        raise SitingError(f"求解失败：{result.message} / the solver failed: {result.message}")
    chosen = sorted(int(j) for j in np.flatnonzero(result.x[:n_candidates] > 0.5))
    value = -float(result.fun)
    bound = -float(getattr(result, "mip_dual_bound", result.fun))
    gap = float(getattr(result, "mip_gap", 0.0) or 0.0)
    return Siting(chosen, value, "milp", gap, bound)


def _identity(n: int) -> csr_matrix:
    return csr_matrix((np.ones(n), (np.arange(n), np.arange(n))), shape=(n, n))


def _greedy(weights: np.ndarray, reach: csr_matrix, k: int) -> Siting:
    by_candidate = reach.T.tocsr()
    remaining = weights.copy()
    chosen: list[int] = []
    total = 0.0
    for _ in range(k):
        gains = by_candidate @ remaining
        if chosen:
            gains[chosen] = -1
        best = int(np.argmax(gains))
        chosen.append(best)
        total += float(gains[best])
        remaining[by_candidate[best].indices] = 0
    return Siting(sorted(chosen), total, "greedy", None, None)


def candidate_reach(
    network: Network,
    candidate_nodes: np.ndarray,
    demand_nodes: np.ndarray,
    demand_offsets_m: np.ndarray,
    within_m: float,
    *,
    chunk: int = REACH_CHUNK,
) -> csr_matrix:
    """The 0/1 reach matrix (demand × candidate) for `maximal_covering`: demand point i is reached
    by candidate j when `demand_offsets_m[i]` (its straight walk to its snapped node) plus the
    network distance from `demand_nodes[i]` to `candidate_nodes[j]` is at most `within_m`.

    Memory stays bounded at city scale: the graph is first cut down to the nodes within
    `within_m` of some demand point (one multi-source search; every path that can count lies
    inside it), then the candidates are searched `chunk` at a time with the search bounded by
    `within_m`, keeping only the pairs within reach."""
    candidate_nodes = np.asarray(candidate_nodes, dtype=np.int64)
    demand_nodes = np.asarray(demand_nodes, dtype=np.int64)
    offsets = np.asarray(demand_offsets_m, float)
    n_demand, n_candidates = len(demand_nodes), len(candidate_nodes)
    if len(offsets) != n_demand:
        raise SitingError("需求点与偏移数量不一致 / demand points and offsets differ in number")
    if chunk < 1:
        raise SitingError("chunk 至少为 1 / chunk must be at least 1")
    shape = (n_demand, n_candidates)
    if not n_demand or not n_candidates or network.graph.shape[0] == 0:
        return csr_matrix(shape)
    budget = within_m - offsets  # network metres left to each demand point
    limit = float(budget.max())
    if limit < 0:
        return csr_matrix(shape)
    # the nodes any counted path can pass through: within `limit` of some demand node
    near = dijkstra(network.graph, indices=np.unique(demand_nodes), min_only=True, limit=limit)
    keep = np.flatnonzero(np.isfinite(near))
    local = np.full(network.graph.shape[0], -1, dtype=np.int64)
    local[keep] = np.arange(len(keep))
    graph = network.graph[keep][:, keep]
    demand_local = local[demand_nodes]  # every demand node is kept (at distance 0)
    candidate_local = local[candidate_nodes]
    # each distinct candidate node is searched once (a column per distinct node, then one per
    # candidate); a candidate farther than `limit` from every demand point (dropped, -1) reaches none
    nodes, column_of = np.unique(candidate_local, return_inverse=True)
    first = int(np.searchsorted(nodes, 0))
    rows, cols = [np.zeros(0, dtype=np.int64)], [np.zeros(0, dtype=np.int64)]
    for start in range(first, len(nodes), chunk):
        distance = dijkstra(graph, indices=nodes[start : start + chunk], limit=limit)[:, demand_local]
        source, demand = np.nonzero(distance <= budget)  # chunk × demand, compared with each one's budget
        rows.append(demand)
        cols.append(source + start)
    demand_index, node_index = np.concatenate(rows), np.concatenate(cols)
    by_node = csr_matrix((np.ones(len(demand_index)), (demand_index, node_index)), shape=(n_demand, len(nodes)))
    return by_node[:, column_of.ravel()].tocsr()
