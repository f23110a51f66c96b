"""Typed intake errors (Home Assistant style: connect() raises these, callers decide)."""


class IntakeError(Exception):
    """Base for intake errors."""


class StorageUnavailable(IntakeError):
    """The archive or database could not make a receipt durable; the sender must retry (SMTP 451)."""


class InvalidAuth(IntakeError):
    """The IMAP server refused the credentials."""


class InvalidFolder(IntakeError):
    """The IMAP folder could not be selected."""


class MailboxGone(IntakeError):
    """The IMAP connection was lost (BYE, reset, timeout)."""
