"""Classes' rules with no database."""

from linli.care.domain.classes import community_of, opening_rate, rating_mean, rating_problem, text_problem


def test_rating_takes_one_to_five_stars():
    assert rating_problem(1) is None
    assert rating_problem("5") is None
    assert rating_problem(0).en == "Choose 1 to 5 stars"
    assert rating_problem(6).zh == "请选择 1 到 5 颗星"
    assert rating_problem("x").en == "Choose 1 to 5 stars"
    assert rating_problem(None).en == "Choose 1 to 5 stars"


def test_text_names_what_is_missing_and_the_limit():
    assert text_problem("书法", minimum=2, maximum=80, zh="想学的内容", en="the topic") is None
    assert text_problem(" ", minimum=2, maximum=80, zh="想学的内容", en="the topic").en == "Write the topic"
    long = text_problem("x" * 81, minimum=2, maximum=80, zh="想学的内容", en="the topic")
    assert (long.zh, long.en) == ("想学的内容不能超过 80 字", "The topic is at most 80 characters")


def test_opening_rate_and_mean():
    assert opening_rate(3, 4) == 0.75
    assert opening_rate(0, 0) == 0.0
    assert rating_mean(9, 2) == 4.5
    assert rating_mean(0, 0) is None
    assert community_of("210102001002001001") == "210102001002"
