"""The coverage and siting engines on small networks whose answers are checked by hand."""

import numpy as np
import pytest
from scipy.sparse import csr_matrix

from linli.facilities.coverage import Buildings, RoadNetwork, coverage, nearest_distances
from linli.facilities.siting import SitingError, candidate_reach, maximal_covering

M = 1 / 111_194.93  # degrees of latitude per metre (the engine's own spherical factor)
LAT0, LNG0 = 41.8, 123.4


def street(n: int, step_m: float = 100.0) -> RoadNetwork:
    """n nodes due north, `step_m` apart, joined in a line: node i is 100·i m from node 0."""
    lat = [LAT0 + i * step_m * M for i in range(n)]
    return RoadNetwork.from_edges(lat, [LNG0] * n, [(i, i + 1) for i in range(n - 1)])


def test_one_multi_source_search_gives_each_node_its_nearest_facility():
    network = street(7)
    distances = nearest_distances(network, np.array([0, 6]), limit_m=1000)
    assert np.allclose(distances, [0, 100, 200, 300, 200, 100, 0], atol=0.05)
    limited = nearest_distances(network, np.array([0]), limit_m=250)
    assert np.allclose(limited[:3], [0, 100, 200], atol=0.05) and np.isinf(limited[3:]).all()


def u_road() -> tuple[RoadNetwork, list[float], list[float]]:
    """A U-shaped road: 0–1–2 north, 2–3 east 100 m, 3–4–5 south; node 5 is 100 m east of node 0
    in a straight line but 500 m away on foot."""
    lat = [LAT0, LAT0 + 100 * M, LAT0 + 200 * M, LAT0 + 200 * M, LAT0 + 100 * M, LAT0]
    dlng = 100 * M / np.cos(np.radians(LAT0))
    lng = [LNG0, LNG0, LNG0, LNG0 + dlng, LNG0 + dlng, LNG0 + dlng]
    return RoadNetwork.from_edges(lat, lng, [(0, 1), (1, 2), (2, 3), (3, 4), (4, 5)]), lat, lng


def test_coverage_counts_residents_not_buildings_and_walks_the_network():
    network, lat, lng = u_road()
    buildings = Buildings(
        lat=np.array(lat[1:]) + 10 * M,  # each 10 m north of its node
        lng=np.array(lng[1:]),
        residents=np.array([10, 20, 30, 40, 50]),
        community=np.array(["A", "A", "B", "B", "B"]),
    )
    result = coverage(network, buildings, {"clinic": ([LAT0], [LNG0])}, distances_m=(300, 500, 1000))["clinic"]
    # walking: 100, 200, 300, 400, 500 m along the road + 10 m from the door to the road
    assert np.allclose(result.distance_m, [110, 210, 310, 410, 510], atol=0.1)
    assert result.covered_residents == {300: 30, 500: 100, 1000: 150}
    assert result.by_community[500] == {"A": (30, 30), "B": (70, 120)}
    # the building at node 5 is ~100 m from the clinic as the crow flies, yet not within 500 m
    assert result.distance_m[4] > 500


def test_a_kind_with_no_facility_covers_nobody():
    network = street(3)
    buildings = Buildings(np.array([LAT0]), np.array([LNG0]), np.array([7]), np.array(["A"]))
    result = coverage(network, buildings, {"library": ([], [])}, distances_m=(1000,))["library"]
    assert result.covered_residents == {1000: 0} and np.isinf(result.distance_m).all()


def test_parallel_roads_keep_the_shortest():
    network = RoadNetwork.from_lengths(
        [LAT0, LAT0], [LNG0, LNG0 + 0.01], np.array([[0, 1], [0, 1]]), np.array([500.0, 80.0])
    )
    assert np.allclose(nearest_distances(network, np.array([0]), 1000), [0, 80])


# demand d0..d3 with weights 3, 3, 2, 2; c0 reaches {d0, d2}, c1 {d1, d3}, c2 {d0, d1}
REACH = csr_matrix(np.array([[1, 0, 1], [0, 1, 1], [1, 0, 0], [0, 1, 0]], dtype=float))
WEIGHTS = np.array([3, 3, 2, 2])


