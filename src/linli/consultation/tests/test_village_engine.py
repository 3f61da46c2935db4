"""The village procedure's rules without a database: the step order and the Organic Law's
quorums on hand-checked numbers, at their exact boundaries."""

from linli.consultation.domain.village import (
    STEP_ORDER,
    attendance_met,
    attendance_words,
    next_step,
    resolution_passes,
    steps_done,
    villagers_meeting_quorum,
    villagers_words,
    vote_words,
)


def test_the_steps_come_in_one_order():
    assert next_step([]) == "propose"
    assert next_step(["propose"]) == "discuss"
    assert next_step(list(STEP_ORDER[:4])) == "review"
    assert next_step(list(STEP_ORDER)) is None
    assert steps_done("") == []
    assert steps_done("deliberate") == ["propose", "discuss", "deliberate"]


def test_half_of_the_adults_exactly_is_not_enough():
    assert attendance_met("villagers_adults", 206, 412) is False
    assert attendance_met("villagers_adults", 207, 412) is True
    assert attendance_met("villagers_adults", 0, 0) is False


def test_two_thirds_of_the_households_exactly_is_enough():
    assert attendance_met("villagers_households", 100, 150) is True
    assert attendance_met("villagers_households", 99, 150) is False
    # 2/3 of 100 households is 66.67: 66 is short, 67 is enough
    assert attendance_met("villagers_households", 66, 100) is False
    assert attendance_met("villagers_households", 67, 100) is True


def test_a_villagers_meeting_needs_either_count():
    assert villagers_meeting_quorum(adults=412, adults_present=206, households=150, households_present=100) is True
    assert villagers_meeting_quorum(adults=412, adults_present=207, households=150, households_present=0) is True
    assert villagers_meeting_quorum(adults=412, adults_present=206, households=150, households_present=99) is False


def test_two_thirds_of_the_representatives_exactly_is_enough():
    assert attendance_met("representatives", 20, 30) is True
    assert attendance_met("representatives", 19, 30) is False


def test_half_of_those_present_voting_for_is_not_a_pass():
    assert resolution_passes("villagers_adults", 100, 200) is False
    assert resolution_passes("villagers_adults", 101, 200) is True
    assert resolution_passes("representatives", 10, 20) is False
    assert resolution_passes("representatives", 11, 21) is True
    assert resolution_passes("party_members", 0, 0) is False


def test_the_numbers_are_said_in_words():
    assert attendance_words("villagers_adults", 198, 412).zh == "应到 412 人，实到 198 人，未过半数"
    assert attendance_words("villagers_adults", 207, 412).zh == "应到 412 人，实到 207 人，已过半数"
    assert attendance_words("representatives", 19, 30).zh == "应到 30 人，实到 19 人，不足三分之二"
    assert attendance_words("representatives", 19, 30).en == "30 people on the roll, 19 present, not two thirds or more"
    assert vote_words("villagers_adults", 90, 198).zh == "实到 198 人，赞成 90 票，未过半数"
    both = villagers_words(adults=412, adults_present=198, households=150, households_present=80)
    assert both.zh == "应到 412 人，实到 198 人，未过半数；应到 150 户，实到 80 户，不足三分之二"
