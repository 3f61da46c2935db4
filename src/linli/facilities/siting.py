"""Suggested sites, with no Django: the maximal covering location problem (MCLP).

Choose K candidate sites that maximise the residents newly brought within walking distance,
given the facilities that exist. Exact with `scipy.optimize.milp` (HiGHS) up to
`EXACT_MAX_PAIRS` demand–candidate pairs, greedy beyond (each step the site adding the most
uncovered residents; within 1 − 1/e of the optimum). The solver's gap is reported.

    maximise   Σ_i w_i y_i
    subject to y_i ≤ Σ_{j ∈ N_i} x_j     (a demand point counts only if a chosen site reaches it)
               Σ_j x_j = K
               x_j ∈ {0, 1},  0 ≤ y_i ≤ 1   (y may be continuous: at an optimum it is 0 or 1)
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy.optimize import Bounds, LinearConstraint, milp
from scipy.sparse import csr_matrix, hstack

EXACT_MAX_PAIRS = 2_000_000


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
    weights: np.ndarray, reach: csr_matrix, k: int, *, exact_max_pairs: int = EXACT_MAX_PAIRS
) -> Siting:
    """`weights[i]`: uncovered residents at demand point i; `reach[i, j]` = 1 when candidate j is
    within walking distance of demand point i."""
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
        return _exact(weights, reach, k)
    return _greedy(weights, reach, k)


def _exact(weights: np.ndarray, reach: csr_matrix, k: int) -> Siting:
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
    result = milp(c, constraints=constraints, integrality=integrality, bounds=Bounds(0, 1))
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


def reach_matrix(distance_rows: list[np.ndarray], within_m: float) -> csr_matrix:
    """From per-candidate arrays of walking distances to every demand point, the 0/1 reach
    matrix (demand × candidate)."""
    columns = [csr_matrix((d <= within_m).astype(float)).T for d in distance_rows]
    return hstack(columns).tocsr() if columns else csr_matrix((0, 0))
