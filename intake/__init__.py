"""The intake half of shenbao: mailboxes in, durable receipts, processing into submissions and dossiers."""
