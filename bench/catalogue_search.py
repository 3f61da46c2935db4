"""`catalogue-search`: the resident catalogue search (jieba words, pinyin, initials, keywords,
synonyms) at the shipped 43 items and at N synthetic items (default 2,000), one core.

Three figures per size, same queries, same run:
- index: building every item's search entry (pypinyin + jieba), once per catalogue version;
- cached: one query against the index kept in memory (what a page request pays);
- rebuilt: one query that indexes every item again first (the per-request cost the cache avoids);
and the old search beside them as the baseline: a substring test on the names (`icontains`),
which finds none of 老人, gaoling, gljt for 高龄津贴.

Synthetic items are the shipped ones renamed per district and variant (高龄津贴申请（沈河区·第3类）),
with their keywords and themes, so the names stay Chinese and the pinyin as long as real ones.
"""

from __future__ import annotations

import argparse
import csv
import os
import statistics
import time

from bench import harness

SHIPPED = harness.REPO_ROOT / "src" / "linli" / "service_desk" / "data" / "community_service_items.csv"
SYNONYMS = SHIPPED.with_name("search_synonyms.csv")
QUERIES = ("老人", "gaoling", "养老", "gljt", "低保", "我想找工作")
DISTRICTS = ("和平区", "沈河区", "大东区", "皇姑区", "铁西区", "苏家屯区", "浑南区", "沈北新区", "于洪区", "辽中区")


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--items", type=int, default=2000, help="synthetic catalogue size (default 2000)")
    parser.add_argument("--rounds", type=int, default=5, help="timing rounds, median kept (default 5)")
    parser.add_argument("--cpu", type=int, default=0, help="the one CPU to run on (default 0)")


def shipped_rows() -> list[dict]:
    with SHIPPED.open(encoding="utf-8") as handle:
        return [row for row in csv.DictReader(handle) if row["item_type_code"].strip()]


def synthetic_rows(n: int) -> list[dict]:
    base = shipped_rows()
    rows = []
    for i in range(n):
        row = dict(base[i % len(base)])
        district = DISTRICTS[(i // len(base)) % len(DISTRICTS)]
        row["item_name"] = f"{row['item_name']}（{district}·第{i // (len(base) * len(DISTRICTS)) + 1}类）"
        rows.append(row)
    return rows


def build(rows: list[dict]):
    from linli.service_desk.search import index_entry

    return [
        index_entry(
            key=str(n),
            name=row["item_name"],
            name_en=row["item_name_en"],
            keywords=row["keywords"],
            theme_words=[row["category"]],
        )
        for n, row in enumerate(rows)
    ]


def synonyms() -> dict[str, tuple[str, ...]]:
    with SYNONYMS.open(encoding="utf-8") as handle:
        return {row["term"]: tuple(row["synonyms"].split()) for row in csv.DictReader(handle)}


def median_ms(fn, rounds: int) -> float:
    times = []
    for _ in range(rounds):
        started = time.perf_counter()
        fn()
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times)


def measure(rows: list[dict], table: dict, rounds: int) -> dict:
    from linli.service_desk.search import search

    entries = build(rows)
    names = [row["item_name"] for row in rows]
    per_query = max(1, rounds)
    return {
        "items": len(rows),
        "index_ms": median_ms(lambda: build(rows), rounds),
        "cached_ms": median_ms(lambda: [search(entries, q, table) for q in QUERIES], per_query) / len(QUERIES),
        "rebuilt_ms": median_ms(lambda: [search(build(rows), q, table) for q in QUERIES], 1) / len(QUERIES),
        "baseline_ms": median_ms(lambda: [[n for n in names if q in n] for q in QUERIES], per_query) / len(QUERIES),
        "found": {
            q: sum(1 for hit in search(entries, q, table) if hit.key in _allowance_keys(rows)) > 0 for q in QUERIES[:4]
        },
        "baseline_found": {q: any(q in n for n in names if n.startswith("高龄津贴")) for q in QUERIES[:4]},
    }


def _allowance_keys(rows: list[dict]) -> set[str]:
    return {str(n) for n, row in enumerate(rows) if row["item_name"].startswith("高龄津贴")}


def main(args) -> int:
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {args.cpu})
    from linli.service_desk.search import words

    started = time.perf_counter()
    words("高龄津贴")  # jieba's dictionary: loaded once per process (at worker start by the server)
    load_ms = (time.perf_counter() - started) * 1000
    table = synonyms()
    results = [measure(shipped_rows(), table, args.rounds), measure(synthetic_rows(args.items), table, args.rounds)]
    print(f"catalogue search, one core (cpu {args.cpu}); jieba dictionary load once per process: {load_ms:.0f} ms")
    print(f"queries: {', '.join(QUERIES)} (mean per query of the median round)")
    header = (
        f"{'items':>6} {'index once':>11} {'cached query':>13} {'rebuilt per query':>18} {'baseline icontains':>19}"
    )
    print(header)
    for r in results:
        print(
            f"{r['items']:>6} {r['index_ms']:>8.1f} ms {r['cached_ms']:>10.2f} ms {r['rebuilt_ms']:>15.1f} ms"
            f" {r['baseline_ms']:>16.3f} ms"
        )
    print("finds 高龄津贴:", ", ".join(f"{q} {'yes' if ok else 'NO'}" for q, ok in results[0]["found"].items()))
    print(
        "baseline finds 高龄津贴:",
        ", ".join(f"{q} {'yes' if ok else 'no'}" for q, ok in results[0]["baseline_found"].items()),
    )
    return 0 if all(results[0]["found"].values()) else 1
