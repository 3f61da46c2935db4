"""The Chinese catalogue is complete, compiled and used.

Msgids are English; `locale/zh_Hans/LC_MESSAGES/django.po` must translate every one of them and
the committed `django.mo` must match it (users may not have gettext to compile it themselves).
After changing a user-facing string, from `src/linli`:

    uv run linli makemessages -l zh_Hans --ignore=.venv --add-location=file
    (translate the new entries, remove any `#, fuzzy` flags)
    uv run linli compilemessages
"""

from __future__ import annotations

import ast
import gettext
import re
import shutil
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from django.core.management import call_command
from django.utils import translation

import linli
from linli.accounts.domain import Role

LINLI = Path(linli.__file__).resolve().parent
CATALOGUE = LINLI / "locale" / "zh_Hans" / "LC_MESSAGES"
PLACEHOLDER = re.compile(r"%\(\w+\)[sd]|%[sd]|\{\w*\}")


@dataclass
class Entry:
    msgid: str = ""
    msgstr: str = ""
    plural: str | None = None
    plural_strs: dict[int, str] = field(default_factory=dict)
    flags: set[str] = field(default_factory=set)
    obsolete: bool = False


def parse_po(text: str) -> list[Entry]:
    """A small .po reader: enough for Django's catalogues (contexts are not used in Linli)."""
    entries: list[Entry] = []
    current: Entry | None = None
    target = ""
    for raw in [*text.splitlines(), ""]:
        line = raw.strip()
        if not line:
            if current is not None:
                entries.append(current)
            current, target = None, ""
            continue
        current = current or Entry()
        if line.startswith("#~"):
            current.obsolete = True
        elif line.startswith("#,"):
            current.flags |= {flag.strip() for flag in line[2:].split(",")}
        elif line.startswith("#"):
            continue
        elif line.startswith("msgctxt "):
            raise AssertionError(f"msgctxt is not expected in the catalogue: {line}")
        elif line.startswith("msgid_plural "):
            target, current.plural = "plural", ast.literal_eval(line[len("msgid_plural ") :])
        elif line.startswith("msgid "):
            target, current.msgid = "msgid", ast.literal_eval(line[len("msgid ") :])
        elif line.startswith("msgstr["):
            index = int(line[len("msgstr[") : line.index("]")])
            target = f"msgstr[{index}]"
            current.plural_strs[index] = ast.literal_eval(line[line.index("]") + 1 :].strip())
        elif line.startswith("msgstr "):
            target, current.msgstr = "msgstr", ast.literal_eval(line[len("msgstr ") :])
        elif line.startswith('"'):
            value = ast.literal_eval(line)
            if target == "msgid":
                current.msgid += value
            elif target == "msgstr":
                current.msgstr += value
            elif target == "plural":
                current.plural = (current.plural or "") + value
            elif target.startswith("msgstr["):
                current.plural_strs[int(target[7:-1])] += value
        else:
            raise AssertionError(f"unreadable .po line: {raw!r}")
    return entries


def messages(entries: list[Entry]) -> list[Entry]:
    return [e for e in entries if e.msgid and not e.obsolete]


def translated(entry: Entry) -> bool:
    if entry.plural is None:
        return bool(entry.msgstr)
    return bool(entry.plural_strs) and all(entry.plural_strs.values())


@pytest.fixture(scope="module")
def po_entries() -> list[Entry]:
    return parse_po((CATALOGUE / "django.po").read_text(encoding="utf-8"))


def test_parser_reads_what_it_must_reject():
    sample = '#, fuzzy\nmsgid "a"\nmsgstr "b"\n\nmsgid ""\n"long "\n"text"\nmsgstr ""\n'
    fuzzy, empty = parse_po(sample)
    assert (fuzzy.msgid, fuzzy.msgstr, fuzzy.flags) == ("a", "b", {"fuzzy"})
    assert (empty.msgid, empty.msgstr) == ("long text", "")


def test_every_message_is_translated_and_none_is_fuzzy(po_entries):
    found = messages(po_entries)
    assert len(found) > 100
    untranslated = [e.msgid for e in found if not translated(e)]
    fuzzy = [e.msgid for e in found if "fuzzy" in e.flags]
    assert untranslated == []
    assert fuzzy == []


def test_header_is_not_fuzzy_and_names_the_language(po_entries):
    header = next(e for e in po_entries if e.msgid == "")
    assert "fuzzy" not in header.flags
    assert "Language: zh_Hans\n" in header.msgstr
    assert "charset=UTF-8" in header.msgstr


def test_translations_keep_their_placeholders(po_entries):
    wrong = [
        e.msgid
        for e in messages(po_entries)
        if sorted(PLACEHOLDER.findall(e.msgid)) != sorted(PLACEHOLDER.findall(e.msgstr or e.plural_strs.get(0, "")))
    ]
    assert wrong == []


def test_compiled_catalogue_matches_the_po(po_entries):
    """The committed .mo holds exactly the .po's translations (run compilemessages if this fails)."""
    with (CATALOGUE / "django.mo").open("rb") as handle:
        compiled = gettext.GNUTranslations(handle)._catalog  # type: ignore[attr-defined]
    expected: dict[object, str] = {}
    for e in messages(po_entries):
        if e.plural is None:
            expected[e.msgid] = e.msgstr
        else:
            expected.update({(e.msgid, i): s for i, s in e.plural_strs.items()})
    actual = {key: value for key, value in compiled.items() if key != ""}
    assert actual == expected


@pytest.mark.skipif(shutil.which("xgettext") is None, reason="needs GNU gettext (xgettext) to extract messages")
def test_catalogue_covers_every_message_in_the_source(po_entries, tmp_path, settings, monkeypatch):
    """Extract the messages from a copy of the source tree and compare with the committed .po."""
    copy = tmp_path / "linli"
    shutil.copytree(LINLI, copy, ignore=shutil.ignore_patterns("__pycache__", "locale", "*.sqlite3*"))
    (copy / "locale").mkdir()
    settings.LOCALE_PATHS = [copy / "locale"]
    monkeypatch.chdir(copy)
    call_command("makemessages", locale=["zh_Hans"], verbosity=0, ignore_patterns=[".venv"], no_location=True)
    extracted = {e.msgid for e in messages(parse_po((copy / "locale/zh_Hans/LC_MESSAGES/django.po").read_text()))}
    committed = {e.msgid for e in messages(po_entries)}
    assert sorted(extracted - committed) == [], "new messages: run makemessages and translate them"
    assert sorted(committed - extracted) == [], "stale messages: run makemessages to drop them"


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("accept", "lang", "expected", "absent"),
    [
        ("en", 'lang="en"', "Community services near you", "身边的社区服务"),
        ("zh-hans", 'lang="zh-hans"', "身边的社区服务", "Community services near you"),
        ("zh-CN,zh;q=0.9", 'lang="zh-hans"', "反映问题", "Report a problem"),
    ],
)
def test_resident_home_follows_accept_language(client, accept, lang, expected, absent):
    page = client.get("/", headers={"accept-language": accept}).content.decode()
    assert lang in page
    assert expected in page
    assert absent not in page


def test_role_labels_come_from_the_catalogue():
    with translation.override("zh-hans"):
        assert [str(r.label) for r in (Role.GRID_WORKER, Role.COMMUNITY_WORKER, Role.AUDITOR)] == [
            "网格员",
            "社区工作者",
            "审计员",
        ]
    with translation.override("en"):
        assert str(Role.GRID_WORKER.label) == "Grid worker"
