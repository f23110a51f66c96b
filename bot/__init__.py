"""The chatbot: one conversation engine (intents → answers → render) and thin adapters (Telegram, WeCom, terminal)."""
