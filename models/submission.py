"""Submission (报送): one e-mail as a province sent it, seen in one or both mailboxes; its documents."""
from tortoise import fields
from tortoise.models import Model

# Background OCR order by kind (the policy is ``precheck.reading.ocr_plan.ORDER``; a test keeps them equal): the
# cover letter names the province and carries the seal; then the tables. ``ocr_rank`` = 2 x kind + (0 when the
# document is already started, else 1), so the index (ocr_status, ocr_rank, id) gives the queue in order.
OCR_RANK = {"cover_letter": 0, "budget": 1, "performance_targets": 2, "plan": 3, "other": 4, "evidence": 5,
            "prior_report": 6}
OCR_KIND_DEFAULT = 7
OCR_RANK_DEFAULT = 2 * OCR_KIND_DEFAULT + 1


def ocr_rank(kind: str | None, started: bool) -> int:
    return 2 * OCR_RANK.get(kind or "other", OCR_KIND_DEFAULT) + (0 if started else 1)


class Submission(Model):
    _no_comments = True    # no "#:" field docs: tortoise need not read this class's source
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
    # no province claims it and nothing in it looks like a filing (no attachment, link or call keyword):
    # recorded, searchable and counted, but not in the unidentified queue nor in any per-call working set
    unrelated = fields.BooleanField(default=False, db_default=False)
    created_at = fields.DatetimeField()
    updated_at = fields.DatetimeField()

    class Meta:
        table = "submission"
        indexes = (("call_id", "province", "first_received_at"), ("call_id", "first_received_at"),
                   ("call_id", "unrelated", "province", "first_received_at"))

    @property
    def ref(self) -> str:
        return f"S{self.id:06d}"


class Document(Model):
    """One file of a submission: a MIME attachment, or a member of an archive (``parent``)."""
    _no_comments = True    # no "#:" field docs: tortoise need not read this class's source

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
    # the background OCR queue, kept in step with analysis["ocr"]["status"] and kind (sync_ocr_queue)
    ocr_status = fields.CharField(max_length=16, null=True)      # pending / done / failed / not_needed
    # queue order (ocr_rank()); every write sets it (sync_ocr_queue), the column default (0003) only serves raw SQL
    ocr_rank = fields.SmallIntField(default=5, db_default=5)
    created_at = fields.DatetimeField()

    class Meta:
        table = "document"           # no uniqueness: an archive may hold the same file twice under one name
        indexes = (("submission_id", "id"), ("ocr_status", "ocr_rank", "id"))

    def sync_ocr_queue(self) -> None:
        """Derive the queue columns from the analysis and kind (``save`` does it; bulk writes must call it)."""
        ocr = (self.analysis or {}).get("ocr") or {}
        self.ocr_status = ocr.get("status")
        self.ocr_rank = ocr_rank(self.kind, bool(ocr.get("done")))

    async def save(self, *args, **kwargs) -> None:
        self.sync_ocr_queue()
        fields_ = kwargs.get("update_fields")
        if fields_ is not None and {"analysis", "kind"} & set(fields_):
            kwargs["update_fields"] = [*fields_, "ocr_status", "ocr_rank"]
        await super().save(*args, **kwargs)
