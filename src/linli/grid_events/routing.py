"""The router: suggests a category for a free-text problem report, with a confidence.

Plain Python (scikit-learn, jieba), no Django: trained and tested without a database. Three
views of the same text vote, because each alone misses what the others catch (docs/router.md
has the figures):

1. character 1–2-grams, TF-IDF with sublinear tf, the 5,000 most class-dependent kept (chi²),
   a linear SVM — robust to spelling and to words jieba does not know;
2. jieba's words in search mode (long words also give their parts), TF-IDF, a linear SVM;
3. the 10 nearest training reports by cosine on (1)'s features, weighted by similarity³ —
   residents of one city report the same problems in the same words.

The fused score (the two SVM margins plus the neighbour vote) becomes a probability by a
softmax whose temperature is fitted on out-of-fold scores (log loss), so "0.9" means about
nine in ten right on data like the training data.
"""

from __future__ import annotations

import hashlib
import io
import json
import logging
import math
import random
import re
import time
import unicodedata
import warnings
from collections import Counter
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import numpy as np
import scipy.sparse as sp

from linli.core.words import jieba_tokenizer

FORMAT = 1  # bump when the pickled RouterModel changes shape; load() refuses other formats
DEFAULT_PARAMS: dict[str, Any] = {
    "char_ngrams": [1, 2],  # 1–3 and 1–4 grams measured worse on 3k reports (too many rare features)
    "char_features": 5000,  # chi² keeps these; 3,000 and 8,000 measured worse
    "svm_c": 1.0,
    "neighbours": 10,
    "neighbour_power": 3,  # similarity³: the nearest few dominate the vote
    "neighbour_weight": 1.0,
    "calibration_folds": 3,
}
# What calibration finds on the appeals data (1.69). Used when calibration cannot run or would
# mislead: on generated reports it finds a huge temperature (every held-out report is easy), and
# the model would then be sure of everything a real resident writes.
DEFAULT_TEMPERATURE = 1.7
MODEL_NAME = re.compile(r"^router-(\d{8}T\d{6}\.\d{6}Z)-([0-9a-f]{8})\.joblib$")
_PREDICT_CHUNK = 512  # rows per neighbour-similarity block: bounds memory for large batches

logger = logging.getLogger(__name__)


class RouterDataError(ValueError):
    """Training data the router cannot learn from; the message is bilingual (zh-hans, English)."""


class RouterModelError(Exception):
    """A model file that cannot be used (missing, damaged, another library version)."""


@dataclass(frozen=True)
class Prediction:
    label: str
    confidence: float  # the top label's probability, in [0, 1]
    alternatives: tuple[tuple[str, float], ...]  # the top 3 (label, probability), best first


@dataclass(frozen=True)
class FoldResult:
    fold: int
    n: int
    accuracy: float
    macro_f1: float


@dataclass(frozen=True)
class Evaluation:
    n: int
    folds: int
    seed: int
    accuracy: float
    macro_f1: float
    per_class_f1: dict[str, float]
    per_fold: tuple[FoldResult, ...]
    seconds: float

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


# ---------------------------------------------------------------- text


def normalise(text: str) -> str:
    """NFKC (full-width letters and digits become ASCII, as residents type both) and one space
    for any run of white space."""
    return " ".join(unicodedata.normalize("NFKC", text).split())


def words(text: str) -> list[str]:
    """Search-mode words: 垃圾清运站 also gives 垃圾, 清运 — a report and its category's history
    rarely agree on the long compound."""
    return [w for w in jieba_tokenizer().cut_for_search(text) if not w.isspace()]


def similarities(text: str, others: Sequence[str]) -> list[float]:
    """How much each of `others` says what `text` says, in [0, 1]: the cosine of TF-IDF vectors of
    the router's words (punctuation dropped). The IDF comes from the texts compared, so a word
    every nearby report uses (小区, 门口) counts for little and the problem's own words decide."""
    docs = [[w for w in words(t) if any(ch.isalnum() for ch in w)] for t in (text, *others)]
    n = len(docs)
    seen_in = Counter(w for doc in docs for w in set(doc))

    def vector(doc: list[str]) -> dict[str, float]:
        return {w: (1 + math.log(c)) * (math.log((1 + n) / (1 + seen_in[w])) + 1) for w, c in Counter(doc).items()}

    def norm(v: dict[str, float]) -> float:
        return math.sqrt(sum(x * x for x in v.values()))

    query = vector(docs[0])
    query_norm = norm(query)
    scores = []
    for doc in docs[1:]:
        other = vector(doc)
        denominator = query_norm * norm(other)
        dot = sum(x * other.get(w, 0.0) for w, x in query.items())
        scores.append(dot / denominator if denominator else 0.0)
    return scores


