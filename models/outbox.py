"""Outbox: every outgoing message (mail or chat), sent at least once, deduplicated by key."""
from tortoise import fields
from tortoise.models import Model

from core.vocabulary import OutboxStatus


class OutboxMessage(Model):
    _no_comments = True    # no "#:" field docs: tortoise need not read this class's source
    id = fields.BigIntField(primary_key=True)
    key = fields.CharField(max_length=255, unique=True)
    channel = fields.CharField(max_length=16)                    # email / telegram / wecom / log
    recipient = fields.CharField(max_length=512)
    subject = fields.TextField(null=True)
    body = fields.TextField()
    payload = fields.JSONField(null=True)
    status = fields.CharEnumField(OutboxStatus, max_length=16, default=OutboxStatus.PENDING)
    attempts = fields.IntField(default=0)
    next_attempt_at = fields.DatetimeField()
    last_error = fields.TextField(null=True)
    created_at = fields.DatetimeField()
    sent_at = fields.DatetimeField(null=True)

    class Meta:
        table = "outbox_message"
        indexes = (("status", "id"),)                             # the drain's queue
