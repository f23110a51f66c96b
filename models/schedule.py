"""Scheduled runs already done (digest slots, reminders, health alerts): never sent twice."""
from tortoise import fields
from tortoise.models import Model


class ScheduledRun(Model):
    _no_comments = True    # no "#:" field docs: tortoise need not read this class's source
    id = fields.BigIntField(primary_key=True)
    kind = fields.CharField(max_length=32)                       # digest / reminder / health
    slot = fields.CharField(max_length=128)                      # e.g. "2023-03-26T08:30+08:00"
    at = fields.DatetimeField()
    detail = fields.JSONField(null=True)

    class Meta:
        table = "scheduled_run"
        unique_together = (("kind", "slot"),)
