"""The officers' read-only web desk (aiohttp + Jinja2, in the bot process): register, provinces, the
unidentified queue, a printable A4 register, the status chart; plus /healthz and /metrics for watchers."""