def _as_given(tokens: list[str]) -> list[str]:
    """The word vectorizer's analyzer: tokens are cut once, before it (module level so it pickles)."""
    return tokens


@dataclass
class _Docs:
    """Texts prepared once: cross-validation reuses the cutting for every fold."""

    texts: list[str]
    tokens: list[list[str]]

    @classmethod
    def of(cls, texts: Sequence[str]) -> _Docs:
        normalised = [normalise(t) for t in texts]
        return cls(normalised, [words(t) for t in normalised])

    def take(self, rows: np.ndarray) -> _Docs:
        return _Docs([self.texts[i] for i in rows], [self.tokens[i] for i in rows])


# ---------------------------------------------------------------- the model


@dataclass
class RouterModel:
    labels: tuple[str, ...]
    params: dict[str, Any]
    char_vectorizer: Any
    char_columns: np.ndarray
    char_svm: Any
    word_vectorizer: Any
    word_svm: Any
    neighbours: sp.csr_matrix
    neighbour_labels: np.ndarray
    temperature: float = DEFAULT_TEMPERATURE
    metadata: dict[str, Any] = field(default_factory=dict)

    @property
    def version(self) -> str | None:
        """Set by save() and load(): router-<version>.joblib."""
        return self.metadata.get("version")

    def predict(self, texts: Sequence[str]) -> list[Prediction]:
        if not texts:
            return []
        probabilities = _softmax(_fused_scores(self, _Docs.of(texts)) * self.temperature)
        return [_prediction(self.labels, row) for row in probabilities]


def _prediction(labels: tuple[str, ...], row: np.ndarray) -> Prediction:
    order = np.argsort(-row)[:3]
    alternatives = tuple((labels[i], round(float(row[i]), 4)) for i in order)
    return Prediction(alternatives[0][0], alternatives[0][1], alternatives)


def _softmax(scores: np.ndarray) -> np.ndarray:
    shifted = np.exp(scores - scores.max(axis=1, keepdims=True))
    return shifted / shifted.sum(axis=1, keepdims=True)


def _margins(svm, features) -> np.ndarray:
    """One column per label even with two labels (LinearSVC then gives one signed margin)."""
    scores = svm.decision_function(features)
    return np.column_stack([-scores, scores]) if scores.ndim == 1 else scores


def _char_features(model: RouterModel, docs: _Docs) -> sp.csr_matrix:
    return model.char_vectorizer.transform(docs.texts)[:, model.char_columns]


def _fused_scores(model: RouterModel, docs: _Docs) -> np.ndarray:
    chars = _char_features(model, docs)
    scores = _margins(model.char_svm, chars)
    scores += _margins(model.word_svm, model.word_vectorizer.transform(docs.tokens))
    scores += model.params["neighbour_weight"] * _neighbour_vote(model, chars)
    return scores


def _neighbour_vote(model: RouterModel, chars: sp.csr_matrix) -> np.ndarray:
    """Per label, the similarity-weighted share of the k nearest training reports."""
    from sklearn.preprocessing import normalize

    queries = normalize(chars).astype(np.float32)
    k = min(model.params["neighbours"], model.neighbours.shape[0])
    votes = np.zeros((queries.shape[0], len(model.labels)))
    for start in range(0, queries.shape[0], _PREDICT_CHUNK):
        block = (queries[start : start + _PREDICT_CHUNK] @ model.neighbours.T).toarray()
        nearest = np.argpartition(-block, k - 1, axis=1)[:, :k]
        weights = np.take_along_axis(block, nearest, axis=1) ** model.params["neighbour_power"]
        rows = np.arange(block.shape[0])[:, None]
        np.add.at(votes[start : start + block.shape[0]], (rows, model.neighbour_labels[nearest]), weights)
    totals = votes.sum(axis=1, keepdims=True)
    return np.divide(votes, totals, out=np.zeros_like(votes), where=totals > 0)


# ---------------------------------------------------------------- training


def _check(texts: Sequence[str], labels: Sequence[str]) -> None:
    if len(texts) != len(labels):
        raise RouterDataError(
            f"文本 {len(texts)} 条而类别 {len(labels)} 条 ({len(texts)} texts but {len(labels)} labels)"
        )
    for row, (text, label) in enumerate(zip(texts, labels, strict=True), start=1):
        if not normalise(text):
            raise RouterDataError(f"第 {row} 条文本为空 (text {row} is empty)")
        if not str(label).strip():
            raise RouterDataError(f"第 {row} 条类别为空 (label {row} is empty)")
    if len(set(labels)) < 2:
        raise RouterDataError(
            f"至少需要两个类别，只有 {len(set(labels))} 个 (at least 2 labels are needed, got {len(set(labels))})"
        )


