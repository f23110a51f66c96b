"""The intent models: a character n-gram classifier (scikit-learn TF-IDF + a linear SVM, its decision values turned
into a confidence by a softmax) and BM25 over the paraphrases (``bm25s``), trained once from the understanding
data and cached in the cache directory.

Training needs scikit-learn and bm25s (about 2 s, once per change of the understanding data or the call file:
the cache key is their digest). Answering needs neither: the cache holds the learned weights and bm25s's
precomputed per-term document scores, and ``Model`` applies them in pure Python (the same arithmetic), so a
cold ``shenbao ask`` never imports scikit-learn, scipy, bm25s or even numpy.
"""
from __future__ import annotations

import json
import logging
import math
import os
import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from bot.features import bm25_tokens, char_ngrams

log = logging.getLogger("shenbao.bot.model")
FORMAT = 7
TEMPERATURE = 6.0          # decision values of the linear SVM → softmax confidences


@dataclass
class Scores:
    labels: list[str]
    probs: list[float]          # classifier probability per label (sums to 1)
    bm25: list[float]           # best BM25 score of the label's paraphrases

    def ranked(self) -> list[tuple[str, float]]:
        return sorted(zip(self.labels, self.probs), key=lambda x: -x[1])


class Model:
    """Applies the trained weights in pure Python (``array`` of float32, no numpy): about a thousand
    multiply-adds per message, and nothing heavy to import in a cold process."""

    def __init__(self, labels, vocab, idf, coef, intercept, bm_vocab, bm_data, bm_indices, bm_indptr, doc_label,
                 signatures=None):
        self.labels = list(labels)
        self.signatures: dict[str, str] = dict(signatures or {})
        self.vocab = {t: i for i, t in enumerate(vocab)}
        self.n_features = len(vocab)
        self.idf, self.coef, self.intercept = idf, coef, intercept        # coef: features × classes (one row a feature)
        self.bm_vocab = {t: i for i, t in enumerate(bm_vocab)}
        self.bm_data, self.bm_indices, self.bm_indptr = bm_data, bm_indices, bm_indptr
        self.doc_label = doc_label

    def score(self, canon: str) -> Scores:
        counts = Counter(f for f in char_ngrams(canon) if f in self.vocab)
        k, F = len(self.labels), self.n_features
        feats = [(self.vocab[f], (1.0 + math.log(c)) * self.idf[self.vocab[f]]) for f, c in counts.items()]
        norm = math.sqrt(sum(v * v for _, v in feats)) or 1.0
        coef = self.coef
        acc = [0.0] * k
        for j, v in feats:
            acc = [a + v * b for a, b in zip(acc, coef[j * k:(j + 1) * k])]
        logits = [(a / norm + b) * TEMPERATURE for a, b in zip(acc, self.intercept)]
        top = max(logits)
        e = [math.exp(x - top) for x in logits]
        z = sum(e)
        probs = [x / z for x in e]
        doc_scores: dict[int, float] = {}
        for t in set(bm25_tokens(canon)):
            j = self.bm_vocab.get(t)
            if j is None:
                continue
            for p in range(self.bm_indptr[j], self.bm_indptr[j + 1]):
                d = self.bm_indices[p]
                doc_scores[d] = doc_scores.get(d, 0.0) + self.bm_data[p]
        best = [0.0] * k
        for d, sc in doc_scores.items():
            lab = self.doc_label[d]
            if sc > best[lab]:
                best[lab] = sc
        return Scores(self.labels, probs, best)


_ARRAYS = (("idf", "d"), ("coef", "f"), ("intercept", "d"), ("bm_data", "f"), ("bm_indices", "i"),
           ("bm_indptr", "q"), ("doc_label", "i"))


def _paths(cache_dir: Path, digest: str) -> tuple[Path, Path]:
    stem = Path(cache_dir) / f"nlu-{FORMAT}-{digest}"
    return stem.with_suffix(".bin"), stem.with_suffix(".json")


