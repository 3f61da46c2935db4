"""The voting rule and the tally, by hand, without a database."""

from linli.consultation.domain.voting import Majority, VoteUnit, VotingRule, tally

HALF = VotingRule(VoteUnit.HOUSEHOLD, 50, Majority.HALF)


def test_more_than_half_of_the_cast_carries():
    result = tally({"A": 31, "B": 29}, 100, HALF)
    assert (result.cast, result.quorum_met, result.winner) == (60, True, "A")


def test_exactly_half_does_not_carry():
    assert tally({"A": 30, "B": 30}, 100, HALF).winner is None
    assert tally({"A": 25, "B": 20, "C": 5}, 100, HALF).winner is None  # 25 of 50 is not more than half


def test_quorum_is_a_share_of_the_roll_in_integers():
    assert tally({"A": 50, "B": 0}, 100, HALF).quorum_met is True  # 50 * 100 >= 100 * 50
    below = tally({"A": 49, "B": 0}, 100, HALF)
    assert (below.quorum_met, below.winner) == (False, None)
    assert tally({"A": 2}, 3, VotingRule(VoteUnit.ADULT, 67, Majority.HALF)).quorum_met is False  # 200 < 201


def test_two_thirds_counts_the_boundary_in():
    rule = VotingRule(VoteUnit.ADULT, 0, Majority.TWO_THIRDS)
    assert tally({"A": 40, "B": 20}, 100, rule).winner == "A"  # 40 * 3 == 60 * 2
    assert tally({"A": 39, "B": 21}, 100, rule).winner is None


def test_plurality_needs_a_single_leader():
    rule = VotingRule(VoteUnit.ADULT, 0, Majority.PLURALITY)
    assert tally({"A": 10, "B": 12, "C": 11}, 100, rule).winner == "B"
    assert tally({"A": 12, "B": 12, "C": 1}, 100, rule).winner is None


def test_no_votes_or_an_empty_roll_meets_no_quorum():
    nothing = VotingRule(VoteUnit.ADULT, 0, Majority.PLURALITY)
    assert tally({"A": 0, "B": 0}, 10, nothing).quorum_met is False
    assert tally({}, 0, nothing).quorum_met is False
    result = tally({"A": 0, "B": 0}, 10, nothing)
    assert (result.counts, result.cast, result.roll_size, result.winner) == ({"A": 0, "B": 0}, 0, 10, None)
