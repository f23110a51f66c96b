"""Typed intake errors (Home Assistant style: connect() raises these, callers decide). A storage failure is
``core.archive.StorageUnavailable``."""


class IntakeError(Exception):
    """Base for intake errors."""


class InvalidAuth(IntakeError):
    """The IMAP server refused the credentials."""


class InvalidFolder(IntakeError):
    """The IMAP folder could not be selected."""


class MailboxGone(IntakeError):
    """The IMAP connection was lost (BYE, reset, timeout)."""
