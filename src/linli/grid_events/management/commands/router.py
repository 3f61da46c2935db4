"""`linli router {train,evaluate,predict}`: the category router (docs/router.md).

train     learn from a city's historical reports (CSV) — or, with --synthetic, from generated
          reports over the shipped CJ/T 214 category tables — and save a new model version
evaluate  stratified k-fold accuracy and macro-F1 on a CSV, nothing saved
predict   JSON lines {"text": ...} on stdin → {"label", "confidence", "alternatives"} on stdout
"""

import csv
import io
import json
import sys
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from linli.core.management import read_utf8
from linli.grid_events import routing
from linli.grid_events.domain import parse_category_table

SHIPPED = Path(__file__).resolve().parents[2] / "data"
CATEGORY_TABLES = ("urban_mgmt_event_categories.csv", "urban_mgmt_component_categories.csv")
MAX_LINES_NAMED = 10  # an error names this many offending lines, then says how many more


def model_directory() -> Path:
    configured = getattr(settings, "LINLI_ROUTER_DIR", None)
    return Path(configured) if configured else Path(settings.DATA_DIR) / "router"


@dataclass
class Table:
    path: Path
    text_columns: list[str]
    label_column: str
    texts: list[str]
    labels: list[str]


class Command(BaseCommand):
    help = "Train, evaluate or use the category router (训练、评估、使用自动分类)."
    stealth_options = ("stdin",)
    requires_system_checks = []  # no database work; the checks' warnings would drown the figures

    def add_arguments(self, parser):
        actions = parser.add_subparsers(dest="action", required=True, metavar="{train,evaluate,predict}")
        train = actions.add_parser("train", help="train and save a new model version (训练并保存新版本)")
        self._data_arguments(train, required=False)
        train.add_argument("--synthetic", action="store_true", help="train on generated reports (演示用合成数据)")
        train.add_argument("--per-category", type=int, default=40, help="synthetic reports per category (default 40)")
        train.add_argument("--out", help="model directory (default: LINLI_ROUTER_DIR)")
        train.add_argument("--evaluate", action="store_true", help="cross-validate first; figures go in the .json")
        train.add_argument("--folds", type=int, default=5, help="folds for --evaluate (default 5)")
        evaluate = actions.add_parser("evaluate", help="stratified cross-validation (分层交叉验证)")
        self._data_arguments(evaluate, required=True)
        evaluate.add_argument("--folds", type=int, default=5, help="folds (default 5)")
        evaluate.add_argument("--json", action="store_true", help="print the figures as JSON")
        predict = actions.add_parser("predict", help="JSON lines on stdin → predictions on stdout")
        predict.add_argument("--model", help="model file or directory (default: the newest in LINLI_ROUTER_DIR)")

    @staticmethod
    def _data_arguments(parser, *, required: bool) -> None:
        parser.add_argument("--data", required=required, help="CSV file, UTF-8, with a header row")
        parser.add_argument(
            "--text", help="text column(s), comma-separated, joined in this order (e.g. subject,detail)"
        )
        parser.add_argument("--label", help="label column: the category code or name")
        parser.add_argument("--seed", type=int, default=0, help="seed for the fold split (default 0)")

    def handle(self, *args, action: str, **options):
        {"train": self.train, "evaluate": self.evaluate, "predict": self.predict}[action](options)

    # ------------------------------------------------------------ train

    def train(self, options) -> None:
        if options["synthetic"] == bool(options["data"]):
            raise CommandError("请给出 --data 或 --synthetic 之一 (give either --data or --synthetic)")
        if options["synthetic"]:
            texts, labels, source = synthetic_training_set(options["per_category"], options["seed"])
        else:
            table = read_table(options)
            texts, labels, source = table.texts, table.labels, table.path.name
        evaluation = None
        if options["evaluate"]:
            check_folds(labels, options["folds"], source, options.get("label") or "code")
            evaluation = engine(routing.cross_validate, texts, labels, folds=options["folds"], seed=options["seed"])
            self.report(evaluation)
        # Generated reports are all easy: calibrating on them would make the model sure of everything.
        model = engine(routing.train, texts, labels, source=source, calibrate=not options["synthetic"])
        if evaluation is not None:
            model.metadata["evaluation"] = evaluation.as_dict()
        path = routing.save(model, Path(options["out"]) if options["out"] else model_directory())
        seconds = model.metadata["train_seconds"]
        self.stdout.write(
            f"已保存模型 {path}（{len(texts)} 条，{len(model.labels)} 个类别，训练 {seconds} 秒）\n"
            f"(saved model {path}: {len(texts)} reports, {len(model.labels)} labels, trained in {seconds} s)"
        )

    # ------------------------------------------------------------ evaluate

    def evaluate(self, options) -> None:
        table = read_table(options)
        check_folds(table.labels, options["folds"], table.path.name, table.label_column)
        evaluation = engine(
            routing.cross_validate, table.texts, table.labels, folds=options["folds"], seed=options["seed"]
        )
        if options["json"]:
            self.stdout.write(json.dumps(evaluation.as_dict(), ensure_ascii=False, indent=2))
        else:
            self.report(evaluation)

    def report(self, evaluation: routing.Evaluation) -> None:
        write = self.stdout.write
        write(
            f"分层交叉验证 {evaluation.folds} 折，{evaluation.n} 条，用时 {evaluation.seconds} 秒 "
            f"({evaluation.folds}-fold stratified cross-validation, {evaluation.n} reports, {evaluation.seconds} s)"
        )
        write(f"准确率 accuracy    {evaluation.accuracy:.4f}")
        write(f"宏平均F1 macro-F1  {evaluation.macro_f1:.4f}")
        write("各类 F1 (per-class F1):")
        for label, f1 in evaluation.per_class_f1.items():
            write(f"  {f1:.4f}  {label}")
        write("各折 (per fold): " + ", ".join(f"{f.macro_f1:.4f}/{f.accuracy:.4f}" for f in evaluation.per_fold))

    # ------------------------------------------------------------ predict

    def predict(self, options) -> None:
        model = load_model(options["model"])
        stream = options.get("stdin") or sys.stdin
        bad = 0
        for number, raw in enumerate(getattr(stream, "buffer", stream), start=1):
            text, reason = parse_line(raw)
            if reason:
                bad += 1
                answer = {"line": number, "error": f"第 {number} 行：{reason[0]} (line {number}: {reason[1]})"}
            else:
                prediction = model.predict([text])[0]
                answer = {
                    "label": prediction.label,
                    "confidence": prediction.confidence,
                    "alternatives": [list(pair) for pair in prediction.alternatives],
                }
            self.stdout.write(json.dumps(answer, ensure_ascii=False))
            self.stdout.flush()  # a caller piping one report at a time waits for each answer
        if bad:
            raise CommandError(f"{bad} 行无法处理 ({bad} input lines could not be routed)")


