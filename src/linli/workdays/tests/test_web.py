"""The staff calendar page: reached from the menu by calendar admins only, the provisional days of
an unpublished year marked in words, one day entered with its basis, a whole year's schedule pasted
or uploaded (nothing saved while any line is wrong, each wrong line named by its number)."""

from django.core.files.uploadedfile import SimpleUploadedFile

from linli.core.models import AuditEntry
from linli.workdays.models import WorkCalendarDay, WorkCalendarYear
from linli.workdays.tests.test_services import SCHEDULE_2027

PAGE = "/staff/workdays/calendar/2027/"
SCHEDULE = "/staff/workdays/calendar/2027/schedule/"


def test_the_menu_leads_to_the_page_and_old_links_follow_it(as_user):
    admin = as_user("city_admin")
    assert 'href="/staff/workdays/calendar/"' in admin.get("/staff/").content.decode()
    moved = admin.get("/staff/desk/calendar/2027/")
    assert (moved.status_code, moved["Location"]) == (301, PAGE)
    assert admin.get("/staff/desk/calendar/")["Location"] == "/staff/workdays/calendar/"
    assert as_user("community_worker").get("/staff/workdays/calendar/").status_code == 404
    assert 'href="/staff/workdays/calendar/"' not in as_user("community_worker").get("/staff/").content.decode()


def test_an_unpublished_year_shows_its_provisional_holidays_in_words(as_user):
    admin = as_user("city_admin")
    page = admin.get(PAGE).content.decode()
    assert "暂定：仅含法定节假日，尚无调休安排" in page and "法定节假日（暂定）" in page
    assert "2027-02-05" in page and "2027-09-15" in page and "中秋节" in page
    assert page.count('<span class="tag paused">暂定</span>') == 13
    english = admin.get(PAGE, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Provisional: statutory holidays only, no swapped working days" in english
    # a published year names where its days come from in words, not as codes
    published = admin.get("/staff/workdays/calendar/2026/").content.decode()
    assert "已公布的安排（chinese-calendar 软件包）" in published


def test_an_admin_enters_one_day_with_its_basis(as_user):
    admin = as_user("city_admin")
    form = {"day": "2027-02-07", "is_workday": "1", "name": "春节调休", "reason": "国办发明电〔2026〕X号"}
    assert admin.post(PAGE, form | {"reason": ""}).status_code == 400  # the basis is required
    saved = admin.post(PAGE, form)
    assert (saved.status_code, saved["Location"]) == (302, PAGE)
    page = admin.get(PAGE).content.decode()
    assert "春节调休" in page and "管理员录入" in page and "2027-02-08" in page
    assert "暂定：仅含法定节假日" not in page and "法定节假日（暂定）" not in page
    assert AuditEntry.objects.get(action="calendar.day_set").details["reason"] == "国办发明电〔2026〕X号"


def test_a_pasted_schedule_with_bad_lines_saves_nothing_and_names_each_line(as_user):
    admin = as_user("city_admin")
    text = SCHEDULE_2027.replace("2027-06-09 休", "2027-06-31 休").replace("2027-10-09 班", "2027-10-09 上学")
    refused = admin.post(SCHEDULE, {"schedule-schedule": text, "schedule-reason": "通知"})
    assert refused.status_code == 400
    page = refused.content.decode()
    assert "未保存任何内容" in page
    assert "第 8 行「2027-06-31 休 端午节」：没有这一天：2027-06-31" in page
    assert "第 11 行「2027-10-09 上学 国庆节调休」：“上学”应为 休 或 班" in page
    assert not WorkCalendarDay.objects.filter(day__year=2027).exists()
    assert not WorkCalendarYear.objects.filter(year=2027).exists()


def test_a_schedule_file_is_entered_for_the_whole_year(as_user):
    admin = as_user("city_admin")
    upload = SimpleUploadedFile("2027.txt", ("\ufeff" + SCHEDULE_2027).encode("utf-8"), "text/plain")
    saved = admin.post(SCHEDULE, {"schedule-file": upload, "schedule-reason": "国办发明电〔2026〕X号"})
    assert (saved.status_code, saved["Location"]) == (302, PAGE)
    page = admin.get(PAGE).content.decode()
    assert "2027 年的放假安排已录入：工作日放假 20 天，周末上班 3 天。" in page
    assert "国庆节调休" in page and "法定节假日（暂定）" not in page
    assert WorkCalendarDay.objects.filter(day__year=2027, is_workday=True).count() == 3
    bad = SimpleUploadedFile("2027.txt", "2027-01-01 休 元旦".encode("gbk"), "text/plain")
    assert admin.post(SCHEDULE, {"schedule-file": bad, "schedule-reason": "通知"}).status_code == 400
