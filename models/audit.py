"""Append-only, hash-chained audit log of officer and system actions."""
from tortoise import fields
from tortoise.models import Model


class AuditEntry(Model):
    _no_comments = True    # no "#:" field docs: tortoise need not read this class's source
    id = fields.BigIntField(primary_key=True)
    at = fields.DatetimeField()
    actor = fields.CharField(max_length=128)                     # "system", "officer:tg:123", "cli:root"
    action = fields.CharField(max_length=64)
    target = fields.CharField(max_length=255, null=True)
    detail = fields.JSONField(null=True)
    prev_hash = fields.CharField(max_length=64, unique=True)    # unique: two writers cannot fork the chain
    hash = fields.CharField(max_length=64, unique=True)
    sig = fields.CharField(max_length=128, null=True)            # Ed25519 over ``hash`` (core.signing)

    class Meta:
        table = "audit_entry"


class AuditWitness(Model):
    """A chain tip (entry count, newest hash) that left the database: printed in a sent digest. A copy of the
    line also goes to ``<data>/audit-tips.jsonl``; ``audit verify`` checks the chain against both."""
    _no_comments = True    # no "#:" field docs: tortoise need not read this class's source

    id = fields.BigIntField(primary_key=True)
    at = fields.DatetimeField()
    entries = fields.BigIntField()
    hash = fields.CharField(max_length=64)
    via = fields.CharField(max_length=255)

    class Meta:
        table = "audit_witness"
