"""The router: the engine on generated reports (no database), `linli router` through
call_command, and the figure on the real citizen messages when shared/ is beside the repo."""

import csv
import io
import json
import os
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from linli.grid_events import routing

CATEGORIES = [
    ("E0102", "暴露垃圾", "市容环境"),
    ("E0116", "油烟污染", "市容环境"),
    ("E0301", "施工扰民", "施工管理"),
    ("E0505", "机动车乱停放", "街面秩序"),
    ("C0118", "路灯", "公用设施"),
    ("C0305", "垃圾箱", "市容环境"),
    ("X9901", "无人机扰民", "扩展事件"),  # a name without keywords: the generic phrases
]
REPO = Path(__file__).resolve().parents[4]


@pytest.fixture(scope="module")
def reports():
    return routing.synthetic_reports(CATEGORIES, per_category=30, seed=1)


@pytest.fixture(scope="module")
def model(reports):
    texts, labels = zip(*reports, strict=True)
    # Not calibrated, as `router train --synthetic`: generated reports are all easy to hold out.
    return routing.train(texts, labels, source="synthetic-test", calibrate=False)


# ---------------------------------------------------------------- synthetic reports


def test_synthetic_reports_are_deterministic_per_seed():
    first = routing.synthetic_reports(CATEGORIES, per_category=5, seed=7)
    assert first == routing.synthetic_reports(CATEGORIES, per_category=5, seed=7)
    assert first != routing.synthetic_reports(CATEGORIES, per_category=5, seed=8)
    assert [code for _, code in first] == [code for code, _, _ in CATEGORIES for _ in range(5)]
    assert all(text.endswith("。") and len(text) > 8 for text, _ in first)


def test_synthetic_reports_use_the_name_when_there_are_no_keywords():
    reports = routing.synthetic_reports([("X9901", "无人机扰民", "扩展事件")], per_category=10, seed=0)
    assert all("无人机扰民" in text for text, _ in reports)


# ---------------------------------------------------------------- the engine


def test_predicts_the_category_of_new_reports(model):
    fresh = routing.synthetic_reports(CATEGORIES, per_category=10, seed=99)
    predictions = model.predict([text for text, _ in fresh])
    right = sum(p.label == code for p, (_, code) in zip(predictions, fresh, strict=True))
    assert right >= 0.9 * len(fresh)
    assert model.labels == tuple(sorted(code for code, _, _ in CATEGORIES))
    assert model.predict(["楼下饭店的油烟直排，熏得窗户都不敢开"])[0].label == "E0116"
    assert model.predict(["晚上路灯不亮，整条路黑漆漆的"])[0].label == "C0118"


def test_confidence_is_a_probability_with_three_alternatives_best_first(model):
    for prediction in model.predict(["路灯不亮", "施工噪音吵得睡不着", "你好"]):
        probabilities = [p for _, p in prediction.alternatives]
        assert 0.0 <= prediction.confidence <= 1.0
        assert len(prediction.alternatives) == 3
        assert prediction.alternatives[0] == (prediction.label, prediction.confidence)
        assert probabilities == sorted(probabilities, reverse=True)
        assert sum(probabilities) <= 1.0 + 1e-3


def test_a_clear_report_is_more_confident_than_a_vague_one(model):
    clear, vague = model.predict(["凌晨工地还在打桩施工，噪音吵得整栋楼睡不着", "请尽快处理，谢谢"])
    assert clear.label == "E0301"
    assert clear.confidence > vague.confidence + 0.2


def test_empty_batch_and_two_labels():
    assert routing.train(["路灯不亮", "垃圾满了"] * 3, ["a", "b"] * 3, calibrate=False).predict([]) == []
    texts = ["路灯不亮了", "路灯坏了很黑", "路灯闪烁", "垃圾没人清", "垃圾堆满了", "垃圾发臭"]
    two = routing.train(texts, ["light"] * 3 + ["waste"] * 3)
    light, waste = two.predict(["这条路的路灯坏了", "垃圾堆得很臭"])
    assert (light.label, waste.label) == ("light", "waste")
    assert len(light.alternatives) == 2 and light.confidence > 0.5


@pytest.mark.parametrize(
    ("texts", "labels", "message"),
    [
        (["a", "b"], ["x", "x"], "at least 2 labels"),
        (["路灯", "  "], ["x", "y"], "text 2 is empty"),
        (["路灯", "垃圾"], ["x"], "2 texts but 1 labels"),
        (["路灯", "垃圾"], ["x", ""], "label 2 is empty"),
    ],
)
def test_train_refuses_data_it_cannot_learn_from(texts, labels, message):
    with pytest.raises(routing.RouterDataError, match=message):
        routing.train(texts, labels)


