"""Submission (报送): one e-mail as a province sent it, seen in one or both mailboxes; its documents."""
from tortoise import fields
from tortoise.models import Model


class Submission(Model):
    id = fields.BigIntField(primary_key=True)
    call_id = fields.CharField(max_length=32)
    group_key = fields.CharField(max_length=255, unique=True)    # "mid:<Message-ID>" or "fp:<sender>:<hashes>"
    message_id = fields.CharField(max_length=998, null=True)
    sender = fields.CharField(max_length=512, null=True)
    subject = fields.TextField(null=True)
    province = fields.CharField(max_length=32, null=True)        # None: waits in the unidentified queue
    attribution = fields.JSONField(null=True)                    # {"method": ..., "evidence": ...}
    sender_trust = fields.CharField(max_length=16, null=True)     # core.vocabulary.SenderTrust (policy 8)
    sender_auth = fields.JSONField(null=True)                    # precheck.sender_auth.SenderAuth.as_json() (+ suspect)
    first_received_at = fields.DatetimeField()
    on_time = fields.BooleanField()
    date_sent = fields.DatetimeField(null=True)
    created_at = fields.DatetimeField()
    updated_at = fields.DatetimeField()

    class Meta:
        table = "submission"

    @property
    def ref(self) -> str:
        return f"S{self.id:06d}"


class Document(Model):
    """One file of a submission: a MIME attachment, or a member of an archive (``parent``)."""

    id = fields.BigIntField(primary_key=True)
    submission = fields.ForeignKeyField("models.Submission", related_name="documents", on_delete=fields.RESTRICT)
    parent = fields.ForeignKeyField("models.Document", related_name="children", null=True, on_delete=fields.RESTRICT)
    filename = fields.CharField(max_length=512)
    content_type = fields.CharField(max_length=255, null=True)
    sha256 = fields.CharField(max_length=64)
    size = fields.BigIntField()
    archive_path = fields.CharField(max_length=255)
    kind = fields.CharField(max_length=32, null=True)
    kind_source = fields.CharField(max_length=32, null=True)     # filename / title / content / officer
    kind_confidence = fields.FloatField(null=True)
    kind_evidence = fields.JSONField(null=True)
    pages = fields.IntField(null=True)                           # A4 single-sided equivalents
    page_detail = fields.JSONField(null=True)
    analysis = fields.JSONField(null=True)                       # results of the checks' file analysis
    created_at = fields.DatetimeField()

    class Meta:
        table = "document"           # no uniqueness: an archive may hold the same file twice under one name
