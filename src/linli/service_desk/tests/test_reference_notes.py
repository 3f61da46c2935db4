"""The reference catalogue's research markers ("local", "(typical)") never reach a reader."""

import re

import pytest

from linli.service_desk.domain import reference_note
from linli.service_desk.models import ServiceItemVersion

MARKERS = re.compile(r"\blocal\b|\((?:typical|unverified|secondary)\)")


@pytest.mark.parametrize(
    ("cell", "shown"),
    [
        ("年满80周岁（标准分档 local）", "年满80周岁（标准分档，以当地规定为准）"),
        ("每年次数限制 local", "每年次数限制（以当地规定为准）"),
        ("人均收入<1.5×低保标准 (typical)", "人均收入<1.5×低保标准（常见标准，以当地规定为准）"),
        ("公示7天; 确认后下月起发放", "公示7天; 确认后下月起发放"),
        ("计划生育 (政策调整后多地停办)", "计划生育 (政策调整后多地停办)"),
    ],
)
def test_markers_become_words(cell, shown):
    assert reference_note(cell) == shown


def test_the_shipped_catalogue_reads_without_markers(desk):
    conditions = list(ServiceItemVersion.objects.values_list("conditions", flat=True))
    assert any("以当地规定为准" in c for c in conditions)
    assert [c for c in conditions if MARKERS.search(c)] == []
