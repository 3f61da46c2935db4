"""`python -m bench <name> [options]`: run one benchmark; `python -m bench --list` names them."""

from __future__ import annotations

import argparse
import sys

from bench import (
    api,
    care_statements,
    care_visits,
    catalogue_search,
    compliance_page,
    consultation_votes,
    desk_intake,
    desk_queries,
    facilities,
    first_report,
    grid_create,
    grid_rates,
    idempotency,
    mediation,
    residents_import,
    residents_queries,
    router,
    soak,
    volunteers,
    welfare,
    workbench,
)

BENCHMARKS = {
    "care-visits": (
        care_visits,
        "carers' check-ins per second through the check-in service vs a bare UPDATE, 1.5 M visits, PostgreSQL",
    ),
    "care-statements": (
        care_statements,
        "a provider's monthly statement and a district's provider figures at 300,000 orders / 1.5 M visits, PostgreSQL",
    ),
    "mediation": (
        mediation,
        "a mediator's queue, a district's screening summary and four-zero board at 200,000 disputes, PostgreSQL",
    ),
    "consultation-votes": (
        consultation_votes,
        "a city-wide vote: 20,000 votes (each sent twice) via vote_cast on a 100,000 roll vs plain INSERTs; the tally",
    ),
    "api": (api, "/api/v1/me and a 50-row scoped org-unit list vs a bare JsonResponse (granian WSGI)"),
    "residents-queries": (
        residents_queries,
        "lookup by ID number, a community roster and the city's awareness rates at N residents",
    ),
    "residents-import": (
        residents_import,
        "N synthetic residents through the real import vs a raw COPY of the same CSV",
    ),
    "desk-intake": (
        desk_intake,
        "POST /api/v1/desk/cases (intake by a community worker) vs a bare JsonResponse, PostgreSQL",
    ),
    "desk-queries": (
        desk_queries,
        "a unit's queue, the overdue list and per-district figures at N service cases",
    ),
    "grid-create": (
        grid_create,
        "POST /api/v1/grid/events (a grid worker's report, duplicate check on) vs a bare JsonResponse, PostgreSQL",
    ),
    "first-report": (
        first_report,
        "the first report after a server start (router loaded at worker start) vs a warm report",
    ),
    "grid-rates": (
        grid_rates,
        "department and district rates over a year at N grid events (default 1,000,000), PostgreSQL",
    ),
    "facilities-coverage": (
        facilities.coverage_bench,
        "walking coverage of 100,000 buildings, 10 facility kinds, 200,000-node city vs bare dijkstra and networkx",
    ),
    "facilities-siting": (
        facilities.siting_bench,
        "K = 20 of 500 sites for 5,000 demand points: reach matrix, exact milp vs greedy",
    ),
    "compliance-page": (
        compliance_page,
        "the facility standards page at city scope on the demo vs one district and the staff home page",
    ),
    "catalogue-search": (
        catalogue_search,
        "the resident catalogue search (words, pinyin, synonyms) at 43 and N items: index once vs per request",
    ),
    "workbench": (
        workbench,
        "the staff home page (Today) for each demo role vs the messages page, with query counts",
    ),
    "idempotency": (
        idempotency,
        "one Idempotency-Key from N simultaneous and M sequential intakes, granian workers, PostgreSQL, no Redis",
    ),
    "router": (
        router,
        "the category router vs char 1–3-gram TF-IDF + LinearSVC on the citizen messages: CV macro-F1, ms/report",
    ),
    "soak": (
        soak.soak_bench,
        "10 minutes of reads, desk intakes and grid reports at fixed rates: errors, p99 per minute, worker memory",
    ),
    "pg-restart": (
        soak.restart_bench,
        "the outage drill: PostgreSQL restarted under a read load; 503 while it is away, no 500, recovery",
    ),
    "volunteers": (volunteers, "a volunteer's brief, district figures and check-ins at 1.65 M volunteers, 20 M hours"),
    "welfare": (welfare, "the yearly review of 200,000 households on the roll: one batch vs household by household"),
}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument("--list", action="store_true", help="list the benchmarks")
    subparsers = parser.add_subparsers(dest="name")
    for name, (module, help_text) in BENCHMARKS.items():
        module.add_arguments(subparsers.add_parser(name, help=help_text, description=module.__doc__))
    args = parser.parse_args(argv)
    if args.list or not args.name:
        for name, (_, help_text) in BENCHMARKS.items():
            print(f"{name:<8} {help_text}")
        return 0 if args.list else 2
    module, _ = BENCHMARKS[args.name]
    return module.main(args)


if __name__ == "__main__":
    sys.exit(main())