def train(
    texts: Sequence[str], labels: Sequence[str], *, source: str = "", calibrate: bool = True, params=None
) -> RouterModel:
    """A model for `texts` labelled `labels`. `calibrate` fits the confidence on out-of-fold
    scores (3 more fits); cross-validation skips it because it leaves the top label unchanged."""
    _check(texts, labels)
    started = time.perf_counter()
    params = {**DEFAULT_PARAMS, **(params or {})}
    names = tuple(sorted(set(labels)))
    targets = np.array([names.index(label) for label in labels])
    docs = _Docs.of(texts)
    model = _fit(docs, targets, names, params)
    fitted = _fit_temperature(docs, targets, names, params) if calibrate else None
    model.temperature = DEFAULT_TEMPERATURE if fitted is None else fitted
    model.metadata = {
        "format": FORMAT,
        "source": source,
        "n_samples": len(texts),
        "label_counts": dict(sorted(Counter(labels).items())),
        "params": params,
        "temperature": model.temperature,
        "temperature_source": "default" if fitted is None else "calibrated",
        "train_seconds": round(time.perf_counter() - started, 2),
        "evaluation": None,
        **_library_versions(),
    }
    return model


def _fit(docs: _Docs, targets: np.ndarray, names: tuple[str, ...], params: dict[str, Any]) -> RouterModel:
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.feature_selection import chi2
    from sklearn.preprocessing import normalize
    from sklearn.svm import LinearSVC

    char_vectorizer = TfidfVectorizer(analyzer="char", ngram_range=tuple(params["char_ngrams"]), sublinear_tf=True)
    all_chars = char_vectorizer.fit_transform(docs.texts)
    columns = _best_columns(chi2(all_chars, targets)[0], params["char_features"])
    chars = all_chars[:, columns]
    word_vectorizer = TfidfVectorizer(analyzer=_as_given, sublinear_tf=True)
    word_features = word_vectorizer.fit_transform(docs.tokens)

    def svm(features):
        # balanced: macro-F1 counts the small classes as much as the large ones
        return LinearSVC(C=params["svm_c"], class_weight="balanced", random_state=0).fit(features, targets)

    return RouterModel(
        labels=names,
        params=params,
        char_vectorizer=char_vectorizer,
        char_columns=columns,
        char_svm=svm(chars),
        word_vectorizer=word_vectorizer,
        word_svm=svm(word_features),
        neighbours=normalize(chars).astype(np.float32).tocsr(),
        neighbour_labels=targets.astype(np.int32),
    )


def _best_columns(scores: np.ndarray, keep: int) -> np.ndarray:
    """Indices of the `keep` highest chi² scores, in column order (NaN for constant columns)."""
    scores = np.nan_to_num(scores, nan=0.0)
    if keep >= scores.size:
        return np.arange(scores.size)
    return np.sort(np.argpartition(-scores, keep - 1)[:keep])


def _fit_temperature(docs: _Docs, targets: np.ndarray, names: tuple[str, ...], params: dict[str, Any]) -> float | None:
    """The softmax temperature with the least log loss on out-of-fold fused scores; None when a
    label has too few reports to hold any out."""
    from sklearn.model_selection import StratifiedKFold

    folds = min(params["calibration_folds"], int(np.bincount(targets).min()))
    if folds < 2:
        return None
    scores = np.zeros((len(targets), len(names)))
    for fit_rows, held_rows in StratifiedKFold(folds, shuffle=True, random_state=0).split(docs.texts, targets):
        if len(set(targets[fit_rows])) < len(names):
            return None
        part = _fit(docs.take(fit_rows), targets[fit_rows], names, params)
        scores[held_rows] = _fused_scores(part, docs.take(held_rows))
    candidates = np.geomspace(0.05, 20, 81)
    losses = [_log_loss(scores * t, targets) for t in candidates]
    return float(candidates[int(np.argmin(losses))])


def _log_loss(scores: np.ndarray, targets: np.ndarray) -> float:
    probabilities = _softmax(scores)[np.arange(len(targets)), targets]
    return float(-np.log(np.clip(probabilities, 1e-12, 1)).mean())


def _library_versions() -> dict[str, str]:
    import sklearn

    return {"sklearn_version": sklearn.__version__, "numpy_version": np.__version__}


# ---------------------------------------------------------------- evaluation


