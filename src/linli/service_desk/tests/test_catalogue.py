"""The catalogue residents search and read: themes, fuzzy search (segmentation, pinyin, initials,
keywords, synonyms), guides with steps, questions, a phone and forms, English names, and the
import of those columns."""

import csv
import io
from pathlib import Path

import pytest

from linli.service_desk import search as engine
from linli.service_desk import selectors
from linli.service_desk.management.commands.import_catalogue import SHIPPED
from linli.service_desk.models import SearchSynonym, ServiceItem, ServiceItemVersion
from linli.service_desk.services import catalogue_import
from linli.service_desk.tests.conftest import CATALOGUE_ADMIN

SYNONYMS_CSV = Path(SHIPPED).with_name("search_synonyms.csv")


# ---------------------------------------------------------------- the search engine (no database)
@pytest.fixture(scope="module")
def shipped():
    """The shipped catalogue and synonyms table, indexed as the pages index them."""
    with SHIPPED.open(encoding="utf-8") as handle:
        rows = [row for row in csv.DictReader(handle) if row["item_type_code"].strip()]
    with SYNONYMS_CSV.open(encoding="utf-8") as handle:
        synonyms = {row["term"]: tuple(row["synonyms"].split()) for row in csv.DictReader(handle)}
    entries = [
        engine.index_entry(
            key=row["item_name"],
            name=row["item_name"],
            name_en=row["item_name_en"],
            keywords=row["keywords"],
            theme_words=[row["category"]],
        )
        for row in rows
    ]
    return entries, synonyms


def found(shipped, query: str) -> list[str]:
    entries, synonyms = shipped
    return [hit.key for hit in engine.search(entries, query, synonyms)]


@pytest.mark.parametrize("query", ["老人", "gaoling", "养老", "gljt", "GaoLing", "ｇａｏｌｉｎｇ", "高龄 津贴"])
def test_the_old_age_allowance_is_found_by_the_words_residents_type(shipped, query):
    assert "高龄津贴申请" in found(shipped, query)


def test_pinyin_and_initials_find_the_name_first(shipped):
    assert found(shipped, "gaoling")[0] == "高龄津贴申请"
    assert found(shipped, "gljt") == ["高龄津贴申请"]
    assert found(shipped, "shebaoka")[0] == "社会保障卡申领/补换"  # the keyword 社保卡 in pinyin
    # pinyin starts on a syllable: "aol" is inside gaoling but is not a syllable start
    assert "高龄津贴申请" not in found(shipped, "aol")


def test_name_hits_rank_above_keyword_and_synonym_hits(shipped):
    results = found(shipped, "养老")
    entries, synonyms = shipped
    hits = {hit.key: hit for hit in engine.search(entries, "养老", synonyms)}
    named = [key for key in results if "养老" in key]
    assert named and results[: len(named)] == named  # every item named 养老… comes first
    assert hits["高龄津贴申请"].tier < engine.Tier.NAME
    assert results.index("高龄津贴申请") > results.index(named[-1])


def test_synonyms_widen_a_query_and_function_words_are_ignored(shipped):
    # 老人 is in no item's name: the synonyms table (老人 → 高龄 养老 老年) finds the names
    entries, synonyms = shipped
    plain = {hit.key: hit for hit in engine.search(entries, "老人", {})}
    widened = {hit.key: hit for hit in engine.search(entries, "老人", synonyms)}
    assert plain["高龄津贴申请"].tier == engine.Tier.KEYWORD  # its keyword 老人 alone
    assert widened["高龄津贴申请"].tier == engine.Tier.NAME_SYNONYM and len(widened) > len(plain)
    assert found(shipped, "老人补贴怎么领")[0] == "高龄津贴申请"
    assert "失业登记" in found(shipped, "我想找工作")


def test_a_wrong_character_of_the_same_sound_still_finds_the_item(shipped):
    assert found(shipped, "高玲津贴")[0] == "高龄津贴申请"


