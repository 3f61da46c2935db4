"""Chinese word segmentation shared by every app that matches text (the catalogue search, the
grid-event router, similar events): one jieba tokenizer per process, loaded on first use."""

from __future__ import annotations

import logging
import warnings

_jieba = None


def jieba_tokenizer():
    """jieba's default tokenizer. Its dictionary ships in the package, so nothing is fetched; the
    first call builds the prefix dictionary (about 1 s, cached in the temp dir)."""
    global _jieba
    if _jieba is None:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", SyntaxWarning)  # jieba 0.42's regexes, on first compile
            import jieba
        jieba.setLogLevel(logging.WARNING)
        _jieba = jieba.dt
    return _jieba