def cross_validate(texts: Sequence[str], labels: Sequence[str], *, folds: int = 5, seed: int = 0) -> Evaluation:
    """Stratified k-fold accuracy and macro-F1 (each label's F1 counts equally: a small class
    routed badly matters as much as a large one)."""
    from sklearn.metrics import accuracy_score, f1_score
    from sklearn.model_selection import StratifiedKFold

    _check(texts, labels)
    _check_folds(labels, folds)
    started = time.perf_counter()
    names = tuple(sorted(set(labels)))
    targets = np.array([names.index(label) for label in labels])
    docs = _Docs.of(texts)
    predicted = np.zeros_like(targets)
    per_fold = []
    splits = StratifiedKFold(folds, shuffle=True, random_state=seed).split(docs.texts, targets)
    for number, (fit_rows, held_rows) in enumerate(splits, start=1):
        part = _fit(docs.take(fit_rows), targets[fit_rows], names, {**DEFAULT_PARAMS})
        predicted[held_rows] = _fused_scores(part, docs.take(held_rows)).argmax(axis=1)
        truth, guess = targets[held_rows], predicted[held_rows]
        per_fold.append(
            FoldResult(number, len(held_rows), accuracy_score(truth, guess), f1_score(truth, guess, average="macro"))
        )
    per_class = f1_score(targets, predicted, average=None, labels=range(len(names)))
    return Evaluation(
        n=len(texts),
        folds=folds,
        seed=seed,
        accuracy=float(accuracy_score(targets, predicted)),
        macro_f1=float(f1_score(targets, predicted, average="macro")),
        per_class_f1={name: float(f) for name, f in zip(names, per_class, strict=True)},
        per_fold=tuple(per_fold),
        seconds=round(time.perf_counter() - started, 2),
    )


def _check_folds(labels: Sequence[str], folds: int) -> None:
    if folds < 2:
        raise RouterDataError(f"折数至少为 2，给了 {folds} (folds must be at least 2, got {folds})")
    for label, count in sorted(Counter(labels).items()):
        if count < folds:
            raise RouterDataError(
                f"类别「{label}」只有 {count} 条，少于折数 {folds} "
                f"(label '{label}' has {count} rows, fewer than {folds} folds)"
            )


# ---------------------------------------------------------------- files


def save(model: RouterModel, directory: Path) -> Path:
    """Write router-<UTC time>-<hash>.joblib and its .json beside it; never overwrites, so the
    previous versions stay for a rollback (delete the newest to go back one)."""
    import joblib

    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    buffer = io.BytesIO()
    joblib.dump(model, buffer, compress=3)
    payload = buffer.getvalue()
    created = datetime.now(UTC)
    version = f"{created:%Y%m%dT%H%M%S.%fZ}-{hashlib.sha256(payload).hexdigest()[:8]}"
    path = directory / f"router-{version}.joblib"
    sidecar = {
        **model.metadata,
        **_library_versions(),
        "format": FORMAT,
        "version": version,
        "created_at": created.isoformat(),
        "labels": list(model.labels),
        "file_bytes": len(payload),
    }
    _write_atomically(path.with_suffix(".json"), json.dumps(sidecar, ensure_ascii=False, indent=2).encode())
    _write_atomically(path, payload)  # last: latest_model_path() sees the model only once both exist
    model.metadata.update(version=version, created_at=sidecar["created_at"])
    return path


def _write_atomically(path: Path, data: bytes) -> None:
    partial = path.with_name(path.name + ".partial")
    partial.write_bytes(data)
    partial.replace(path)


def load(path: Path) -> RouterModel:
    """The model in `path`; RouterModelError, with the reason in zh-hans and English, when the
    file is missing or was made by another scikit-learn (pickles do not survive its upgrades)."""
    import joblib
    from sklearn.exceptions import InconsistentVersionWarning

    path = Path(path)
    sidecar = _read_sidecar(path)
    _check_compatible(path, sidecar)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", InconsistentVersionWarning)
            model = joblib.load(path)
    except (InconsistentVersionWarning, Exception) as exc:
        raise RouterModelError(f"模型文件无法读取 (model file cannot be read): {path.name}: {exc}") from exc
    if not isinstance(model, RouterModel):
        raise RouterModelError(f"不是路由模型 (not a router model): {path.name}")
    model.metadata.update(version=sidecar.get("version"), created_at=sidecar.get("created_at"))
    return model


