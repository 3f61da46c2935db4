"""The router model is loaded by each web worker as it starts (not by the first report), once
per model file: re-checking the folder for a newer model does not load the same file again."""

import importlib
import sys

import pytest

from linli.grid_events import routing, selectors

CATEGORIES = [("C0118", "路灯", "公用设施"), ("C0305", "垃圾箱", "市容环境"), ("E0505", "机动车乱停放", "街面秩序")]


@pytest.fixture
def router_dir(settings, tmp_path):
    reports = routing.synthetic_reports(CATEGORIES, per_category=12, seed=1)
    texts, labels = zip(*reports, strict=True)
    model = routing.train(texts, labels, source="test", calibrate=False)
    routing.save(model, tmp_path)
    settings.LINLI_ROUTER_DIR = tmp_path
    selectors.router_forget()
    yield tmp_path
    selectors.router_forget()


@pytest.fixture
def loads(monkeypatch):
    calls = []
    real = routing.load

    def counting(path):
        calls.append(path.name)
        return real(path)

    monkeypatch.setattr(routing, "load", counting)
    return calls


def test_warm_loads_the_model_so_the_first_report_does_not(router_dir, loads):
    selectors.router_warm()
    assert len(loads) == 1
    label, confidence = selectors.router_suggestion("晚上路灯不亮了")
    assert label == "C0118" and 0 < confidence <= 1
    assert len(loads) == 1  # the report used the warmed copy


def test_looking_for_a_newer_model_does_not_load_the_same_file_again(router_dir, loads):
    assert selectors.router_suggestion("垃圾箱满了")[0] == "C0305"
    selectors._router_model_path.forget()  # five minutes later: the folder is looked at again
    assert selectors.router_suggestion("垃圾箱满了")[0] == "C0305"
    assert len(loads) == 1


def test_a_newer_model_file_is_loaded(router_dir, loads):
    selectors.router_suggestion("垃圾箱满了")
    reports = routing.synthetic_reports(CATEGORIES, per_category=12, seed=2)
    texts, labels = zip(*reports, strict=True)
    newer = routing.save(routing.train(texts, labels, source="test", calibrate=False), router_dir)
    selectors._router_model_path.forget()
    selectors.router_suggestion("垃圾箱满了")
    assert loads[-1] == newer.name and len(loads) == 2


def test_the_web_server_module_starts_the_warm_up(monkeypatch):
    """Only the server imports linli.config.wsgi; importing it starts the router's warm-up."""
    from linli.core import server

    started = []
    monkeypatch.setattr(server, "warm_in_background", lambda *loaders: started.extend(loaders))
    sys.modules.pop("linli.config.wsgi", None)
    importlib.import_module("linli.config.wsgi")
    sys.modules.pop("linli.config.wsgi", None)
    assert started[0] == selectors.router_warm  # the catalogue's search index follows (service_desk)


def test_warm_in_background_logs_a_failure_instead_of_raising(caplog):
    from linli.core.server import warm_in_background

    def broken():
        raise RuntimeError("no model")

    done = []
    warm_in_background(broken, lambda: done.append(True)).join(timeout=5)
    assert done == [True] and "warm-up broken failed" in caplog.text
