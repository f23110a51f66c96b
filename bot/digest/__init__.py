"""The intake digest: data from the register at one instant (``data``), text/chat (``text``), HTML (``html``),
the Excel register (``xlsx``), and queueing one digest as a recorded run (``job``)."""
from bot.digest.data import DigestData, build_digest
from bot.digest.job import collect_digest, queue_digest, render_all

__all__ = ["DigestData", "build_digest", "collect_digest", "queue_digest", "render_all"]