def _read_sidecar(path: Path) -> dict[str, Any]:
    if not path.is_file():
        raise RouterModelError(f"模型文件不存在 (model file not found): {path}")
    try:
        return json.loads(path.with_suffix(".json").read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise RouterModelError(
            f"缺少模型说明文件 (the model's .json is missing): {path.with_suffix('.json').name}"
        ) from None
    except ValueError as exc:
        raise RouterModelError(f"模型说明文件损坏 (the model's .json is damaged): {exc}") from None


def _check_compatible(path: Path, sidecar: dict[str, Any]) -> None:
    import sklearn

    if sidecar.get("format") != FORMAT:
        raise RouterModelError(
            f"模型格式 {sidecar.get('format')} 与本程序的 {FORMAT} 不同，请重新训练 "
            f"(model format {sidecar.get('format')} is not this program's {FORMAT}; retrain): {path.name}"
        )
    made, here = str(sidecar.get("sklearn_version", "?")), sklearn.__version__
    if made.split(".")[:2] != here.split(".")[:2]:
        raise RouterModelError(
            f"模型由 scikit-learn {made} 训练，当前为 {here}，请用 linli router train 重新训练 "
            f"(model trained with scikit-learn {made}, this is {here}; retrain with linli router train): {path.name}"
        )


def latest_model_path(directory: Path) -> Path | None:
    """The newest model by version (its UTC time), or None when there is none."""
    directory = Path(directory)
    if not directory.is_dir():
        return None
    found = [p for p in directory.iterdir() if MODEL_NAME.match(p.name) and p.with_suffix(".json").is_file()]
    return max(found, key=lambda p: MODEL_NAME.match(p.name).groups(), default=None)


# ---------------------------------------------------------------- synthetic reports


def synthetic_reports(
    categories: Sequence[tuple[str, str, str]], *, per_category: int, seed: int
) -> list[tuple[str, str]]:
    """`per_category` plausible reports (text, code) for each (code, name, major_name): what a
    resident or grid worker might write, from templates and the category's own keywords (the
    name itself for names without any). Deterministic for a seed; for demos and tests only."""
    generator = random.Random(seed)
    reports = []
    for code, name, major_name in categories:
        phrases = KEYWORDS.get(name) or _generic_phrases(name, major_name)
        for _ in range(per_category):
            reports.append((_report(generator, name, phrases), code))
    return reports


def _generic_phrases(name: str, major_name: str) -> tuple[str, ...]:
    return (f"发现{name}问题", f"{name}情况比较严重", f"有{name}需要处理", f"{major_name}方面存在{name}")


def _report(generator: random.Random, name: str, phrases: Sequence[str]) -> str:
    pick = generator.choice
    road, other_road = generator.sample(ROADS, 2)
    place = pick(PLACES).format(
        estate=pick(ESTATES), road=road, other_road=other_road, n=generator.randint(1, 28), unit=generator.randint(1, 6)
    )
    problem = "，".join(generator.sample(list(phrases), k=min(len(phrases), generator.randint(1, 2))))
    parts = [pick(OPENINGS), pick(TIMES), place, problem]
    if generator.random() < 0.3:
        parts.insert(0, f"反映{name}：")
    parts += [pick(EFFECTS), pick(REQUESTS)]
    return "".join(p for p in parts if p) + "。"


OPENINGS = ("", "", "您好，", "你好，", "网格员巡查发现：", "居民反映：", "随手拍：", "紧急！", "麻烦处理一下，")
TIMES = ("", "今天上午", "昨晚", "最近一周", "这几天", "早上七点多", "下午", "连续三天", "周末", "刚才")
ESTATES = ("幸福里小区", "和平家园", "阳光花园", "金桥小区", "滨河苑", "锦绣华庭", "长青小区", "园丁新村")
ROADS = ("中山路", "青年大街", "北京街", "文化路", "长江路", "南京街", "太原街", "建设大路")
PLACES = (
    "{estate}{n}号楼{unit}单元门口",
    "{estate}东门",
    "{road}与{other_road}交叉路口",
    "{road}{n}号附近",
    "{estate}南侧人行道",
    "{road}公交站旁",
    "{estate}停车场",
    "{road}菜市场门口",
    "{estate}{n}号楼后面",
)
EFFECTS = (
    "",
    "，影响居民出行",
    "，存在安全隐患",
    "，老人孩子经过很危险",
    "，严重影响周边环境",
    "，已经好几天了没人管",
    "，居民意见很大",
)
REQUESTS = ("", "，请尽快处理", "，希望相关部门管一管", "，请派人来看看", "，盼复", "，谢谢")

# Category keywords: what people say about each CJ/T 214 minor class (事件 then 部件).
KEYWORDS: dict[str, tuple[str, ...]] = {
    "私搭乱建": ("有人私搭乱建彩钢房", "一楼住户违建扩出院子", "楼顶加盖违章建筑", "占用公共绿地搭棚子"),
    "暴露垃圾": ("生活垃圾随意堆放在路边", "垃圾袋散落一地没人收", "垃圾裸露发臭招苍蝇", "垃圾扔在绿化带里"),
    "积存垃圾渣土": ("建筑渣土堆了好几堆", "装修垃圾长期积存不清运", "渣土堆积成小山", "积存的垃圾渣土扬灰"),
    "道路不洁": ("路面很脏没人清扫", "马路上全是泥和纸屑", "人行道油污多", "街道保洁不到位"),
    "水域不洁": ("河面漂着垃圾和塑料瓶", "河水发黑发臭", "水面上有油污漂浮物", "湖里有死鱼和杂物"),
    "绿地脏乱": ("绿地里满是垃圾", "绿化带内杂物多很脏", "草坪上扔满烟头塑料袋", "绿地脏乱没人打理"),
    "废弃车辆": ("一辆僵尸车停了半年", "报废汽车长期占用车位", "废弃自行车堆了一排", "车上落满灰轮胎都瘪了"),
    "废弃家具设备": ("有人扔了旧沙发和床垫", "废弃冰箱洗衣机堆在路边", "旧家具丢在楼道口", "破柜子没人搬走"),
    "非装饰性树挂": ("树上挂满塑料袋", "行道树上挂着横幅和电线", "树枝上缠着破布条", "有人在树上挂晾衣绳"),
    "道路破损": ("路面坑洼不平", "马路裂了好几道口子", "人行道砖松动翘起", "柏油路面破损出大坑"),
    "河堤破损": ("河堤护坡塌了一块", "堤岸石头松动裂缝", "河道护栏和堤坝破损", "堤坝被冲出缺口"),
    "道路遗撒": ("运输车沿路遗撒沙土", "路面遗撒大量石子", "车辆抛洒泥浆一路", "水泥砂浆洒在马路上"),
    "建筑物外立面不洁": ("楼外墙涂满乱写乱画", "外立面又脏又黑", "墙面污渍斑驳", "临街外墙被喷涂广告"),
    "水域秩序问题": ("有人在河里违规捕鱼", "湖边有人游泳很危险", "河道里非法采砂", "私自在水面上划船"),
    "焚烧垃圾树叶": ("有人在空地焚烧垃圾", "烧树叶浓烟滚滚", "露天焚烧塑料味道刺鼻", "点火烧秸秆和落叶"),
    "油烟污染": ("饭店油烟直排", "餐馆排烟管道冲着居民窗户", "油烟味熏得没法开窗", "烧烤店油烟扰民"),
    "动物尸体": ("路上有一只死猫", "死狗躺在路边发臭", "河边有动物尸体", "死老鼠没人清理"),
    "擅自饲养家禽家畜": ("楼下有人养鸡养鸭", "居民在小区里养猪", "院子里圈养家禽味道大", "有人在楼道养鸽子"),
    "其他市容环境问题": ("市容环境脏乱差", "环境卫生问题一直没解决", "这片区域整体很乱"),
    "非法小广告": ("电线杆上贴满小广告", "墙上到处是办证小广告", "楼道里贴满开锁疏通的小广告", "喷涂的电话号码广告"),
    "违章张贴悬挂广告牌匾": ("商户违规悬挂横幅", "私自挂了大型广告牌匾", "外墙违章张贴海报", "楼顶违规广告牌"),
    "占道广告牌": ("店门口立着广告牌占了人行道", "易拉宝摆在路中间", "落地广告牌挡住盲道", "占道摆放的广告架"),
    "街头散发广告": ("有人在路口发传单", "街头派发小卡片", "往车窗上塞广告单", "散发的传单扔了一地"),
    "广告招牌破损": ("店铺招牌掉了一半", "广告牌松动摇晃要掉下来", "牌匾破损字都掉了", "招牌钢架锈蚀破损"),
    "施工扰民": ("工地半夜还在施工", "施工噪音吵得睡不着", "凌晨打桩机一直响", "夜间施工扰民"),
    "工地扬尘": ("工地没有覆盖防尘网", "施工现场尘土飞扬", "工地扬尘很大满天灰", "拆迁现场不洒水"),
    "施工废弃料": ("施工废料乱扔在路边", "工地的废钢筋和砖头没清", "废弃建材堆放占地", "施工剩下的水泥袋乱扔"),
    "施工占道": ("施工围挡占了整条人行道", "工程车辆占道作业", "施工材料堆在马路上", "施工占用车道不设警示"),
    "无证掘路": ("有人私自挖开路面", "没有手续就开挖马路", "擅自掘路埋管线", "路面被挖开没有施工牌"),
    "其他施工管理问题": ("施工管理混乱", "工地安全措施不到位", "施工现场管理有问题"),
    "路面塌陷": ("路面突然塌陷出一个大坑", "地面下沉塌了", "马路塌陷很危险", "人行道塌下去一块"),
    "自来水管破裂": ("自来水管爆了水哗哗往外流", "供水管道破裂路面冒水", "水管漏水停水了", "自来水管冻裂喷水"),
    "燃气管道破裂": ("闻到很浓的煤气味", "燃气管道漏气", "天然气管破了嘶嘶响", "燃气泄漏很危险"),
    "下水道堵塞或破损": ("下水道堵了污水往外冒", "污水井返水", "排水管道破损", "下水道不通臭气熏天"),
    "热力管道破裂": ("暖气管道破裂冒热气", "供热管线漏水冒白烟", "热力管道爆了地面烫", "供暖管道破损"),
    "道路积水": ("下雨后路面积水很深", "积水没过脚踝过不去", "路口积水排不出去", "下雨就成了一片汪洋"),
    "道路积雪结冰": ("路面积雪没人清", "路上结冰很滑有人摔倒", "人行道冰雪没清理", "坡道结冰车上不去"),
    "架空线缆损坏": ("电线掉下来垂到地上", "空中线缆断了耷拉着", "通信线缆被挂断", "架空线杂乱低垂"),
    "群发性事件": ("很多人聚集在门口", "一群人围堵道路", "大量人员聚集讨薪", "几十人聚集情绪激动"),
    "其他突发事件": ("发生突发情况需要处置", "突发险情", "紧急情况请马上来人"),
    "无照经营游商": ("流动摊贩沿街叫卖", "游商推车卖水果", "无照商贩到处摆摊", "三轮车流动售卖"),
    "流浪乞讨": ("有流浪人员在桥下睡觉", "路边有人乞讨", "流浪汉长期住在楼道", "乞讨人员拦路要钱"),
    "占道废品收购": ("收废品的占了半条路", "废品收购站堆在人行道", "收破烂的在路边分拣", "废品堆占道"),
    "店外经营": ("商店把货摆到门外", "饭店在门口摆桌子", "超市出店经营占人行道", "修车铺在店外干活"),
    "机动车乱停放": ("汽车乱停挡住消防通道", "车停在人行道上", "有车堵在小区门口", "私家车违停占盲道"),
    "非机动车乱停放": ("共享单车乱停一大片", "电动车堵在楼道口", "自行车停得横七竖八", "电瓶车乱停占路"),
    "乱堆物堆料": ("楼道里堆满杂物", "有人在路边堆放砖瓦木料", "公共区域乱堆乱放", "杂物堆积占了通道"),
    "商业噪音": ("商店门口大喇叭循环播放", "店铺音响声音太大", "促销喊麦吵得不行", "广场音响商业宣传扰民"),
    "黑车拉客": ("黑车司机在车站拉客", "非法营运车辆揽客", "摩的在路口招揽乘客", "黑出租拉活"),
    "露天烧烤": ("路边露天烧烤烟很大", "夜市烧烤摊占道", "烧烤摊乌烟瘴气", "有人在楼下支炉子烤串"),
    "沿街晾挂": ("临街阳台晾衣服", "在护栏上晾被子", "树上拉绳晒衣服", "沿街晾晒影响市容"),
    "非法出版物销售": ("地摊上卖盗版书", "有人兜售非法光盘", "报刊亭卖违禁出版物", "路边售卖盗版碟片"),
    "空调室外机低挂": ("空调外机挂得太低", "空调室外机滴水到行人头上", "外机安装高度不够碰头", "空调外机低挂吹热风"),
    "其他街面秩序问题": ("街面秩序混乱", "这条街管理很乱", "街面上乱象丛生"),
    "上水井盖": ("自来水井盖丢了", "上水井盖破损", "供水阀门井盖松动"),
    "污水井盖": ("污水井盖缺失", "污水井盖碎了", "污水井盖塌陷有异味"),
    "雨水井盖": ("雨水井盖被偷了", "雨水检查井盖破损", "雨水井盖下沉"),
    "雨水箅子": ("雨水箅子丢了", "雨箅子断裂", "路边收水口箅子缺失", "雨水篦子被垃圾堵死"),
    "电力井盖": ("电力井盖缺失", "供电井盖破损", "电缆井盖松动响"),
    "路灯井盖": ("路灯检修井盖丢失", "路灯井盖破损", "路灯电缆井盖翘起"),
    "通信（电信）井盖": ("电信井盖破了", "通信井盖缺失", "电话线井盖松动"),
    "有线电视井盖": ("有线电视井盖坏了", "广电井盖丢失", "有线电视管道井盖塌陷"),
    "网络井盖": ("网络井盖缺失", "宽带光缆井盖破损", "网络通信井盖翘起"),
    "热力井盖": ("热力井盖破损冒热气", "供热井盖丢了", "暖气井盖松动"),
    "燃气井盖": ("燃气井盖缺失", "煤气阀门井盖破损", "燃气井盖松动"),
    "公安井盖": ("公安监控井盖丢失", "公安专用井盖破损", "警用线路井盖塌陷"),
    "消防设施": ("消防栓漏水", "消火栓被撞坏", "消防设施损坏", "灭火器箱空了"),
    "不明井盖": ("不知道哪家的井盖丢了", "不明权属的井盖破损", "路中间有个井盖塌陷"),
    "电信交接箱": ("电信交接箱门开着", "通信交接箱被撞歪", "电信箱线缆外露"),
    "电力设施": ("变压器箱体破损", "配电箱门坏了电线裸露", "电力设施有放电声"),
    "电杆": ("电线杆倾斜快倒了", "电杆被车撞断", "水泥电杆开裂"),
    "路灯": ("路灯不亮", "整条路的路灯都坏了", "路灯白天还亮着", "路灯杆倾斜"),
    "地灯": ("广场地灯不亮", "地灯玻璃碎了", "草坪地灯漏电"),
    "射灯": ("楼体射灯坏了", "景观射灯掉下来", "射灯晃眼"),
    "报刊亭": ("报刊亭废弃没人管", "报刊亭破损", "报亭占道"),
    "电话亭": ("电话亭玻璃碎了", "公用电话亭废弃", "电话亭倾斜"),
    "邮筒": ("邮筒被撞坏", "邮筒锈蚀破损", "邮筒倒了"),
    "信息亭": ("信息亭屏幕坏了", "信息亭破损", "电子信息亭不亮"),
    "自动售货亭": ("自动售货机坏了", "售货亭破损占道", "售货亭废弃"),
    "健身设施": ("健身器材坏了", "小区健身器材螺丝松动", "单杠断裂有人受伤", "健身路径器械损坏"),
    "停车场": ("停车场道闸坏了", "停车场地面破损", "停车场乱收费"),
    "停车咪表": ("咪表不能刷卡", "停车计费表坏了", "咪表屏幕不亮"),
    "公交站亭": ("公交站亭玻璃碎了", "候车亭顶棚破损", "公交站牌看不清"),
    "出租车站牌": ("出租车站牌倒了", "出租车停靠站牌破损", "出租车招呼站牌缺失"),
    "过街天桥": ("过街天桥台阶破损", "天桥扶手松动", "人行天桥电梯坏了"),
    "地下通道": ("地下通道灯不亮", "地下通道积水", "地下人行通道墙皮脱落"),
    "高架立交桥": ("立交桥桥面开裂", "高架桥护栏破损", "立交桥掉水泥块"),
    "跨河桥": ("河上的桥栏杆断了", "跨河大桥桥面破损", "桥墩有裂缝"),
    "交通标志牌": ("交通标志牌被撞歪", "限速标志看不清", "指路牌方向指错"),
    "交通控制箱": ("信号控制箱门开着", "交通控制柜被撞", "控制箱线路外露"),
    "交通护栏": ("道路中间护栏倒了", "隔离栏被撞坏", "护栏缺了一段"),
    "存车支架": ("自行车停车架坏了", "存车架锈蚀断裂", "非机动车停放架缺失"),
    "路名牌": ("路名牌写错了", "路牌倒了", "路名牌字迹模糊"),
    "交通信号灯": ("红绿灯坏了不亮", "信号灯一直黄闪", "红绿灯时间太短过不去"),
    "公共厕所": ("公厕太脏没人打扫", "公共厕所门锁坏了", "公厕没有水冲不了", "公共厕所关门不开放"),
    "公厕化粪池": ("公厕化粪池满溢", "化粪池冒粪水", "化粪池盖板破损臭味大"),
    "公厕指示牌": ("公厕指示牌指错方向", "找不到公厕没有指示牌", "公厕指示牌破损"),
    "垃圾间": ("小区垃圾间门坏了", "垃圾房里臭气熏天", "垃圾间墙面破损"),
    "垃圾箱": ("垃圾桶满了没人倒", "垃圾箱坏了盖子没了", "路边垃圾桶被撞倒"),
    "灯箱霓虹灯": ("霓虹灯闪烁坏了一半", "灯箱破损", "灯箱广告不亮"),
    "广告牌匾": ("广告牌匾褪色破旧", "牌匾歪斜", "店招牌匾掉漆"),
    "古树名木": ("古树被人砍伤", "名木树皮被剥", "古树长虫快枯死了"),
    "行道树": ("行道树倒了压到车", "路边树枝太长挡住路灯", "行道树枯死", "大树歪倒要砸到人"),
    "树池箅子": ("树池箅子缺失绊脚", "树池盖板破损", "树坑没有盖板"),
    "花架花钵": ("花钵被撞碎", "花架倒了", "路边花箱破损"),
    "绿地": ("绿地被踩秃了", "草坪枯死没人补种", "绿地里的草皮坏了"),
    "雕塑": ("广场雕塑被破坏", "雕塑缺胳膊少腿", "城市雕塑掉漆"),
    "街头座椅": ("长椅坏了没法坐", "休闲座椅木板断了", "公园座椅松动"),
    "宣传栏": ("宣传栏玻璃碎了", "公示栏破损", "社区宣传栏内容过期"),
    "人防工事": ("人防工事入口被占", "防空洞积水", "人防设施门锁坏了"),
    "公房地下室": ("公房地下室进水", "地下室有人住", "地下室堆满杂物"),
}
