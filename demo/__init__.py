"""``shenbao demo``: the real intake on embedded defaults, fed the bundled sample filings over SMTP/IMAP."""
