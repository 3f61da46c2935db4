"""The demo's 慧评理 cases: every state in the showcase community, two published examples with the
names masked, the demo resident a side, and a second run adds nothing."""

from __future__ import annotations

from collections import Counter

from linli.accounts.domain import Role
from linli.mediation.demo_reasoning import demo_generate
from linli.mediation.models import Dispute, ReasoningCase
from linli.mediation.selectors.reasoning import reasoning_examples
from linli.mediation.tests.reasoning_support import SHUIYUANDI, reasoning_clock
from linli.testing import make_user

__all__ = ["reasoning_clock"]


def test_the_demo_makes_every_state_once_and_only_once(tree, reasoning_clock):
    community = tree[SHUIYUANDI]
    resident = make_user("demo_resident", Role.RESIDENT, community)
    make_user("demo_reasoner", Role.REASONER, community)
    make_user("demo_mediator", Role.MEDIATOR, community)
    lines: list[str] = []
    demo_generate(city_path="2101", showcase_path=SHUIYUANDI, log=lines.append)
    states = Counter(ReasoningCase.objects.values_list("state", flat=True))
    assert states == {"invited": 2, "lapsed": 1, "open": 3, "settled": 3, "formal": 1, "closed": 2}
    assert set(ReasoningCase.objects.values_list("path", flat=True)) == {SHUIYUANDI}
    assert (
        ReasoningCase.objects.filter(starter=resident).count() + ReasoningCase.objects.filter(other=resident).count()
        == 5
    )
    examples = list(reasoning_examples())
    assert len(examples) == 2
    assert all("赵春燕" not in e.public_text and "孙德胜" not in e.public_text for e in examples)
    assert Dispute.objects.filter(source="reasoning").count() == 1
    demo_generate(city_path="2101", showcase_path=SHUIYUANDI, log=lines.append)
    assert (ReasoningCase.objects.count(), lines[-1]) == (12, "慧评理 reasoning cases: already there")