def test_cross_validate_reports_the_figures_per_fold_and_class(reports):
    texts, labels = zip(*reports, strict=True)
    evaluation = routing.cross_validate(texts, labels, folds=3, seed=0)
    assert (evaluation.n, evaluation.folds, len(evaluation.per_fold)) == (len(reports), 3, 3)
    assert set(evaluation.per_class_f1) == {code for code, _, _ in CATEGORIES}
    assert evaluation.macro_f1 > 0.9 and evaluation.accuracy > 0.9
    assert sum(f.n for f in evaluation.per_fold) == len(reports)
    assert json.loads(json.dumps(evaluation.as_dict()))["per_fold"][0]["fold"] == 1


def test_cross_validate_refuses_a_label_smaller_than_the_folds():
    with pytest.raises(routing.RouterDataError, match="label 'rare' has 2 rows, fewer than 5 folds"):
        routing.cross_validate(["路灯"] * 10 + ["垃圾"] * 2, ["light"] * 10 + ["rare"] * 2, folds=5)


# ---------------------------------------------------------------- files and versions


def test_save_and_load_round_trip(model, tmp_path):
    path = routing.save(model, tmp_path / "models")
    match = routing.MODEL_NAME.match(path.name)
    assert match, path.name
    sidecar = json.loads(path.with_suffix(".json").read_text(encoding="utf-8"))
    assert sidecar["version"] == f"{match[1]}-{match[2]}" == model.version
    assert sidecar["labels"] == list(model.labels)
    assert sidecar["n_samples"] == 7 * 30 and sidecar["source"] == "synthetic-test"
    assert {"created_at", "sklearn_version", "params", "evaluation", "temperature"} <= set(sidecar)
    loaded = routing.load(path)
    assert loaded.version == model.version
    texts = ["路灯不亮", "饭店油烟大", "工地夜间施工"]
    assert loaded.predict(texts) == model.predict(texts)
    assert path.stat().st_size < 50 * 1024 * 1024


def test_latest_model_path_is_the_newest_version(model, tmp_path):
    assert routing.latest_model_path(tmp_path / "missing") is None
    assert routing.latest_model_path(tmp_path) is None
    older = routing.save(model, tmp_path)
    newer = routing.save(model, tmp_path)
    (tmp_path / "router-notes.joblib").write_text("not a model")
    (tmp_path / "router-99999999T999999.999999Z-0000000g.joblib").write_text("not a version name")
    assert older.name < newer.name
    assert routing.latest_model_path(tmp_path) == newer
    newer.with_suffix(".json").unlink()  # half-written: the model counts only with its .json
    assert routing.latest_model_path(tmp_path) == older


def test_load_refuses_a_model_from_another_scikit_learn(model, tmp_path):
    path = routing.save(model, tmp_path)
    sidecar = path.with_suffix(".json")
    data = json.loads(sidecar.read_text(encoding="utf-8"))
    sidecar.write_text(json.dumps({**data, "sklearn_version": "1.0.2"}), encoding="utf-8")
    with pytest.raises(routing.RouterModelError, match=r"trained with scikit-learn 1\.0\.2"):
        routing.load(path)
    sidecar.write_text(json.dumps({**data, "format": 0}), encoding="utf-8")
    with pytest.raises(routing.RouterModelError, match="model format 0"):
        routing.load(path)
    sidecar.unlink()
    with pytest.raises(routing.RouterModelError, match=r"\.json is missing"):
        routing.load(path)
    with pytest.raises(routing.RouterModelError, match="not found"):
        routing.load(tmp_path / "router-nothing.joblib")


def test_load_refuses_a_damaged_file(model, tmp_path):
    path = routing.save(model, tmp_path)
    path.write_bytes(b"garbage")
    with pytest.raises(routing.RouterModelError, match="cannot be read"):
        routing.load(path)


# ---------------------------------------------------------------- the command


