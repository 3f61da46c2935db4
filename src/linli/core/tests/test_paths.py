import pytest
from hypothesis import given
from hypothesis import strategies as st

from linli.core.paths import prefix_upper_bound, under_path


@pytest.mark.parametrize(("prefix", "upper"), [("210102", "210103"), ("2109", "211"), ("2199", "22"), ("99", None)])
def test_upper_bound(prefix, upper):
    assert prefix_upper_bound(prefix) == upper


digits = st.text(alphabet="0123456789", min_size=1, max_size=8)


@given(prefix=digits, path=digits)
def test_range_matches_exactly_the_strings_with_the_prefix(prefix, path):
    upper = prefix_upper_bound(prefix)
    in_range = path >= prefix and (upper is None or path < upper)
    assert in_range == path.startswith(prefix)


def test_non_digit_paths_are_refused():
    with pytest.raises(ValueError, match="digit strings"):
        under_path("path", "21%")