def test_a_query_that_matches_nothing_finds_nothing(shipped):
    assert found(shipped, "火星签证") == []
    assert found(shipped, "   ") == []
    assert found(shipped, "q") == []  # one letter is too little for pinyin


def test_english_names_and_themes_are_searched_too(shipped):
    assert found(shipped, "residence permit")[0] == "居住证申领"
    assert "高龄津贴申请" in found(shipped, "elderly")


# ---------------------------------------------------------------- pages
def test_the_catalogue_page_finds_the_allowance_for_an_old_person_in_two_queries(
    client, desk, django_assert_num_queries
):
    client.get("/services/", {"q": "预热"})  # jieba's dictionary and the synonyms memo, once per process
    with django_assert_num_queries(2):
        page = client.get("/services/", {"q": "老人"}).content.decode()
    assert "/services/SQ007/" in page and "高龄津贴申请" in page
    # the theme chips count the whole catalogue's items per theme
    assert '养老服务 <span class="theme-count">4</span>' in page
    assert '社会救助 <span class="theme-count">8</span>' in page


def test_nothing_found_says_so_and_suggests_themes(client, desk):
    page = client.get("/services/", {"q": "火星签证"}).content.decode()
    assert "没有找到" in page and "火星签证" in page
    assert "?category=elderly" in page and "?category=social_assistance" in page


def test_a_theme_lists_its_items_only(client, desk):
    page = client.get("/services/", {"category": "veterans"}).content.decode()
    assert "退役军人优待证申领" in page and "高龄津贴申请" not in page
    assert 'aria-current="page"' in page
    every = client.get("/services/", {"category": "no-such-theme"}).content.decode()
    assert "高龄津贴申请" in every and "退役军人优待证申领" in every  # an unknown theme shows all


def test_the_search_index_is_built_once_per_version(client, desk, monkeypatch):
    selectors._INDEX.clear()
    built = []
    real = selectors.index_entry
    monkeypatch.setattr(selectors, "index_entry", lambda **kw: built.append(kw["key"]) or real(**kw))
    client.get("/services/", {"q": "老人"})
    client.get("/services/", {"q": "gaoling"})
    assert len(built) == ServiceItem.objects.filter(is_active=True).count() == 43
    # a new version of one item is indexed on the next search; the others are not rebuilt
    text = SHIPPED.read_text(encoding="utf-8").replace("高龄 高龄补贴 老人", "高龄 长寿金 老人", 1)
    result = catalogue_import(actor=CATALOGUE_ADMIN, text=text)
    assert result.new_versions == 1
    client.get("/services/", {"q": "长寿金"})
    assert built[43:] == ["SQ007"]


def test_the_guide_shows_steps_questions_phone_basis_and_forms(client, desk):
    page = client.get("/services/SQ007/").content.decode()
    assert '<ol class="guide-steps">' in page and page.count('class="guide-step"') == 5
    assert "社区受理、初审" in page and "按月发放" in page
    assert "<details" in page and "谁可以领？" in page
    assert 'href="tel:12345"' in page
    assert "《中华人民共和国老年人权益保障法》" in page
    assert "/services/SQ007/forms/1/" in page and "高龄津贴申请表" in page


def test_a_form_downloads_from_the_shipped_files_with_its_type(client, desk):
    response = client.get("/services/SQ007/forms/1/")
    body = b"".join(response.streaming_content)
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert body.startswith(b"%PDF-") and "attachment" in response["Content-Disposition"]
    assert "%E9%AB%98%E9%BE%84" in response["Content-Disposition"]  # 高龄… as the file's name
    assert client.get("/services/SQ007/forms/2/").status_code == 404
    assert client.get("/services/SQ009/forms/1/").status_code == 404  # an item without forms


