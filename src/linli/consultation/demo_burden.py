"""Demo data of stage burden, made through the services. Idempotent: each part is skipped when the
showcase community or district has rows of it already.

The showcase district's lists are the city's example rows the migration seeded (none added). In
the showcase community: certificates issued of listed kinds (one voided with its reason) and
unlisted asks recorded against two departments. In the district: department requests in every
state — one approved with its funds (now on the task list), one refused for lacking a legal
basis, one awaiting the district."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta
from decimal import Decimal

from django.utils import timezone

from linli.accounts.domain import BURDEN_CERTIFY, BURDEN_MANAGE, BURDEN_REQUEST
from linli.areas.models import Department
from linli.consultation.domain.burden import district_of
from linli.consultation.models import Certificate, TaskEntryRequest, TaskRefusal
from linli.consultation.selectors.burden import kinds_in_force
from linli.consultation.services import burden as svc
from linli.core.actor import Actor

CERTIFICATES = (("王建华", "办理居住证"), ("李秀英", "申请临时救助"), ("赵国强", "办理居住证"))
REQUESTS = (
    ("老年人能力评估入户协助", "《辽宁省养老服务条例》（示例）", Decimal("36000"), True, ""),
    ("各类报表统一由社区填报", "部门内部通知", Decimal("5000"), False, "缺少法律法规依据，不予准入"),
    ("城乡居民医保参保动员", "《社会保险法》（示例）", Decimal("12000"), None, ""),
)
ASKS = (("代收辖区商户安全检查表", 0, 20), ("出具居民无犯罪记录证明", 1, 12), ("社区代填部门统计台账", 0, 5))


def _actor(city_path: str, department_ids: frozenset[int] = frozenset()) -> Actor:
    permissions = frozenset({BURDEN_CERTIFY, BURDEN_REQUEST, BURDEN_MANAGE, "residents.view"})
    system = Actor.system("demo-burden", permissions=permissions, root_path=city_path)
    return replace(system, display_name="社区居民委员会", department_ids=department_ids)


def demo_generate(*, city_path: str, showcase_path: str, log=print) -> None:
    district = district_of(showcase_path)
    departments = list(Department.objects.filter(path=district).order_by("kind")[:2])
    _certificates(_actor(city_path), showcase_path)
    if departments:
        _requests(city_path, district, departments[0])
        _asks(_actor(city_path), showcase_path, departments)
    log(f"burden: lists, certificates, requests and unlisted asks in {district}")


def _certificates(actor: Actor, community: str) -> None:
    if Certificate.objects.filter(path=community).exists():
        return
    kinds = list(kinds_in_force(district_of(community), timezone.localdate()))
    if not kinds:
        return
    made = [
        svc.certificate_issue(
            actor=actor,
            data=svc.CertificateInput(
                path=community, kind_id=kinds[i % len(kinds)].pk, purpose=purpose, subject_name=name
            ),
        )
        for i, (name, purpose) in enumerate(CERTIFICATES)
    ]
    svc.certificate_void(actor=actor, certificate=made[-1], reason="用途填写有误，已重新出具")


def _requests(city_path: str, district: str, department: Department) -> None:
    if TaskEntryRequest.objects.filter(path=district).exists():
        return
    actor = _actor(city_path, frozenset({department.pk}))
    for title, basis, funds, approve, reason in REQUESTS:
        data = svc.RequestInput(
            department_id=department.pk,
            title=title,
            legal_basis=basis,
            work=f"{title}：社区按部门要求组织实施，部门提供经费与培训。",
            funds_amount=funds,
            funds_source=f"{department.name}年度预算",
        )
        entry = svc.task_request_file(actor=actor, data=data)
        if approve is not None:
            svc.task_request_decide(actor=actor, request=entry, approve=approve, reason=reason)


def _asks(actor: Actor, community: str, departments: list[Department]) -> None:
    if TaskRefusal.objects.filter(path=community).exists():
        return
    today = timezone.localdate()
    for what, which, days_ago in ASKS:
        department = departments[which % len(departments)]
        data = svc.RefusalInput(
            path=community,
            department_name=department.name,
            department_id=department.pk,
            what=what,
            asked_on=today - timedelta(days=days_ago),
        )
        svc.task_refusal_record(actor=actor, data=data)
