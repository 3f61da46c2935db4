"""Finding a catalogue item by the words a resident types, plain Python with no Django.

Residents rarely type an item's official name: they type 老人 for 高龄津贴, "gaoling" on a phone
keyboard left in Latin mode, or the initials "gljt". Each item is indexed once per catalogue
version (`index_entry`): its name cut into words by jieba, the name's pinyin (pypinyin) in full and
as initials, its keywords (catalogue data) and its theme. A query (`search`) is cut the same way,
widened by the synonyms table (老人 → 高龄 养老 老年) and scored in tiers so that a hit on the name
always ranks above a hit on a keyword, a synonym or the theme:

  name contains the query ............................ 100
  full pinyin / initials of the name ................. 90 / 80
  all the query's words in the name (some: 60) ....... 70
  a synonym of a query word in the name .............. 60
  keyword ............................................ 50 (its pinyin 45, a synonym 40)
  same sound as the name (高玲 → gaoling) ............. 35
  theme .............................................. 20

Pinyin matches start on a syllable: "ling" finds 高龄 (gao·ling) but "aol" finds nothing.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from enum import IntEnum

from pypinyin import lazy_pinyin

from linli.core.words import jieba_tokenizer


class Tier(IntEnum):
    NAME = 100
    NAME_PINYIN = 90
    NAME_INITIALS = 80
    NAME_WORDS = 70
    NAME_SYNONYM = 60
    KEYWORD = 50
    KEYWORD_PINYIN = 45
    KEYWORD_SYNONYM = 40
    SOUND = 35
    THEME = 20


# Words that say how, not what ("怎么办理", "我想申请"): dropped when the query has other words.
FUNCTION_WORDS = frozenset(
    {
        "怎么",
        "怎样",
        "如何",
        "办理",
        "申请",
        "申领",
        "办",
        "领",
        "领取",
        "的",
        "了",
        "我",
        "我们",
        "要",
        "想",
        "在",
        "哪里",
        "哪儿",
        "去",
        "吗",
        "呢",
        "什么",
        "需要",
        "可以",
        "能",
        "给",
        "和",
        "及",
    }
)
LATIN_RE = re.compile(r"^[a-z' ]+$")
SPLIT_RE = re.compile(r"[；;、,，\s/]+")
MIN_PINYIN = 2  # one letter would find half the catalogue


def normalise(text: str) -> str:
    """NFKC (full-width letters become ASCII, as phone keyboards type both), lower case, trimmed."""
    return unicodedata.normalize("NFKC", text or "").lower().strip()


def words(text: str) -> list[str]:
    """jieba's search-mode words (残疾人 also gives 残疾), without spaces and punctuation."""
    return [w for w in jieba_tokenizer().cut_for_search(normalise(text)) if w.strip() and _is_word(w)]


def _is_word(word: str) -> bool:
    return any(ch.isalnum() for ch in word)


@dataclass(frozen=True)
class Pinyin:
    """A text's pinyin without tones, joined ("gaolingjintie"), the offsets where syllables
    start, and the initials ("gljt")."""

    full: str
    starts: frozenset[int]
    initials: str

    def has(self, letters: str) -> bool:
        """The letters occur in the pinyin starting on a syllable."""
        at = self.full.find(letters)
        while at != -1:
            if at in self.starts:
                return True
            at = self.full.find(letters, at + 1)
        return False


def pinyin_of(text: str) -> Pinyin:
    """One pypinyin call: the initials are the syllables' first letters (zh, ch, sh give z, c, s,
    as typed with initials)."""
    syllables = [s.lower() for s in lazy_pinyin(text, errors="ignore") if s.isalpha()]
    starts, offset = set(), 0
    for syllable in syllables:
        starts.add(offset)
        offset += len(syllable)
    return Pinyin("".join(syllables), frozenset(starts), "".join(s[0] for s in syllables))


@dataclass(frozen=True)
class Entry:
    """One item as the search sees it, computed once per catalogue version."""

    key: str
    name: str
    name_en: str
    pinyin: Pinyin
    keywords: tuple[str, ...]
    keyword_pinyin: tuple[Pinyin, ...]
    theme_words: tuple[str, ...]
    haystack: str  # every searchable text joined: an entry none of the query's needles is in is skipped


def index_entry(
    *, key: str, name: str, name_en: str = "", keywords: str = "", theme_words: Iterable[str] = ()
) -> Entry:
    kws = tuple(dict.fromkeys(k for k in (normalise(k) for k in SPLIT_RE.split(keywords or "")) if k))
    pinyin = pinyin_of(name)
    keyword_pinyin = tuple(pinyin_of(k) for k in kws)
    themes = tuple(w for w in (normalise(t) for t in theme_words) if w)
    texts = [normalise(name), normalise(name_en), *kws, *themes, pinyin.full, pinyin.initials]
    texts += [p.full for p in keyword_pinyin] + [p.initials for p in keyword_pinyin]
    return Entry(
        key=key,
        name=texts[0],
        name_en=texts[1],
        pinyin=pinyin,
        keywords=kws,
        keyword_pinyin=keyword_pinyin,
        theme_words=themes,
        haystack="\n".join(texts),
    )


