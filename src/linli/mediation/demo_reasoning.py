"""Demo data of safe community, stage reasoning (慧评理), made through this app's services: a dozen
cases in the showcase community in every state — invitations waiting (one of the demo resident's,
with its code), a lapsed one, open ones waiting for a comment or with a proposal, settled ones
(two published as examples), one turned into formal mediation, closed ones. The sides are the demo
resident and a few neighbour accounts made here (`demo_neighbour…`, passwords unknown); the
comments are the demo reasoner's (`demo_reasoner`) and the demo mediator's. Idempotent: when the
showcase community has cases, nothing is added."""

from __future__ import annotations

import datetime as dt
import secrets

from django.utils import timezone

from linli.accounts.domain import MEDIATION_VIEW, Role
from linli.accounts.selectors import actor_for_user, user_by_username
from linli.accounts.services import posting_add, user_create
from linli.areas.selectors import org_unit_by_path
from linli.core.actor import Actor
from linli.mediation.selectors.reasoning import reasoning_staff_list
from linli.mediation.services import reasoning as svc

NEIGHBOURS = {
    "demo_neighbour": "刘桂芝",
    "demo_neighbour_b": "陈建国",
    "demo_neighbour_c": "赵春燕",
    "demo_neighbour_d": "孙德胜",
}
DEMO = Actor.system("demo-reasoning")


def demo_generate(*, city_path: str, showcase_path: str, log=print) -> None:
    viewer = Actor.system("demo-reasoning", permissions=frozenset({MEDIATION_VIEW}), root_path=showcase_path)
    if reasoning_staff_list(actor=viewer).exists():
        log("慧评理 reasoning cases: already there")
        return
    resident, reasoner, mediator = (user_by_username(f"demo_{role}") for role in ("resident", "reasoner", "mediator"))
    if resident is None or reasoner is None:
        log("慧评理 reasoning cases: no demo resident or reasoner")
        return
    people = {"me": actor_for_user(resident), "reasoner": actor_for_user(reasoner)}
    people["mediator"] = actor_for_user(mediator) if mediator is not None else people["reasoner"]
    people |= {username: _neighbour(username, name, showcase_path) for username, name in NEIGHBOURS.items()}
    made = _cases(people)
    log("慧评理 reasoning cases: " + ", ".join(f"{state} {count}" for state, count in sorted(made.items())))


def _neighbour(username: str, name: str, community_path: str) -> Actor:
    """A resident account for the other side (no known password: it is never logged in with)."""
    user = user_by_username(username)
    if user is None:
        user = user_create(username=username, password=secrets.token_urlsafe(24), display_name=name)
        place = org_unit_by_path(community_path)
        posting_add(actor=DEMO, user=user, role=Role.RESIDENT, place=place)
    return actor_for_user(user)


def _open(a: Actor, b: Actor, kind: str, title: str, says_a: str, says_b: str, days_ago: int = 3):
    case = svc.reasoning_start(
        actor=a, kind=kind, title=title, statement=says_a, at=timezone.now() - dt.timedelta(days=days_ago)
    )
    return svc.reasoning_join(actor=b, code=case.code, statement=says_b)


def _settle(case, a: Actor, b: Actor, by: Actor, proposal: str):
    post = svc.reasoning_post(actor=by, case=case, text=proposal, proposal=True)
    svc.reasoning_accept(actor=a, case=case, post_id=post.pk)
    return svc.reasoning_accept(actor=b, case=case, post_id=post.pk)


def _publish(case, a: Actor, b: Actor, by: Actor, text: str) -> None:
    svc.reasoning_consent(actor=a, case=case, consent=True)
    svc.reasoning_consent(actor=b, case=case, consent=True)
    svc.reasoning_publish(actor=by, case=case, text=text)


