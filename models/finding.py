"""Finding: one check's result on a dossier, submission, document or receipt (codes in DESIGN.md)."""
from tortoise import fields
from tortoise.models import Model

from core.vocabulary import Severity


class Finding(Model):
    _no_comments = True    # no "#:" field docs: tortoise need not read this class's source
    id = fields.BigIntField(primary_key=True)
    code = fields.CharField(max_length=64)
    severity = fields.CharEnumField(Severity, max_length=16)
    message = fields.TextField()                                 # Chinese, for people
    figures = fields.JSONField(null=True)
    clause = fields.TextField(null=True)                         # the notice's words it rests on
    section = fields.CharField(max_length=32, null=True)         # e.g. 二（三）
    scope = fields.CharField(max_length=16)                      # receipt / submission / document / dossier
    province = fields.CharField(max_length=32, null=True)
    call_id = fields.CharField(max_length=32, null=True)         # the call a dossier finding belongs to
    receipt = fields.ForeignKeyField("models.Receipt", related_name="findings", null=True, on_delete=fields.RESTRICT)
    submission = fields.ForeignKeyField("models.Submission", related_name="findings", null=True,
                                        on_delete=fields.RESTRICT)
    document = fields.ForeignKeyField("models.Document", related_name="findings", null=True,
                                      on_delete=fields.RESTRICT)
    created_at = fields.DatetimeField()

    class Meta:
        table = "finding"
        indexes = (("submission_id", "scope"), ("document_id",), ("receipt_id",), ("scope", "province", "call_id"))