# ---------------------------------------------------------------- helpers


def engine(function, *args, **kwargs):
    """Call the routing engine; its data errors are already bilingual."""
    try:
        return function(*args, **kwargs)
    except routing.RouterDataError as exc:
        raise CommandError(str(exc)) from None


def read_table(options) -> Table:
    """The texts (the named columns joined) and labels of a CSV, or a CommandError naming the
    file, column or lines at fault."""
    path = Path(options["data"])
    if not options["text"] or not options["label"]:
        raise CommandError("请用 --text 和 --label 指明列名 (name the columns with --text and --label)")
    columns = [c.strip() for c in options["text"].split(",") if c.strip()]
    label_column = options["label"].strip()
    reader = csv.DictReader(io.StringIO(read_utf8(path).lstrip("\ufeff")))
    header = reader.fieldnames or []
    missing = [c for c in [*columns, label_column] if c not in header]
    if missing:
        raise CommandError(
            f"{path.name}：缺少列 {', '.join(missing)}，文件中的列为 {', '.join(header) or '（无）'} "
            f"({path.name}: missing column {', '.join(missing)}; the file has {', '.join(header) or 'none'})"
        )
    texts, labels, empty_text, empty_label = [], [], [], []
    try:
        for row in reader:
            text = " ".join(v.strip() for c in columns if (v := row.get(c)) and v.strip())
            label = (row.get(label_column) or "").strip()
            if not text:
                empty_text.append(reader.line_num)
            elif not label:
                empty_label.append(reader.line_num)
            else:
                texts.append(text)
                labels.append(label)
    except csv.Error as exc:
        raise CommandError(f"{path.name} 第 {reader.line_num} 行无法解析 (line {reader.line_num}: {exc})") from None
    if empty_text:
        raise CommandError(
            f"{path.name}：第 {lines(empty_text)} 行的文本列 {', '.join(columns)} 为空 "
            f"({path.name}: text columns {', '.join(columns)} are empty on line {lines(empty_text)})"
        )
    if empty_label:
        raise CommandError(
            f"{path.name}：第 {lines(empty_label)} 行的类别列 {label_column} 为空 "
            f"({path.name}: label column {label_column} is empty on line {lines(empty_label)})"
        )
    distinct = sorted(set(labels))
    if len(distinct) < 2:
        raise CommandError(
            f"{path.name}：类别列 {label_column} 至少需要两个不同的值，只有 {len(distinct)} 个 "
            f"({path.name}: label column {label_column} needs at least 2 distinct values, has {len(distinct)})"
        )
    return Table(path, columns, label_column, texts, labels)


