"""Dossier (申报材料): per province and call, status and officer-set facts."""
from tortoise import fields
from tortoise.models import Model

from core.vocabulary import ProvinceStatus


class Dossier(Model):
    id = fields.IntField(primary_key=True)
    call_id = fields.CharField(max_length=32)
    province = fields.CharField(max_length=32)
    status = fields.CharEnumField(ProvinceStatus, max_length=16, default=ProvinceStatus.NOT_FILED)
    cities = fields.JSONField(null=True)                         # cities applied for (read or officer-set)
    cities_source = fields.CharField(max_length=16, null=True)
    corrections = fields.JSONField(null=True)                    # officer-set facts: {"subsidy": {...}, "period": {...}}
    paper_copy_date = fields.DateField(null=True)
    paper_copy_tracking = fields.CharField(max_length=128, null=True)
    override_status = fields.CharField(max_length=16, null=True)
    override_reason = fields.TextField(null=True)
    updated_at = fields.DatetimeField()

    class Meta:
        table = "dossier"
        unique_together = (("call_id", "province"),)


class KnownSender(Model):
    """A sender address an officer confirmed for a province (adds to the call's registry)."""

    id = fields.IntField(primary_key=True)
    address = fields.CharField(max_length=512, unique=True)
    province = fields.CharField(max_length=32)
    confirmed_by = fields.CharField(max_length=128)
    created_at = fields.DatetimeField()

    class Meta:
        table = "known_sender"