def write_csv(path: Path, rows: list[dict], encoding: str = "utf-8") -> Path:
    with path.open("w", encoding=encoding, newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    return path


@pytest.fixture
def history(tmp_path, reports):
    """A city's history: subject often empty, the text in detail, the category code."""
    rows = [
        {"id": i, "subject": "" if i % 3 else text[:6], "detail": text, "category": code}
        for i, (text, code) in enumerate(reports)
    ]
    return write_csv(tmp_path / "history.csv", rows)


@pytest.fixture
def router_dir(settings, tmp_path):
    settings.LINLI_ROUTER_DIR = tmp_path / "router"
    return settings.LINLI_ROUTER_DIR


def run(*args, stdin: str | None = None) -> str:
    out = io.StringIO()
    extra = {"stdin": io.StringIO(stdin)} if stdin is not None else {}
    call_command("router", *args, stdout=out, **extra)
    return out.getvalue()


def test_train_saves_a_version_in_the_router_dir_and_predict_uses_it(history, router_dir):
    output = run("train", "--data", str(history), "--text", "subject,detail", "--label", "category")
    path = routing.latest_model_path(router_dir)
    assert path is not None and path.name in output and "210 reports, 7 labels" in output
    sidecar = json.loads(path.with_suffix(".json").read_text(encoding="utf-8"))
    assert sidecar["source"] == "history.csv" and sidecar["temperature_source"] == "calibrated"
    lines = run("predict", stdin='{"text": "晚上路灯不亮，整条路黑漆漆的"}\n').splitlines()
    assert len(lines) == 1
    answer = json.loads(lines[0])
    assert answer["label"] == "C0118" and 0 <= answer["confidence"] <= 1 and len(answer["alternatives"]) == 3


def test_train_with_evaluate_keeps_the_figures_beside_the_model(history, tmp_path):
    out_dir = tmp_path / "elsewhere"
    output = run(
        "train", "--data", str(history), "--text", "detail", "--label", "category",
        "--out", str(out_dir), "--evaluate", "--folds", "3",
    )  # fmt: skip
    assert "macro-F1" in output
    sidecar = json.loads(routing.latest_model_path(out_dir).with_suffix(".json").read_text(encoding="utf-8"))
    assert sidecar["evaluation"]["folds"] == 3 and sidecar["evaluation"]["macro_f1"] > 0.9


def test_evaluate_prints_accuracy_and_macro_f1(history, router_dir):
    output = run("evaluate", "--data", str(history), "--text", "subject,detail", "--label", "category", "--folds", "3")
    assert "3-fold stratified cross-validation, 210 reports" in output
    assert "accuracy" in output and "macro-F1" in output and "C0118" in output
    figures = json.loads(
        run("evaluate", "--data", str(history), "--text", "detail", "--label", "category", "--folds", "3", "--json")
    )
    assert figures["n"] == 210 and 0.9 < figures["macro_f1"] <= 1.0
    assert not router_dir.exists()  # evaluating saves nothing


def test_predict_answers_every_line_and_names_the_bad_ones(history, tmp_path):
    run("train", "--data", str(history), "--text", "detail", "--label", "category", "--out", str(tmp_path / "m"))
    stdin = "\n".join(
        ['{"text": "路灯不亮"}', "not json", '{"title": "路灯"}', "", '{"text": 5}', '["text"]', '{"text": "施工扰民"}']
    )
    out = io.StringIO()
    with pytest.raises(CommandError, match="5 input lines could not be routed"):
        call_command("router", "predict", "--model", str(tmp_path / "m"), stdout=out, stdin=io.StringIO(stdin))
    answers = [json.loads(line) for line in out.getvalue().splitlines()]
    assert len(answers) == 7
    assert answers[0]["label"] == "C0118" and answers[6]["label"] == "E0301"
    errors = {a["line"]: a["error"] for a in answers if "error" in a}
    assert sorted(errors) == [2, 3, 4, 5, 6]
    assert errors[2].startswith("第 2 行：不是合法的 JSON (line 2: not valid JSON")
    assert "第 3 行" in errors[3] and 'no "text" field' in errors[3]
    assert "empty line" in errors[4] and "not a string" in errors[5] and 'no "text" field' in errors[6]


def test_predict_accepts_a_model_file_and_reads_bytes(history, tmp_path):
    run("train", "--data", str(history), "--text", "detail", "--label", "category", "--out", str(tmp_path / "m"))
    path = routing.latest_model_path(tmp_path / "m")

    class Stdin:  # like sys.stdin: the bytes under it, so a non-UTF-8 line is reported, not fatal
        buffer = io.BytesIO('{"text": "路灯不亮"}\n'.encode() + b'{"text": "\xff"}\n')

    out = io.StringIO()
    with pytest.raises(CommandError, match="1 input lines"):
        call_command("router", "predict", "--model", str(path), stdout=out, stdin=Stdin())
    first, second = (json.loads(line) for line in out.getvalue().splitlines())
    assert first["label"] == "C0118" and second["line"] == 2 and "not UTF-8" in second["error"]


def test_predict_without_a_model_says_to_train(router_dir):
    with pytest.raises(CommandError, match=r"no model in .*router; run linli router train"):
        run("predict", stdin="")


def test_train_synthetic_routes_out_of_the_box(tmp_path):
    output = run("train", "--synthetic", "--per-category", "6", "--out", str(tmp_path))
    path = routing.latest_model_path(tmp_path)
    sidecar = json.loads(path.with_suffix(".json").read_text(encoding="utf-8"))
    assert "111 labels" in output and sidecar["source"] == "synthetic:6x111"
    assert sidecar["temperature_source"] == "default"  # calibrating on generated reports would mislead
    assert {"E0102", "E0505", "C0118", "C0305"} <= set(sidecar["labels"])
    predictions = routing.load(path).predict(["楼下饭店油烟直排太呛了", "电线杆上贴满了办证小广告"])
    assert [p.label for p in predictions] == ["E0116", "E0201"]


# ---------------------------------------------------------------- bad input to the command


def test_bad_input_missing_file(tmp_path):
    with pytest.raises(CommandError, match=r"file not found\): .*nothing\.csv"):
        run("evaluate", "--data", str(tmp_path / "nothing.csv"), "--text", "detail", "--label", "category")


def test_bad_input_not_utf8(tmp_path, reports):
    path = write_csv(tmp_path / "gbk.csv", [{"detail": t, "category": c} for t, c in reports], encoding="gbk")
    with pytest.raises(CommandError, match=r"file is not UTF-8\): .*gbk\.csv"):
        run("train", "--data", str(path), "--text", "detail", "--label", "category")


def test_bad_input_missing_column(history):
    with pytest.raises(CommandError, match=r"history\.csv: missing column body, kind; the file has id, subject"):
        run("train", "--data", str(history), "--text", "subject,body", "--label", "kind")


def test_bad_input_one_label(tmp_path):
    path = write_csv(tmp_path / "one.csv", [{"detail": f"路灯坏了{i}", "category": "C0118"} for i in range(6)])
    with pytest.raises(CommandError, match=r"one\.csv: label column category needs at least 2 distinct values, has 1"):
        run("train", "--data", str(path), "--text", "detail", "--label", "category")


def test_bad_input_label_with_fewer_rows_than_folds(tmp_path):
    rows = [{"detail": f"路灯坏了{i}", "category": "C0118"} for i in range(6)]
    rows += [{"detail": "垃圾箱满了", "category": "C0305"}] * 2
    path = write_csv(tmp_path / "small.csv", rows)
    with pytest.raises(
        CommandError, match=r"label column category these labels have fewer rows than 3 folds: C0305 \(2\)"
    ):
        run("evaluate", "--data", str(path), "--text", "detail", "--label", "category", "--folds", "3")


def test_bad_input_empty_texts_name_the_lines(tmp_path):
    rows = [{"subject": "", "detail": f"路灯坏了{i}", "category": "C0118" if i % 2 else "C0305"} for i in range(6)]
    rows[1]["detail"] = rows[4]["detail"] = " "
    path = write_csv(tmp_path / "gaps.csv", rows)
    with pytest.raises(CommandError, match="text columns subject, detail are empty on line 3, 6"):
        run("train", "--data", str(path), "--text", "subject,detail", "--label", "category")


def test_bad_input_empty_label_and_missing_options(tmp_path):
    rows = [{"detail": f"路灯坏了{i}", "category": "C0118" if i % 2 else "C0305"} for i in range(6)]
    rows[2]["category"] = ""
    path = write_csv(tmp_path / "nolabel.csv", rows)
    with pytest.raises(CommandError, match="label column category is empty on line 4"):
        run("train", "--data", str(path), "--text", "detail", "--label", "category")
    with pytest.raises(CommandError, match="name the columns with --text and --label"):
        run("train", "--data", str(path))
    with pytest.raises(CommandError, match="give either --data or --synthetic"):
        run("train")


# ---------------------------------------------------------------- the real citizen messages


def appeals_path() -> Path | None:
    candidates = [REPO.parent / "shared" / "data" / "appeals_train.csv"]
    if shared := os.environ.get("LINLI_SHARED_DIR"):
        candidates += [Path(shared) / "data" / "appeals_train.csv", Path(shared) / "appeals_train.csv"]
    return next((p for p in candidates if p.is_file()), None)


def test_beats_the_baseline_on_the_citizen_messages():
    """Baseline (character 1–3-gram TF-IDF + linear SVM): 0.87–0.88 macro-F1; ours ≈ 0.90 in
    5-fold CV, ≈ 0.89 in 3-fold (less to learn from per fold). docs/router.md has the figures."""
    path = appeals_path()
    if path is None:
        pytest.skip(
            "appeals_train.csv not found in ../shared/data/ nor under LINLI_SHARED_DIR (test data, not shipped)"
        )
    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    texts = [f"{row['subject']} {row['detail']}".strip() for row in rows]
    evaluation = routing.cross_validate(texts, [row["category"] for row in rows], folds=3, seed=0)
    assert evaluation.n == 3289
    assert evaluation.macro_f1 > 0.88, evaluation.as_dict()