def train(corpus: list[tuple[str, str]], labels: list[str]):
    """Fit both models on (canonical text, label) pairs; return the arrays ``Model`` needs."""
    import bm25s
    import numpy as np
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.svm import LinearSVC
    from threadpoolctl import threadpool_limits

    texts = [t for t, _ in corpus]
    y = [labels.index(lab) for _, lab in corpus]
    vec = TfidfVectorizer(analyzer=char_ngrams, sublinear_tf=True, min_df=1, norm="l2")
    X = vec.fit_transform(texts)
    clf = LinearSVC(C=1.0)
    with threadpool_limits(1):
        clf.fit(X, y)
    vocab = [None] * len(vec.vocabulary_)
    for t, i in vec.vocabulary_.items():
        vocab[i] = t
    coef = clf.coef_.astype(np.float32)
    intercept = clf.intercept_.astype(np.float32)
    if list(clf.classes_) != list(range(len(labels))):          # every label has paraphrases: keep the order
        raise RuntimeError("a label has no training text")
    retriever = bm25s.BM25(method="lucene", k1=1.2, b=0.75)
    retriever.index([bm25_tokens(t) or ["\ue0ff"] for t in texts], show_progress=False)
    bm_vocab = [None] * len(retriever.vocab_dict)
    for t, i in retriever.vocab_dict.items():
        bm_vocab[i] = t
    s = retriever.scores
    from array import array

    return dict(labels=labels, vocab=vocab, signatures=signatures(corpus), idf=array("d", vec.idf_.astype(np.float64).tolist()),
                coef=array("f", coef.T.ravel().tolist()), intercept=array("d", intercept.astype(np.float64).tolist()),
                bm_vocab=bm_vocab, bm_data=array("f", np.asarray(s["data"], dtype=np.float32).tolist()),
                bm_indices=array("i", np.asarray(s["indices"]).astype(np.int64).tolist()),
                bm_indptr=array("q", np.asarray(s["indptr"]).astype(np.int64).tolist()),
                doc_label=array("i", y))


def signatures(corpus: list[tuple[str, str]]) -> dict[str, str]:
    """Character bigrams that only one intent's paraphrases use, at least twice ("债务" → R25, "衔接" → R23):
    a question naming one is pulled towards that intent, whatever longer words it shares with others."""
    seen: dict[str, Counter] = {}
    for text, lab in corpus:
        for bg in {text[i:i + 2] for i in range(len(text) - 1)}:
            if all("\u4e00" <= ch <= "\u9fff" for ch in bg):
                seen.setdefault(bg, Counter())[lab] += 1
    return {bg: next(iter(labs)) for bg, labs in seen.items() if len(labs) == 1 and sum(labs.values()) >= 2}


def _save(parts: dict, binf: Path, meta: Path) -> None:
    binf.parent.mkdir(parents=True, exist_ok=True)
    sizes = {}
    tmp = binf.with_name(f".{binf.name}.{os.getpid()}.tmp")
    with open(tmp, "wb") as f:
        for name, _ in _ARRAYS:
            parts[name].tofile(f)
            sizes[name] = len(parts[name])
    os.replace(tmp, binf)
    tmpj = meta.with_name(f".{meta.name}.{os.getpid()}.tmp")
    tmpj.write_text(json.dumps({"labels": parts["labels"], "vocab": "\n".join(parts["vocab"]),
                                "bm_vocab": "\n".join(parts["bm_vocab"]), "sizes": sizes,
                                "signatures": parts["signatures"]}, ensure_ascii=False),
                    encoding="utf-8")
    os.replace(tmpj, meta)


def _load(binf: Path, meta: Path) -> Model:
    from array import array

    m = json.loads(meta.read_text(encoding="utf-8"))
    arrays = {}
    with open(binf, "rb") as f:
        for name, code in _ARRAYS:
            a = array(code)
            a.fromfile(f, m["sizes"][name])
            arrays[name] = a
    return Model(m["labels"], m["vocab"].split("\n"), arrays["idf"], arrays["coef"], arrays["intercept"],
                 m["bm_vocab"].split("\n"), arrays["bm_data"], arrays["bm_indices"], arrays["bm_indptr"],
                 arrays["doc_label"], m.get("signatures"))


_LOADED: dict[str, Model] = {}


def load_or_train(cache_dir: Path | None, digest: str, make_corpus: Callable[[], tuple[list, list]]) -> Model:
    """The model for ``digest``: already in this process, else from the cache dir, else trained now (and written
    to the cache dir when there is one). Training happens at most once per process and digest."""
    if digest in _LOADED:
        return _LOADED[digest]
    _LOADED[digest] = m = _load_or_train(cache_dir, digest, make_corpus)
    return m


def _load_or_train(cache_dir: Path | None, digest: str, make_corpus) -> Model:
    if cache_dir is not None:
        npz, meta = _paths(cache_dir, digest)
        if npz.is_file() and meta.is_file():
            try:
                return _load(npz, meta)
            except (OSError, ValueError, KeyError) as exc:
                log.warning("chat model cache %s unreadable (%s): training again", npz, exc)
    t = time.perf_counter()
    corpus, labels = make_corpus()
    parts = train(corpus, labels)
    log.info("chat models trained on %d texts, %d intents in %.1f s", len(corpus), len(labels),
             time.perf_counter() - t)
    if cache_dir is not None:
        try:
            _save(parts, *_paths(cache_dir, digest))
        except OSError as exc:
            log.warning("chat model cache not written to %s: %s", cache_dir, exc)
    return Model(parts["labels"], parts["vocab"], parts["idf"], parts["coef"], parts["intercept"],
                 parts["bm_vocab"], parts["bm_data"], parts["bm_indices"], parts["bm_indptr"], parts["doc_label"],
                 parts["signatures"])
