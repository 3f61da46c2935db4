"""`linli calendar-show YEAR` and `linli calendar-seed` from the workdays app."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from linli.workdays.models import WorkCalendarYear


def _run(*args) -> str:
    out = StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


def test_calendar_show_prints_an_unpublished_year_with_provisional_flags(db):
    text = _run("calendar_show", "2027")
    assert "尚未录入安排" in text
    assert "2027-02-05 周五  放假 holiday  春节  暂定 provisional" in text
    assert "2027-10-03 周日  放假 holiday  国庆节  暂定 provisional" in text
    assert text.count("暂定 provisional") == 13
    assert "共 13 个放假日、0 个调休上班日" in text


def test_calendar_show_prints_a_published_year_with_its_make_up_days(db):
    text = _run("calendar_show", "2026")
    assert "已公布的安排" in text and "provisional" not in text.split("\n", 1)[1]
    assert "2026-02-14 周六  上班 workday" in text  # 春节调休
    assert "2026-02-16 周一  放假 holiday" in text


def test_calendar_show_refuses_a_year_out_of_range(db):
    with pytest.raises(CommandError):
        call_command("calendar_show", "1800")


def test_calendar_seed_is_still_there(db):
    WorkCalendarYear.objects.filter(year=2025).delete()
    assert "已写入" in _run("calendar_seed", "2025")
    assert WorkCalendarYear.objects.filter(year=2025).exists()