@dataclass(frozen=True)
class Hit:
    key: str
    score: int
    tier: Tier
    matched: str  # the word that matched, shown to the resident ("关键词：老人")


@dataclass(frozen=True)
class Query:
    text: str  # normalised
    latin: str  # the letters of a pinyin or English query, spaces removed ("" for Chinese)
    words: tuple[str, ...]  # content words
    synonyms: tuple[str, ...]  # what the synonyms table adds for them
    sound: Pinyin | None  # pinyin of a Chinese query, to forgive a wrong character of the same sound
    needles: tuple[str, ...]  # an entry that holds none of these cannot match


def parse_query(text: str, synonyms: Mapping[str, Iterable[str]]) -> Query:
    text = normalise(text)
    found = words(text)
    content = [w for w in found if w not in FUNCTION_WORDS and (len(w) > 1 or len(text) == 1)] or found
    widened: list[str] = []
    for word in [text, *content]:
        for synonym in synonyms.get(word, ()):
            synonym = normalise(synonym)
            if synonym and synonym not in widened and synonym not in content:
                widened.append(synonym)
    latin = text.replace(" ", "").replace("'", "") if LATIN_RE.match(text) else ""
    sound = pinyin_of(text) if not latin and len(text) >= 2 else None
    content = list(dict.fromkeys(content))
    needles = [text, *content, *widened, latin, sound.full if sound else ""]
    return Query(text, latin, tuple(content), tuple(widened), sound, tuple(n for n in dict.fromkeys(needles) if n))


def score(entry: Entry, query: Query) -> Hit | None:
    """The best tier the entry reaches for the query, with a small bonus per extra field that
    matched (an item found by its name and a keyword ranks above one found by its name alone)."""
    if not any(needle in entry.haystack for needle in query.needles):
        return None
    hits = [hit for hit in _hits(entry, query) if hit]
    if not hits:
        return None
    best = max(hits, key=lambda hit: hit[0])
    return Hit(entry.key, int(best[0]) + len(hits) - 1, best[0], best[1])


def _hits(entry: Entry, query: Query):
    yield _name_hit(entry, query)
    yield _keyword_hit(entry, query)
    yield _theme_hit(entry, query)


def _name_hit(entry: Entry, query: Query) -> tuple[Tier, str] | None:
    text = query.text
    if text in entry.name or (entry.name_en and len(text) >= 3 and text in entry.name_en):
        return Tier.NAME, text
    if len(query.latin) >= MIN_PINYIN:
        if entry.pinyin.has(query.latin):
            return Tier.NAME_PINYIN, query.latin
        if query.latin in entry.pinyin.initials:
            return Tier.NAME_INITIALS, query.latin
    found = [w for w in query.words if w in entry.name or (len(w) >= 3 and w in entry.name_en)]
    if found:
        # every word of the query in the name, or only some (then no better than a synonym)
        return (Tier.NAME_WORDS if len(found) == len(query.words) else Tier.NAME_SYNONYM), found[0]
    for synonym in query.synonyms:
        if synonym in entry.name:
            return Tier.NAME_SYNONYM, synonym
    if query.sound and len(query.sound.full) >= 4 and entry.pinyin.has(query.sound.full):
        return Tier.SOUND, query.text
    return None


def _keyword_hit(entry: Entry, query: Query) -> tuple[Tier, str] | None:
    for keyword in entry.keywords:
        if query.text == keyword or query.text in keyword or any(w == keyword for w in query.words):
            return Tier.KEYWORD, keyword
    if len(query.latin) >= MIN_PINYIN:
        for keyword, pinyin in zip(entry.keywords, entry.keyword_pinyin, strict=True):
            if pinyin.full.startswith(query.latin) or pinyin.initials == query.latin:
                return Tier.KEYWORD_PINYIN, keyword
    for synonym in query.synonyms:
        if synonym in entry.keywords:
            return Tier.KEYWORD_SYNONYM, synonym
    return None


def _theme_hit(entry: Entry, query: Query) -> tuple[Tier, str] | None:
    for word in (query.text, *query.words):
        if len(word) >= 2 and any(word in theme for theme in entry.theme_words):
            return Tier.THEME, word
    return None


def search(entries: Iterable[Entry], text: str, synonyms: Mapping[str, Iterable[str]]) -> list[Hit]:
    """The entries matching the query, best first (ties keep the catalogue's order)."""
    query = parse_query(text, synonyms)
    if not query.text:
        return []
    hits = [hit for hit in (score(entry, query) for entry in entries) if hit]
    return sorted(hits, key=lambda hit: -hit.score)
