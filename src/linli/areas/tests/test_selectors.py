from linli.areas.selectors import (
    areas_counts_under,
    department_list,
    org_unit_ancestors,
    org_unit_is_under,
    org_unit_list,
    org_unit_search,
)


def test_child_counts_come_from_one_group_by_per_kind(tree, django_assert_num_queries):
    with django_assert_num_queries(2):
        counts = areas_counts_under(parent_path="210102", child_length=9)
    assert counts["grids"] == {"210102001": 4, "210102002": 2}
    assert counts["buildings"] == {"210102001": 4, "210102002": 2}


def test_is_under_is_a_prefix_test(tree):
    assert org_unit_is_under("210102001002", "210102")
    assert not org_unit_is_under("210103001001", "210102")


def test_ancestors_run_from_the_city_down(tree):
    assert [u.name for u in org_unit_ancestors(tree["210102001002"])] == ["沈阳市", "和平区", "浑河湾街道"]


def test_search_matches_part_of_a_name_inside_scope(actors):
    assert [u.name for u in org_unit_search(actor=actors["city_admin"], q="河")] == [
        "沈河区",
        "浑河湾街道",
        "滨河街道",
        "浑河湾社区",
        "滨河社区",
    ]
    assert list(org_unit_search(actor=actors["city_admin"], q="  ")) == []


def test_departments_serving_a_community_include_district_and_city(actors):
    names = {d.name for d in department_list(actor=actors["community_worker"])}
    assert "和平区民政局" in names and "沈阳市民政局" in names
    assert "沈河区民政局" not in names
    assert department_list(actor=actors["resident"]).count() == 0


def test_empty_scope_filters_to_nothing(actors, tree):
    assert org_unit_list(actor=actors["no_posting"]).count() == 0
    assert org_unit_list(actor=actors["city_admin"]).count() == len(tree)