def lines(numbers: list[int]) -> str:
    named = ", ".join(str(n) for n in numbers[:MAX_LINES_NAMED])
    return named + (f" (+{len(numbers) - MAX_LINES_NAMED})" if len(numbers) > MAX_LINES_NAMED else "")


def check_folds(labels: list[str], folds: int, source: str, column: str) -> None:
    if folds < 2:
        raise CommandError(f"--folds 至少为 2 (--folds must be at least 2), got {folds}")
    counts: dict[str, int] = {}
    for label in labels:
        counts[label] = counts.get(label, 0) + 1
    small = sorted((n, label) for label, n in counts.items() if n < folds)
    if small:
        named = ", ".join(f"{label} ({n})" for n, label in small)
        raise CommandError(
            f"{source}：类别列 {column} 中这些类别的行数少于折数 {folds}：{named} "
            f"({source}: in label column {column} these labels have fewer rows than {folds} folds: {named})"
        )


def synthetic_training_set(per_category: int, seed: int) -> tuple[list[str], list[str], str]:
    """Generated reports over the shipped category tables (minor classes, E/C + CJ/T 214 code)."""
    categories = []
    for name in CATEGORY_TABLES:
        rows, _skipped = parse_category_table(read_utf8(SHIPPED / name))  # skipped: rows without a code
        categories += [(row.code, row.name, row.major_name) for row in rows]
    if per_category < 2:
        raise CommandError(f"--per-category 至少为 2 (--per-category must be at least 2), got {per_category}")
    reports = routing.synthetic_reports(categories, per_category=per_category, seed=seed)
    return [text for text, _ in reports], [code for _, code in reports], f"synthetic:{per_category}x{len(categories)}"


def load_model(given: str | None) -> routing.RouterModel:
    directory = model_directory() if given is None else Path(given)
    # a directory (the configured one by default) gives its newest model; else --model named a file
    path = routing.latest_model_path(directory) if directory.is_dir() or given is None else directory
    if path is None:
        raise CommandError(
            f"{directory} 中没有模型，请先运行 linli router train "
            f"(no model in {directory}; run linli router train first)"
        )
    try:
        return routing.load(path)
    except routing.RouterModelError as exc:
        raise CommandError(str(exc)) from None


def parse_line(raw: bytes | str) -> tuple[str, tuple[str, str] | None]:
    """The text of one input line, or the reason (zh-hans, English) it has none."""
    if isinstance(raw, bytes):
        try:
            raw = raw.decode("utf-8")
        except UnicodeDecodeError as exc:
            return "", ("不是 UTF-8 编码", f"not UTF-8 (byte {exc.start})")
    if not raw.strip():
        return "", ("空行", "empty line")
    try:
        value = json.loads(raw)
    except ValueError as exc:
        return "", ("不是合法的 JSON", f"not valid JSON: {exc}")
    if not isinstance(value, dict) or "text" not in value:
        return "", ("缺少 text 字段", 'no "text" field (expected {"text": "..."})')
    if not isinstance(value["text"], str) or not value["text"].strip():
        return "", ("text 为空或不是字符串", '"text" is empty or not a string')
    return value["text"], None
