"""Dossier (申报材料): per province and call, status and officer-set facts."""
from tortoise import fields
from tortoise.models import Model

from core.vocabulary import ProvinceStatus


class Dossier(Model):
    _no_comments = True    # no "#:" field docs: tortoise need not read this class's source
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
    source_trust = fields.CharField(max_length=16, null=True)    # trust of the submissions the dossier is built from
    updated_at = fields.DatetimeField()
    # Kept state: what the register shows for this province, written in the transaction of every change
    # (core.province_state); register, digest, chat and the web desk read it instead of rebuilding.
    state = fields.JSONField(null=True)                          # the register row (core.register.ProvinceRow)
    state_shape = fields.CharField(max_length=16, null=True)     # shape of the row's code; another means stale
    state_version = fields.IntField(default=0, db_default=0)     # +1 per change
    first_on_time = fields.JSONField(null=True)                  # mailbox -> first on-time arrival (UTC ISO)
    n_submissions = fields.IntField(default=0, db_default=0)
    n_on_time = fields.IntField(default=0, db_default=0)
    n_late = fields.IntField(default=0, db_default=0)
    n_documents = fields.IntField(default=0, db_default=0)       # current documents
    pages_total = fields.IntField(null=True)
    n_findings = fields.IntField(default=0, db_default=0)        # open findings shown in the row
    n_errors = fields.IntField(default=0, db_default=0)          # of which severity error

    class Meta:
        table = "dossier"
        unique_together = (("call_id", "province"),)


class KnownSender(Model):
    """A sender address an officer confirmed for a province (adds to the call's registry)."""
    _no_comments = True    # no "#:" field docs: tortoise need not read this class's source

    id = fields.IntField(primary_key=True)
    address = fields.CharField(max_length=512, unique=True)
    province = fields.CharField(max_length=32)
    confirmed_by = fields.CharField(max_length=128)
    created_at = fields.DatetimeField()

    class Meta:
        table = "known_sender"