def test_the_exact_solver_finds_the_optimum_greedy_misses():
    exact = maximal_covering(WEIGHTS, REACH, 2)
    assert (exact.chosen, exact.covered_weight, exact.method, exact.gap) == ([0, 1], 10.0, "milp", 0.0)
    greedy = maximal_covering(WEIGHTS, REACH, 2, exact_max_pairs=0)
    assert (greedy.chosen, greedy.covered_weight, greedy.method, greedy.gap) == ([0, 2], 8.0, "greedy", None)
    assert maximal_covering(WEIGHTS, REACH, 1).chosen == [2]  # one site: the one reaching 6


@pytest.mark.parametrize("k", [0, 4])
def test_k_must_fit_the_candidates(k):
    with pytest.raises(SitingError, match="K 应在 1 到候选点数 3 之间"):
        maximal_covering(WEIGHTS, REACH, k)


def test_candidate_reach_on_a_street_by_hand():
    # street 0–6, 100 m apart; demand at nodes 1, 2, 5; candidates at nodes 0, 6, 3 and 3 again.
    # Within 250 m: node 0 reaches 1 (100 m), 2 (200 m), not 5 (500 m); node 6 only 5 (100 m);
    # node 3 all three (200, 100, 200 m); the repeated candidate has its own, equal column.
    network = street(7)
    expected = [[1, 0, 1, 1], [1, 0, 1, 1], [0, 1, 1, 1]]
    for chunk in (1, 2, 32):
        reach = candidate_reach(network, [0, 6, 3, 3], [1, 2, 5], [0, 0, 0], 250, chunk=chunk)
        assert reach.format == "csr" and reach.shape == (3, 4)
        assert reach.toarray().tolist() == expected


def test_the_walk_to_the_road_counts_against_the_distance():
    network = street(7)
    # the point at node 2 lives 60 m from the road: 260 m from node 0 (out), 160 m from node 3;
    # the point at node 5 lives 300 m from it: out of reach of every candidate, even one at node 5
    reach = candidate_reach(network, [0, 3, 5], [1, 2, 5], [0, 60, 300], 250)
    assert reach.toarray().tolist() == [[1, 1, 0], [0, 1, 0], [0, 0, 0]]
    assert reach.nnz == 3


def test_candidate_reach_walks_the_network_not_the_crow_line():
    network, _, _ = u_road()
    # node 5 is 100 m from node 0 as the crow flies, 500 m on foot
    reach = candidate_reach(network, [5, 1], [0], [10], 300)
    assert reach.toarray().tolist() == [[0, 1]]
    assert candidate_reach(network, [5], [0], [10], 510).toarray().tolist() == [[1]]


def test_a_candidate_beyond_every_demand_point_reaches_nobody():
    network = street(30)  # 2.9 km long: node 29 is far outside the 300 m around node 0
    reach = candidate_reach(network, [29, 1], [0], [0], 300)
    assert reach.toarray().tolist() == [[0, 1]]
    assert candidate_reach(network, [1], [0], [400], 300).nnz == 0  # nobody has metres left
    assert candidate_reach(network, [], [0], [0], 300).shape == (1, 0)


def test_the_reach_feeds_the_solver():
    network = street(7)
    reach = candidate_reach(network, [0, 6, 3], [1, 2, 5], [0, 0, 0], 250)
    siting = maximal_covering(np.array([5, 5, 5]), reach, 1)
    assert (siting.chosen, siting.covered_weight) == ([2], 15.0)  # node 3 reaches all three


def test_candidate_reach_wants_an_offset_per_demand_point():
    with pytest.raises(SitingError, match="需求点与偏移数量不一致"):
        candidate_reach(street(3), [0], [1, 2], [0], 250)


def test_coverage_tells_its_progress_after_each_kind():
    network = street(5)
    buildings = Buildings(np.array([LAT0]), np.array([LNG0]), np.array([1]), np.array(["c"]))
    told = []
    coverage(
        network, buildings, {"a": ([LAT0], [LNG0]), "b": ([LAT0], [LNG0])}, on_kind=lambda d, t: told.append((d, t))
    )
    assert told == [(1, 2), (2, 2)]
