"""Append-only, hash-chained audit log of officer and system actions."""
from tortoise import fields
from tortoise.models import Model


class AuditEntry(Model):
    id = fields.BigIntField(primary_key=True)
    at = fields.DatetimeField()
    actor = fields.CharField(max_length=128)                     # "system", "officer:tg:123", "cli:root"
    action = fields.CharField(max_length=64)
    target = fields.CharField(max_length=255, null=True)
    detail = fields.JSONField(null=True)
    prev_hash = fields.CharField(max_length=64, unique=True)    # unique: two writers cannot fork the chain
    hash = fields.CharField(max_length=64, unique=True)

    class Meta:
        table = "audit_entry"
