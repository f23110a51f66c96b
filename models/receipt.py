"""Receipt (收件记录): one message as it arrived in one mailbox; and the IMAP cursor."""
from tortoise import fields
from tortoise.models import Model

from core.vocabulary import ReceiptStatus, Source, TimeSource


class Receipt(Model):
    """Immutable arrival record. ``received_at`` is never changed once written (policy 1)."""
    _no_comments = True    # no "#:" field docs: tortoise need not read this class's source

    id = fields.BigIntField(primary_key=True)
    mailbox = fields.CharField(max_length=32)                    # call mailbox key: mof / mohrss
    source = fields.CharEnumField(Source, max_length=16)
    sha256 = fields.CharField(max_length=64)
    size = fields.BigIntField()
    archive_path = fields.CharField(max_length=255)              # relative to the archive root
    received_at = fields.DatetimeField()                         # UTC, authoritative arrival time
    time_source = fields.CharEnumField(TimeSource, max_length=32)
    imap_account = fields.CharField(max_length=255, null=True)
    imap_folder = fields.CharField(max_length=255, null=True)
    imap_uidvalidity = fields.BigIntField(null=True)             # outside INBOX: folder tag << 32 | UIDVALIDITY
    imap_uid = fields.BigIntField(null=True)
    envelope_from = fields.CharField(max_length=512, null=True)
    peer = fields.CharField(max_length=255, null=True)
    # parsed header summary (filled by the worker; raw bytes stay the evidence)
    message_id = fields.CharField(max_length=998, null=True)
    sender = fields.CharField(max_length=512, null=True)
    subject = fields.TextField(null=True)
    date_header = fields.CharField(max_length=255, null=True)
    date_sent = fields.DatetimeField(null=True)
    received_chain = fields.JSONField(null=True)
    status = fields.CharEnumField(ReceiptStatus, max_length=16, default=ReceiptStatus.RECEIVED)
    error = fields.TextField(null=True)
    attempts = fields.IntField(default=0)
    next_attempt_at = fields.DatetimeField(null=True)             # status retrying: when the worker tries again
    created_at = fields.DatetimeField()                          # when shenbao recorded it (clock)
    processed_at = fields.DatetimeField(null=True)
    submission = fields.ForeignKeyField("models.Submission", related_name="receipts", null=True,
                                        on_delete=fields.RESTRICT)

    class Meta:
        table = "receipt"
        unique_together = (("mailbox", "sha256"), ("mailbox", "imap_uidvalidity", "imap_uid"))
        indexes = (("status", "id"), ("submission_id", "received_at"))    # the worker's queue; a submission's copies

    @property
    def ref(self) -> str:
        return f"R{self.id:06d}"


class MailboxCursor(Model):
    """Last UID fully recorded for ``(account, folder, uidvalidity)``, advanced only after commit."""
    _no_comments = True    # no "#:" field docs: tortoise need not read this class's source

    id = fields.IntField(primary_key=True)
    account = fields.CharField(max_length=255)
    folder = fields.CharField(max_length=255)
    mailbox = fields.CharField(max_length=32)
    uidvalidity = fields.BigIntField()
    last_uid = fields.BigIntField(default=0)
    updated_at = fields.DatetimeField()
    last_ok_at = fields.DatetimeField(null=True)                 # last successful round-trip (health)
    last_error = fields.TextField(null=True)
    messages = fields.BigIntField(null=True)     # messages in the folder with uid <= last_uid, last round (reconciliation)

    class Meta:
        table = "mailbox_cursor"
        unique_together = (("account", "folder"),)
