"""Shared by the atheris targets: repo on sys.path, seed corpora generated on the fly, the runner."""
from __future__ import annotations

import os
import sys

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
if REPO not in sys.path:
    sys.path.insert(0, REPO)


def run(test_one_input, seeds_fn) -> None:
    """``python fuzz/fuzz_X.py [libFuzzer flags] [CORPUS_DIR]``: seeds are written into CORPUS_DIR if empty."""
    import atheris

    corpus = [a for a in sys.argv[1:] if not a.startswith("-")]
    for d in corpus[:1]:
        if os.path.isfile(d):                  # a crash file to replay once
            break
        os.makedirs(d, exist_ok=True)
        if not os.listdir(d):
            for i, blob in enumerate(seeds_fn()):
                with open(os.path.join(d, f"seed-{i:03d}"), "wb") as f:
                    f.write(blob)
    atheris.Setup(sys.argv, test_one_input)
    atheris.Fuzz()
