"""The intent models: a character n-gram classifier (scikit-learn TF-IDF + a linear SVM, its decision values turned
into a confidence by a softmax) and BM25 over the paraphrases (``bm25s``), trained once from the understanding
data and cached in the cache directory.

Training needs scikit-learn and bm25s (about 2 s, once per change of the understanding data or the call file:
the cache key is their digest). Answering needs only numpy: the cache holds the learned weights and bm25s's
precomputed per-term document scores, and ``Model`` applies them (the same arithmetic the libraries do), so a
cold ``shenbao ask`` never imports scikit-learn, scipy or bm25s.
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
FORMAT = 4
TEMPERATURE = 6.0          # decision values of the linear SVM → softmax confidences


@dataclass
class Scores:
    labels: list[str]
    probs: list[float]          # classifier probability per label (sums to 1)
    bm25: list[float]           # best BM25 score of the label's paraphrases

    def ranked(self) -> list[tuple[str, float]]:
        return sorted(zip(self.labels, self.probs), key=lambda x: -x[1])


class Model:
    def __init__(self, labels, vocab, idf, coef, intercept, bm_vocab, bm_data, bm_indices, bm_indptr, doc_label):
        import numpy as np

        self.np = np
        self.labels = list(labels)
        self.vocab = {t: i for i, t in enumerate(vocab)}
        self.idf, self.coef, self.intercept = idf, coef, intercept
        self.bm_vocab = {t: i for i, t in enumerate(bm_vocab)}
        self.bm_data, self.bm_indices, self.bm_indptr = bm_data, bm_indices, bm_indptr
        self.doc_label = doc_label

    def score(self, canon: str) -> Scores:
        np = self.np
        counts = Counter(f for f in char_ngrams(canon) if f in self.vocab)
        if counts:
            idx = np.fromiter((self.vocab[f] for f in counts), dtype=np.int64, count=len(counts))
            tf = np.fromiter((1.0 + math.log(c) for c in counts.values()), dtype=np.float64, count=len(counts))
            x = tf * self.idf[idx]
            x /= np.linalg.norm(x) or 1.0
            logits = (self.coef[:, idx] @ x + self.intercept) * TEMPERATURE
        else:
            logits = self.intercept.astype(np.float64) * TEMPERATURE
        e = np.exp(logits - logits.max())
        probs = e / e.sum()
        doc_scores = np.zeros(len(self.doc_label), dtype=np.float64)
        for t in set(bm25_tokens(canon)):
            j = self.bm_vocab.get(t)
            if j is None:
                continue
            a, b = self.bm_indptr[j], self.bm_indptr[j + 1]
            doc_scores[self.bm_indices[a:b]] += self.bm_data[a:b]
        best = np.zeros(len(self.labels), dtype=np.float64)
        np.maximum.at(best, self.doc_label, doc_scores)
        return Scores(self.labels, probs.tolist(), best.tolist())


def _paths(cache_dir: Path, digest: str) -> tuple[Path, Path]:
    stem = Path(cache_dir) / f"nlu-{FORMAT}-{digest}"
    return stem.with_suffix(".npz"), stem.with_suffix(".json")


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
    return dict(labels=labels, vocab=vocab, idf=vec.idf_.astype(np.float64), coef=coef, intercept=intercept,
                bm_vocab=bm_vocab, bm_data=np.asarray(s["data"], dtype=np.float32),
                bm_indices=np.asarray(s["indices"], dtype=np.int32), bm_indptr=np.asarray(s["indptr"], dtype=np.int64),
                doc_label=np.asarray(y, dtype=np.int32))


def _save(parts: dict, npz: Path, meta: Path) -> None:
    import numpy as np

    npz.parent.mkdir(parents=True, exist_ok=True)
    tmp = npz.with_name(f".{npz.name}.{os.getpid()}.tmp.npz")
    np.savez(tmp, **{k: parts[k] for k in ("idf", "coef", "intercept", "bm_data", "bm_indices", "bm_indptr",
                                            "doc_label")})
    os.replace(tmp, npz)
    tmpj = meta.with_name(f".{meta.name}.{os.getpid()}.tmp")
    tmpj.write_text(json.dumps({"labels": parts["labels"], "vocab": "\n".join(parts["vocab"]),
                                "bm_vocab": "\n".join(parts["bm_vocab"])}, ensure_ascii=False), encoding="utf-8")
    os.replace(tmpj, meta)


def _load(npz: Path, meta: Path) -> Model:
    import numpy as np

    m = json.loads(meta.read_text(encoding="utf-8"))
    with np.load(npz) as z:
        arrays = {k: z[k] for k in z.files}
    return Model(m["labels"], m["vocab"].split("\n"), arrays["idf"], arrays["coef"], arrays["intercept"],
                 m["bm_vocab"].split("\n"), arrays["bm_data"], arrays["bm_indices"], arrays["bm_indptr"],
                 arrays["doc_label"])


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
                 parts["bm_vocab"], parts["bm_data"], parts["bm_indices"], parts["bm_indptr"], parts["doc_label"])
