"""Care services demo: entitlements. Idempotent (a second run adds nothing).

The example list is already in force (the data migration ships it). Capability assessments: in
the showcase community about 8 % of the elders 60+, recorded one by one through the service by
the community worker (levels skewed mild, dated over the last twelve months so that some are
due again soon); across the city a few hundred more, scored by the same pure rules and written in
bulk (the answers sealed the same way), so that orders have levels to check."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import random

from django.utils import timezone

from linli.accounts.domain import CARE_MANAGE
from linli.accounts.selectors import actor_for_user, user_by_username
from linli.care.domain.entitlements import AssessmentForm, assessment_form, assessment_score, valid_until
from linli.care.models import CareAssessment
from linli.care.services.entitlements import ANSWERS_CONTEXT, ELDER_AGE, assessment_record
from linli.core.actor import Actor
from linli.core.crypto import seal
from linli.residents.selectors import care_people_aged

SHOWCASE_SHARE = 0.08
CITY_ASSESSMENTS = 300
# levels 0 able … 4 totally impaired, skewed mild, and the score bands to draw from
LEVEL_WEIGHTS = [(0, 28), (1, 42), (2, 18), (3, 8), (4, 4)]
BANDS = {0: (90, 90), 1: (66, 89), 2: (46, 65), 3: (30, 45), 4: (8, 29)}
SECOND_ASSESSORS = ["李娟", "王海燕", "张丽华", "刘春梅", "赵敏", "孙秀云", "周晓红", "吴桂芳"]


def demo_generate(*, city_path: str, showcase_path: str, log=print) -> None:
    if CareAssessment.objects.filter(path__startswith=city_path).exists():
        return
    rng = random.Random(20261207)
    today = timezone.localdate()
    form = assessment_form()
    born_by = today.replace(year=today.year - ELDER_AGE)
    city = dataclasses.replace(
        Actor.system("demo-care-assess", permissions=frozenset({CARE_MANAGE}), root_path=city_path),
        display_name="养老服务评估员",
    )
    worker = _actor("demo_community_worker", city, showcase_path)
    showcase = care_people_aged(actor=city, under=showcase_path, born_on_or_before=born_by)
    chosen = rng.sample(showcase, max(1, round(len(showcase) * SHOWCASE_SHARE))) if showcase else []
    for person in chosen:
        assessment_record(
            actor=worker,
            person_ref=person.public_id,
            answers=_answers(form, rng),
            # within the year the service accepts; the oldest are due again soon
            assessed_on=today - dt.timedelta(days=rng.randint(0, 364)),
            second_assessor_name=rng.choice(SECOND_ASSESSORS),
        )
    log(f"示范社区能力评估 capability assessments in the showcase community: {len(chosen)}")
    made = _city_bulk(city, city_path, showcase_path, form, rng, today, born_by)
    log(f"全市能力评估 capability assessments across the city: {made}")


def _actor(username: str, fallback: Actor, path: str) -> Actor:
    user = user_by_username(username)
    actor = actor_for_user(user) if user is not None else None
    return actor if actor is not None and actor.has_perm(CARE_MANAGE) and actor.sees_path(path) else fallback


def _answers(form: AssessmentForm, rng: random.Random) -> dict[str, int]:
    """Answers whose total falls in a level drawn from the (mild-skewed) weights."""
    level = rng.choices([lv for lv, _w in LEVEL_WEIGHTS], weights=[w for _lv, w in LEVEL_WEIGHTS])[0]
    total = rng.randint(*BANDS[level])
    answers = {q.code: q.top for q in form.questions}
    tops = {q.code: {o.score for o in q.options} for q in form.questions}
    deficit = form.top - total
    while deficit > 0:
        code = rng.choice([c for c, v in answers.items() if v > 0])
        answers[code] -= 1
        deficit -= 1
    assert all(v in tops[c] for c, v in answers.items())
    return answers


def _city_bulk(city: Actor, city_path: str, showcase_path: str, form, rng, today, born_by) -> int:
    """A few hundred elders elsewhere in the city, an even spread, written in one bulk insert."""
    elders = [
        p
        for p in care_people_aged(actor=city, under=city_path, born_on_or_before=born_by, limit=CITY_ASSESSMENTS * 12)
        if not p.path.startswith(showcase_path)
    ]
    picked = elders[:: max(1, len(elders) // CITY_ASSESSMENTS)][:CITY_ASSESSMENTS]
    now = timezone.now()
    rows = []
    for person in picked:
        _problems, result = assessment_score(form, _answers(form, rng))
        assessed_on = today - dt.timedelta(days=rng.randint(0, 395))
        rows.append(
            CareAssessment(
                person_ref=person.public_id,
                household_ref=person.household_ref or None,
                path=person.path,
                form_code=form.code,
                answers_sealed=seal(json.dumps(result.answers, sort_keys=True), context=ANSWERS_CONTEXT),
                score=result.score,
                level=result.level,
                assessed_on=assessed_on,
                valid_until=valid_until(form, assessed_on),
                assessor_name=city.shown_name,
                second_assessor_name=rng.choice(SECOND_ASSESSORS),
                created_at=now,
            )
        )
    CareAssessment.objects.bulk_create(rows, batch_size=500)
    return len(rows)
