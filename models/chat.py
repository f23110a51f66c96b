"""Chat identities: who is bound to which province, one-time binding codes, seen inbound message ids."""
from tortoise import fields
from tortoise.models import Model


class ChatBinding(Model):
    """A chat user (``channel`` + ``user_id``) bound to one province as its contact."""
    _no_comments = True    # no "#:" field docs: tortoise need not read this class's source

    id = fields.IntField(primary_key=True)
    channel = fields.CharField(max_length=16)                    # telegram / wecom / terminal
    user_id = fields.CharField(max_length=128)
    chat_id = fields.CharField(max_length=128, null=True)        # where to send reminders
    province = fields.CharField(max_length=32)
    bound_at = fields.DatetimeField()
    revoked_at = fields.DatetimeField(null=True)

    class Meta:
        table = "chat_binding"
        unique_together = (("channel", "user_id"),)


class BindingCode(Model):
    """One-time code an officer issues for a province, stored as a hash, expiring, single use."""
    _no_comments = True    # no "#:" field docs: tortoise need not read this class's source

    id = fields.IntField(primary_key=True)
    code_hash = fields.CharField(max_length=64, unique=True)
    province = fields.CharField(max_length=32)
    issued_by = fields.CharField(max_length=128)
    issued_at = fields.DatetimeField()
    expires_at = fields.DatetimeField()
    used_at = fields.DatetimeField(null=True)
    used_by = fields.CharField(max_length=160, null=True)

    class Meta:
        table = "binding_code"


class ChatAttempt(Model):
    """Failed binding attempts per chat user, for rate limiting guesses."""
    _no_comments = True    # no "#:" field docs: tortoise need not read this class's source

    id = fields.BigIntField(primary_key=True)
    channel = fields.CharField(max_length=16)
    user_id = fields.CharField(max_length=128)
    at = fields.DatetimeField()

    class Meta:
        table = "chat_attempt"


class InboundMessage(Model):
    """Inbound chat message ids already answered (WeCom retries the same MsgId)."""
    _no_comments = True    # no "#:" field docs: tortoise need not read this class's source

    id = fields.BigIntField(primary_key=True)
    channel = fields.CharField(max_length=16)
    message_id = fields.CharField(max_length=128)
    at = fields.DatetimeField()
    reply = fields.TextField(null=True)

    class Meta:
        table = "inbound_message"
        unique_together = (("channel", "message_id"),)
