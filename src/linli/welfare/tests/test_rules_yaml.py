"""OpenFisca's YAML tests (`tests/rules/*.yaml`, the country template's format: name, period,
input by entity, output, absolute_error_margin) run against our tax-benefit system in pytest."""

from __future__ import annotations

from pathlib import Path

import numpy
import pytest
import yaml
from openfisca_core.indexed_enums import EnumArray
from openfisca_core.simulations import SimulationBuilder

from linli.welfare.rules.engine import _base_system

CASES_DIR = Path(__file__).parent / "rules"


def _cases() -> list:
    out = []
    for path in sorted(CASES_DIR.glob("*.yaml")):
        for case in yaml.safe_load(path.read_text(encoding="utf-8")):
            out.append(pytest.param(case, id=f"{path.stem}: {case['name']}"))
    return out


def _plain(value):
    if isinstance(value, dict):
        return {key: _plain(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_plain(item) for item in value]
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return value


def test_there_is_a_case_per_class() -> None:
    classes = {case.values[0]["output"].get("assistance_class") for case in _cases() if "output" in case.values[0]}
    assert {"tekun", "dibao", "edge", "rigid", "none"} <= classes


@pytest.mark.parametrize("case", _cases())
def test_yaml_case(case: dict) -> None:
    system = _base_system()
    builder = SimulationBuilder()
    period = str(_plain(case["period"]))
    builder.set_default_period(period)
    simulation = builder.build_from_entities(system, _plain(case["input"]))
    margin = case.get("absolute_error_margin", 0)
    for name, expected in case["output"].items():
        computed = simulation.calculate(name, period)
        if isinstance(computed, EnumArray):
            computed = computed.decode_to_str()
        expected_array = numpy.array(expected if isinstance(expected, list) else [expected])
        if computed.dtype.kind in "fi":
            assert numpy.allclose(computed, expected_array, atol=margin, rtol=0), (name, computed, expected)
        else:
            assert computed.tolist() == expected_array.tolist(), (name, computed, expected)
