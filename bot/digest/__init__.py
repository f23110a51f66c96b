"""The intake digest: data from the register at one instant (``data``), text/chat (``text``), HTML (``html``),
the Excel register (``xlsx``), and queueing one digest as a recorded run (``job``: ``collect_digest``,
``queue_digest``, ``render_all``). Only ``data`` is imported here, so ``bot.health`` can import it first."""
from bot.digest.data import DigestData, build_digest

__all__ = ["DigestData", "build_digest"]