def test_english_pages_show_english_names_and_fall_back_to_chinese(client, desk):
    english = client.get("/services/SQ007/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Allowance for people aged 80 and over" in english
    assert "Bank card or social security card" in english and "Paid monthly" in english
    assert "Who can receive it?" in english and "Elderly care" in english
    listing = client.get("/services/", {"q": "gaoling"}, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Allowance for people aged 80 and over" in listing and "高龄津贴申请" not in listing
    # an item without English names shows its Chinese ones
    version = ServiceItem.objects.get(code="SQ009").current
    ServiceItemVersion.objects.filter(pk=version.pk).update(name_en="")
    assert "老年人优待证办理" in client.get("/services/SQ009/", HTTP_ACCEPT_LANGUAGE="en").content.decode()


# ---------------------------------------------------------------- import
def test_the_import_stores_the_guide_columns_and_an_unchanged_row_makes_no_version(desk):
    version = ServiceItem.objects.get(code="SQ007").current
    assert version.name_en.startswith("Allowance for people aged 80") and version.category == "elderly"
    assert "老人" in version.keywords and version.phone == "12345"
    assert version.steps[0] == {"name": "提出申请", "name_en": "Apply"}
    assert version.faq[0]["q"] == "谁可以领？" and version.faq[0]["a_en"].startswith("Residents registered")
    assert version.forms == [
        {
            "name": "高龄津贴申请表",
            "name_en": "Application form for the old-age allowance",
            "file": "gaoling_allowance_application.pdf",
        }
    ]
    assert [m["name_en"] for m in version.materials][:2] == [
        "Original and copy of ID card and household register",
        "Bank card or social security card",
    ]
    again = catalogue_import(actor=CATALOGUE_ADMIN, text=SHIPPED.read_text(encoding="utf-8"))
    assert (again.created, again.new_versions, again.unchanged) == (0, 0, 43)
    themed = ServiceItemVersion.objects.exclude(category="").values("item").distinct().count()
    assert themed == 43 and not ServiceItemVersion.objects.filter(name_en="").exists()


def _csv(rows: list[dict]) -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(rows[0]))
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue()


GOOD = {
    "序号": "90",
    "事项名称": "测试事项",
    "英文名称": "Test item",
    "分类": "养老服务",
    "关键词": "测试 样例",
    "事项类型代码": "20",
    "责任部门": "区县民政局",
    "承诺时限": "5工作日",
    "申请材料": "申请表；身份证",
    "英文申请材料": "Application form；ID card",
    "办理流程": "申请→受理→办结",
    "英文办理流程": "Apply→Accept→Done",
    "常见问题": "多久？五个工作日。",
    "英文常见问题": "How long? Five working days.",
    "咨询电话": "024-12345",
    "表格下载": "dibao_application.pdf|申请书|Application",
}


@pytest.mark.django_db
def test_the_import_reads_chinese_headers_and_lists_bad_rows_with_line_and_reason(tree):
    rows = [
        GOOD,
        {**GOOD, "序号": "91", "分类": "星际旅行"},
        {**GOOD, "序号": "92", "英文申请材料": "Application form"},
        {**GOOD, "序号": "93", "咨询电话": "call us"},
        {**GOOD, "序号": "94", "表格下载": "../../settings.pdf|坏表"},
        {**GOOD, "序号": "95", "英文办理流程": "Apply→Done"},
        {**GOOD, "序号": "96", "常见问题": "没有问号的问题"},
    ]
    result = catalogue_import(actor=CATALOGUE_ADMIN, text=_csv(rows))
    assert result.created == 1
    reasons = {line: reason.en for line, reason in result.rejected}
    assert sorted(reasons) == [3, 4, 5, 6, 7, 8]
    assert "unknown theme" in reasons[3] and "1 English materials for 2" in reasons[4]
    assert "phone" in reasons[5] and "form file" in reasons[6] and "2 English steps for 3" in reasons[7]
    assert "question? answer" in reasons[8]
    saved = ServiceItem.objects.get(code="SQ090").current
    assert (saved.category, saved.name_en, saved.phone) == ("elderly", "Test item", "024-12345")
    assert saved.faq == [{"q": "多久？", "a": "五个工作日。", "q_en": "How long?", "a_en": "Five working days."}]


def test_the_synonyms_table_is_seeded_and_edits_reach_the_search(client, desk):
    assert SearchSynonym.objects.get(term="老人").synonyms.split()[:2] == ["高龄", "养老"]
    assert "SQ036" not in client.get("/services/", {"q": "打工的"}).content.decode()
    SearchSynonym.objects.create(term="打工的", synonyms="居住证")
    selectors.search_synonyms.forget()  # another process sees it within the minute
    assert "/services/SQ036/" in client.get("/services/", {"q": "打工的"}).content.decode()


# ---------------------------------------------------------------- staff editing
def _edit_body(**extra) -> dict:
    return {
        "name": "老年人优待证办理",
        "item_type": "20",
        "deciding_level": "district",
        "department_kind": "civil_affairs",
        "promised_days": "0",
        "channels": ["window", "online"],
        "citywide": "on",
        "materials_text": "身份证 | 免提交 | en: ID card\n照片 | en: Photo",
        "retention_years": "10",
        "name_en": "Senior citizen's card",
        "category": "elderly",
        "keywords": "老年证 乘车",
        "steps_text": "申请 | Apply\n发证 | Card issued",
        "faq_text": "几岁能办？60周岁。 | From what age? 60.",
        "phone": "024-2288 1234",
        **extra,
    }


def test_an_editor_edits_the_guide_and_adds_a_form(client, desk, settings, tmp_path):
    settings.DATA_DIR = str(tmp_path)
    client.force_login(desk["users"]["city_admin"])
    page = client.get("/staff/desk/catalogue/SQ009/").content.decode()
    assert "身份证 | 免提交 | en: ID card" in page and 'enctype="multipart/form-data"' in page
    bad = client.post(
        "/staff/desk/catalogue/SQ009/",
        _edit_body(form_file=_upload(b"MZ\x90\x00 not a form"), form_name="优待证申请表"),
    )
    assert bad.status_code == 400 and "PDF" in bad.content.decode()
    assert ServiceItem.objects.get(code="SQ009").current.version == 1
    saved = client.post(
        "/staff/desk/catalogue/SQ009/",
        _edit_body(form_file=_upload(b"%PDF-1.4 a form"), form_name="优待证申请表", form_name_en="Application"),
    )
    assert saved.status_code == 302
    version = ServiceItem.objects.get(code="SQ009").current
    assert version.version == 2 and version.name_en == "Senior citizen's card" and version.phone == "024-2288 1234"
    assert version.materials[1]["name_en"] == "Photo" and version.steps[1] == {"name": "发证", "name_en": "Card issued"}
    assert version.faq == [{"q": "几岁能办？", "a": "60周岁。", "q_en": "From what age?", "a_en": "60."}]
    assert version.forms[0]["file"].startswith("upload/") and version.forms[0]["file"].endswith(".pdf")
    download = client.get("/services/SQ009/forms/1/")
    assert download["Content-Type"] == "application/pdf" and b"".join(download.streaming_content) == b"%PDF-1.4 a form"


def test_an_editor_cannot_point_a_form_outside_the_catalogue_files(client, desk):
    client.force_login(desk["users"]["city_admin"])
    bad = client.post("/staff/desk/catalogue/SQ009/", _edit_body(forms_text="../../../etc/passwd.pdf | 坏"))
    assert bad.status_code == 400 and "passwd" in bad.content.decode()
    bad_phone = client.post("/staff/desk/catalogue/SQ009/", _edit_body(phone="打电话"))
    assert bad_phone.status_code == 400 and ServiceItem.objects.get(code="SQ009").current.version == 1


def _upload(data: bytes):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile("form.pdf", data, content_type="application/pdf")


# ---------------------------------------------------------------- warm-up
def test_the_web_server_warms_the_catalogue_search_as_a_worker_starts(monkeypatch, desk):
    import importlib
    import sys

    from linli.core import server

    started = []
    monkeypatch.setattr(server, "warm_in_background", lambda *loaders: started.extend(loaders))
    sys.modules.pop("linli.config.wsgi", None)
    importlib.import_module("linli.config.wsgi")
    sys.modules.pop("linli.config.wsgi", None)
    assert selectors.catalogue_warm in started
    selectors._INDEX.clear()
    selectors.catalogue_warm()
    assert len(selectors._INDEX) == 43  # every current version indexed before the first search


# ---------------------------------------------------------------- API
def test_the_api_gives_and_takes_the_guide(client, desk):
    guide = client.get("/api/v1/desk/items/SQ007").json()
    assert guide["name_en"].startswith("Allowance for people aged 80") and guide["category"] == "elderly"
    assert guide["steps"][0] == {"name": "提出申请", "name_en": "Apply"} and guide["phone"] == "12345"
    assert guide["forms"][0]["file"] == "gaoling_allowance_application.pdf"
    assert guide["materials"][1]["name_en"] == "Bank card or social security card"
    client.force_login(desk["users"]["city_admin"])
    body = {
        "name": "老年人优待证办理",
        "deciding_level": "district",
        "department_kind": "civil_affairs",
        "promised_days": 0,
        "name_en": "Senior citizen's card",
        "category": "elderly",
        "steps": [{"name": "申请", "name_en": "Apply"}],
        "faq": [{"q": "几岁？", "a": "60周岁。"}],
        "phone": "not a phone",
    }
    bad = client.put("/api/v1/desk/items/SQ009", body, content_type="application/json")
    assert bad.status_code in (400, 422) and "phone" in bad.content.decode()
    body["phone"] = "024-12345"
    saved = client.put("/api/v1/desk/items/SQ009", body, content_type="application/json")
    assert saved.status_code == 200 and saved.json()["version"] == 2
    after = client.get("/api/v1/desk/items/SQ009").json()
    assert (after["name_en"], after["phone"], after["faq"][0]["a"]) == (
        "Senior citizen's card",
        "024-12345",
        "60周岁。",
    )


def test_withdrawing_an_item_asks_for_a_reason(client, desk):
    from linli.core.models import AuditEntry

    client.force_login(desk["users"]["city_admin"])
    page = client.get("/staff/desk/catalogue/SQ009/").content.decode()
    assert "<details" in page and 'name="reason"' in page  # the withdraw button sits behind a disclosure
    refused = client.post("/staff/desk/catalogue/SQ009/active/", {"active": "0", "reason": "  "})
    assert refused.status_code == 400 and "请填写撤下事项的原因" in refused.content.decode()
    assert ServiceItem.objects.get(code="SQ009").is_active
    done = client.post("/staff/desk/catalogue/SQ009/active/", {"active": "0", "reason": "政策调整，停办"})
    assert done.status_code == 302 and not ServiceItem.objects.get(code="SQ009").is_active
    assert AuditEntry.objects.get(action="catalogue.active", object_id="SQ009").reason == "政策调整，停办"
    assert client.get("/services/SQ009/").status_code == 404
    assert "SQ009" not in client.get("/services/", {"q": "优待证"}).content.decode()
    assert client.post("/staff/desk/catalogue/SQ009/active/", {"active": "1"}).status_code == 302  # back, no reason
    assert ServiceItem.objects.get(code="SQ009").is_active


def test_without_a_query_the_catalogue_is_listed_under_its_themes(client, desk):
    page = client.get("/services/").content.decode()
    assert page.count('class="theme-group"') == 11
    elderly = page.index(">养老服务</h2>")
    assert elderly < page.index("高龄津贴申请") < page.index(">残疾人服务</h2>")
