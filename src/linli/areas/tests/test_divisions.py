"""Importing the NBS divisions table: the real Shenyang file, idempotence, and refusals."""

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from linli.areas.domain import parse_divisions
from linli.areas.management.commands.import_divisions import SHIPPED
from linli.areas.models import OrgUnit
from linli.areas.services import DivisionFileRejectedError, divisions_import
from linli.testing import HEADER, SMALL_TREE, SYSTEM


@pytest.fixture
def shenyang(db):
    return divisions_import(actor=SYSTEM, text=SHIPPED.read_text(encoding="utf-8"), source="shipped")


def test_real_shenyang_tree_loads_with_the_published_counts(shenyang):
    assert shenyang.created == 2907
    counts = {kind: OrgUnit.objects.filter(kind=kind).count() for kind in ("city", "district", "street")}
    assert counts == {"city": 1, "district": 13, "street": 190}
    assert OrgUnit.objects.filter(kind__in=["community", "village"]).count() == 2703
    assert OrgUnit.objects.filter(kind="village").count() == 1539
    assert OrgUnit.objects.filter(depth=1).order_by("path").first().name == "和平区"


def test_urban_rural_is_derived_from_the_unit_type_and_marked(shenyang):
    village = OrgUnit.objects.filter(unit_type="village").first()
    community = OrgUnit.objects.get(code="210102001002")
    assert (village.urban_rural, community.urban_rural) == ("rural", "urban")
    assert village.urban_rural_derived and community.urban_rural_derived


def test_parents_and_paths_follow_the_code(shenyang):
    unit = OrgUnit.objects.select_related("parent__parent__parent").get(code="210102001002")
    assert unit.path == "210102001002"
    assert [unit.parent.path, unit.parent.parent.path, unit.parent.parent.parent.path] == [
        "210102001",
        "210102",
        "2101",
    ]
    # "everything under street S" is one prefix query
    assert (
        OrgUnit.objects.filter(path__startswith="210102001").exclude(path="210102001").count()
        == OrgUnit.objects.filter(parent=unit.parent).count()
    )


def test_reimport_changes_nothing(shenyang):
    again = divisions_import(actor=SYSTEM, text=SHIPPED.read_text(encoding="utf-8"))
    assert (again.created, again.updated, again.unchanged) == (0, 0, 2907)


def test_reimport_updates_a_renamed_unit(db):
    divisions_import(actor=SYSTEM, text=SMALL_TREE)
    renamed = SMALL_TREE.replace("210102001002,水源地社区", "210102001002,水源地新社区")
    result = divisions_import(actor=SYSTEM, text=renamed)
    assert (result.created, result.updated) == (0, 1)
    assert OrgUnit.objects.get(code="210102001002").name == "水源地新社区"


BAD_FILES = [
    (HEADER + "2101,沈阳市,city,prefecture_city,210000000000,,\n", 2, "12 位数字"),
    (HEADER + "210100000000,沈阳市,town,prefecture_city,210000000000,,\n", 2, "level"),
    (HEADER + "210100000000,沈阳市,city,village,210000000000,,\n", 2, "unit_type"),
    (HEADER + "210100000001,沈阳市,city,prefecture_city,210000000000,,\n", 2, "末尾应补零"),
    (HEADER + "210100000000,,city,prefecture_city,210000000000,,\n", 2, "name"),
    (HEADER + "210100000000,沈阳市,city,prefecture_city\n", 2, "列"),
    (HEADER + "210102000000,和平区,district,district,210100000000,210102,和平区\n", 2, "上级"),
    ("code,name\n210100000000,沈阳市\n", 1, "表头"),
    ("", 1, "为空"),
]


@pytest.mark.parametrize(("text", "line", "reason"), BAD_FILES)
def test_malformed_file_is_refused_with_line_and_reason(db, text, line, reason):
    _, errors = parse_divisions(text)
    assert errors and errors[0].line == line and reason in errors[0].message.zh
    with pytest.raises(DivisionFileRejectedError):
        divisions_import(actor=SYSTEM, text=text)
    assert not OrgUnit.objects.exists()


def test_one_bad_line_rejects_the_whole_file_and_keeps_the_old_tree(db):
    divisions_import(actor=SYSTEM, text=SMALL_TREE)
    before = list(OrgUnit.objects.values_list("code", "name"))
    broken = SMALL_TREE.replace("水源地社区", "新名字") + "21010200300X,坏行,community,community,210102003000,,\n"
    with pytest.raises(DivisionFileRejectedError) as caught:
        divisions_import(actor=SYSTEM, text=broken)
    assert [e.line for e in caught.value.line_errors] == [13]
    assert list(OrgUnit.objects.values_list("code", "name")) == before


def test_duplicate_code_and_wrong_parent_prefix_are_reported(db):
    text = SMALL_TREE + "210102001002,重复,community,community,210102001000,210102,和平区\n"
    text += "210103001005,错位,community,community,210102001000,210103,沈河区\n"
    _, errors = parse_divisions(text)
    reasons = {e.line: e.message.en for e in errors}
    assert "repeats line 8" in reasons[13]
    assert "does not extend its parent" in reasons[14]


def test_command_prints_every_error_and_exits_non_zero(db, tmp_path, capsys):
    bad = tmp_path / "bad.csv"
    bad.write_text(HEADER + "x,y,city,prefecture_city,210000000000,,\n", encoding="utf-8")
    with pytest.raises(CommandError, match="nothing was imported"):
        call_command("import_divisions", str(bad))
    assert "bad.csv: line 2 (第 2 行)" in capsys.readouterr().err
    assert not OrgUnit.objects.exists()


def test_command_refuses_missing_and_non_utf8_files(db, tmp_path):
    with pytest.raises(CommandError, match="file not found"):
        call_command("import_divisions", str(tmp_path / "nope.csv"))
    gbk = tmp_path / "gbk.csv"
    gbk.write_bytes(SMALL_TREE.encode("gbk"))
    with pytest.raises(CommandError, match="not UTF-8"):
        call_command("import_divisions", str(gbk))