def _cases(p: dict) -> dict[str, int]:
    me, n1, n2, n3, n4 = (
        p["me"],
        p["demo_neighbour"],
        p["demo_neighbour_b"],
        p["demo_neighbour_c"],
        p["demo_neighbour_d"],
    )
    reasoner, mediator = p["reasoner"], p["mediator"]
    counts: dict[str, int] = {}

    def done(case) -> None:
        counts[case.state] = counts.get(case.state, 0) + 1

    # invitations: the demo resident's own (its code on their page), a neighbour's
    done(
        svc.reasoning_start(
            actor=me,
            kind="neighbour",
            title="楼道堆放杂物",
            statement="对门在楼道里堆了纸箱和旧家具，老人下楼不方便，也有火灾隐患。",
        )
    )
    done(
        svc.reasoning_start(
            actor=n2,
            kind="property_mgmt",
            title="车位被长期占用",
            statement="我租的车位经常被别人的车占着，物业说管不了。",
        )
    )
    # a lapsed invitation: started three weeks ago, never answered
    lapsed = svc.reasoning_start(
        actor=n3,
        kind="debt",
        title="借款逾期未还",
        statement="邻居借了三千元说一个月还，已经半年了。",
        at=timezone.now() - dt.timedelta(days=21),
    )
    svc.reasoning_lapse_due(actor=DEMO)
    lapsed.state = "lapsed"
    done(lapsed)
    # open: waiting for a comment; commented with a proposal one side accepted
    done(
        _open(
            me,
            n1,
            "neighbour",
            "楼上漏水到楼下",
            "卫生间天花板渗水两个月了，楼上一直说不是他家的问题。",
            "我家请人看过，防水没问题，可能是公共管道。",
            2,
        )
    )
    waiting = _open(
        n2,
        n3,
        "neighbour",
        "广场舞音响太吵",
        "每天晚上广场舞音响开到九点多，孩子没法写作业。",
        "我们就跳一个小时，音量已经调小了。",
        1,
    )
    done(waiting)
    half = _open(
        n4,
        me,
        "tenancy",
        "合租卫生分摊",
        "合租的卫生间一直是我打扫，对方从来不管。",
        "我上夜班，白天在家的时间少，可以出钱请保洁。",
        4,
    )
    post = svc.reasoning_post(
        actor=reasoner, case=half, text="建议每月各出一半请钟点工打扫两次，其余时间各自用完顺手清理。", proposal=True
    )
    done(svc.reasoning_accept(actor=n4, case=half, post_id=post.pk))
    # settled: two published examples, one not published
    dog = _open(
        me,
        n1,
        "neighbour",
        "早上遛狗狗叫",
        "刘桂芝家的狗每天早上六点叫，电话13812345678也打过。",
        "狗是出门遛的时候叫，我尽量晚点出门。",
        10,
    )
    dog = _settle(dog, me, n1, reasoner, "建议七点以后再遛狗，出门时给狗戴上止吠项圈，一个月后双方再看效果。")
    _publish(
        dog,
        me,
        n1,
        reasoner,
        "甲方反映乙方家的狗每天早上六点在楼道里叫，影响休息；乙方说明是出门遛狗时叫。评理员建议七点以后再遛狗、"
        "出门时给狗戴止吠项圈，一个月后再看效果。双方都接受了建议。",
    )
    done(dog)
    parking = _open(
        n3,
        n4,
        "property_mgmt",
        "电动车楼道充电",
        "孙德胜把电动车推进楼道充电，电线从窗户拉出来，太危险。",
        "小区没有充电桩，我也没办法。",
        12,
    )
    parking = _settle(
        parking,
        n3,
        n4,
        mediator,
        "社区已在小区东门装了充电桩，建议到充电桩充电；充电桩开通前暂用单元门口的公共插座，不进楼道。",
    )
    _publish(
        parking,
        n3,
        n4,
        mediator,
        "甲方反映赵春燕的邻居孙德胜在楼道充电，存在安全隐患；乙方称小区没有充电桩。调解员告知社区已在东门安装充电桩，"
        "双方约定改到充电桩充电。",
    )
    done(parking)
    wall = _open(
        n1,
        n2,
        "neighbour",
        "空调外机滴水",
        "楼上空调外机滴水落在我家窗台，吵得睡不着。",
        "我找人把排水管接到下水口。",
        8,
    )
    wall = _settle(wall, n1, n2, reasoner, "建议一周内加装排水管引到雨水管，费用由乙方承担。")
    svc.reasoning_consent(actor=n1, case=wall, consent=True)
    done(wall)
    # turned into formal mediation
    formal = _open(
        n4,
        n2,
        "debt",
        "装修借款",
        "陈建国装修时借了我一万元，说年底还，现在不认账。",
        "那是合伙买材料的钱，不是借款。",
        6,
    )
    svc.reasoning_post(actor=reasoner, case=formal, text="金额较大、双方说法不一，建议申请社区人民调解，带上转账记录。")
    svc.reasoning_formal(actor=n4, case=formal, reason="双方说法不一，需要调解员调解")
    formal.state = "formal"
    done(formal)
    # closed: talked it over in person; an invitation the starter withdrew
    closed = _open(n3, me, "consumer", "团购水果缺斤少两", "在群里团购的水果少了两斤。", "团长已经补发了。", 9)
    done(svc.reasoning_close(actor=n3, case=closed, reason="团长已补发，问题解决"))
    withdrawn = svc.reasoning_start(
        actor=n1, kind="family", title="老人赡养轮流照料", statement="兄弟之间照顾母亲的安排谈不拢。"
    )
    done(svc.reasoning_close(actor=n1, case=withdrawn, reason="家里人自己商量好了"))
    return counts
