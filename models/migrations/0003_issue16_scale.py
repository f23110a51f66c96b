"""Issue 16 (cost that does not grow with the mailbox), one migration for the landing:

- secondary indexes for every queue and join (no whole-table scans per arrival or per question);
- the background OCR queue as indexed columns (document.ocr_status, ocr_rank) instead of a JSON scan,
  backfilled from analysis->ocr->status;
- finding.call_id: a province's dossier findings of one call never replace those of another;
- per-province kept state on the dossier row (the register row and its summary columns), written in the
  transaction of every change. Rows written before this migration have no state: the register computes them
  from the tables until `shenbao migrate` / the intake's start store it (`rebuild-state` repairs);
- submission.unrelated keeps mail no province claims and no filing feature out of the unidentified queue.
"""
import functools
from json import dumps, loads

from tortoise import fields, migrations
from tortoise.indexes import Index
from tortoise.migrations import operations as ops

_RANK = ("CASE COALESCE(kind, 'other') WHEN 'cover_letter' THEN 0 WHEN 'budget' THEN 1 WHEN 'plan' THEN 2 "
         "WHEN 'performance_targets' THEN 3 WHEN 'other' THEN 4 ELSE 5 END")


async def backfill_ocr_queue(apps, schema_editor) -> None:
    """ocr_status from analysis->ocr->status (JSON text on SQLite, jsonb on PostgreSQL), ocr_rank from kind."""
    client = schema_editor.client
    if client.capabilities.dialect == "postgres":
        status = "analysis->'ocr'->>'status'"
    else:
        status = "json_extract(analysis, '$.ocr.status')"
    await client.execute_script(f"UPDATE document SET ocr_status = {status}, ocr_rank = {_RANK} "
                                "WHERE analysis IS NOT NULL")


class Migration(migrations.Migration):
    dependencies = [("models", "0002_issue12_record")]

    initial = False

    operations = [
        ops.AddField(
            model_name='Document',
            name='ocr_rank',
            field=fields.SmallIntField(default=5, db_default=5),
        ),
        ops.AddField(
            model_name='Document',
            name='ocr_status',
            field=fields.CharField(null=True, max_length=16),
        ),
        ops.AddIndex(
            model_name='Document',
            index=Index(fields=['submission_id', 'id']),
        ),
        ops.AddIndex(
            model_name='Document',
            index=Index(fields=['ocr_status', 'ocr_rank', 'id']),
        ),
        ops.AddField(
            model_name='Finding',
            name='call_id',
            field=fields.CharField(null=True, max_length=32),
        ),
        ops.AddIndex(
            model_name='Finding',
            index=Index(fields=['submission_id', 'scope']),
        ),
        ops.AddIndex(
            model_name='Finding',
            index=Index(fields=['document_id']),
        ),
        ops.AddIndex(
            model_name='Finding',
            index=Index(fields=['receipt_id']),
        ),
        ops.AddIndex(
            model_name='Finding',
            index=Index(fields=['scope', 'province', 'call_id']),
        ),
        ops.AddIndex(
            model_name='OutboxMessage',
            index=Index(fields=['status', 'id']),
        ),
        ops.AddIndex(
            model_name='Receipt',
            index=Index(fields=['status', 'id']),
        ),
        ops.AddIndex(
            model_name='Receipt',
            index=Index(fields=['submission_id', 'received_at']),
        ),
        ops.AddIndex(
            model_name='Submission',
            index=Index(fields=['call_id', 'province', 'first_received_at']),
        ),
        ops.AddIndex(
            model_name='Submission',
            index=Index(fields=['call_id', 'first_received_at']),
        ),
        ops.AddField(
            model_name='Dossier',
            name='first_on_time',
            field=fields.JSONField(null=True, encoder=functools.partial(dumps, separators=(',', ':')), decoder=loads),
        ),
        ops.AddField(
            model_name='Dossier',
            name='n_documents',
            field=fields.IntField(default=0, db_default=0),
        ),
        ops.AddField(
            model_name='Dossier',
            name='n_errors',
            field=fields.IntField(default=0, db_default=0),
        ),
        ops.AddField(
            model_name='Dossier',
            name='n_findings',
            field=fields.IntField(default=0, db_default=0),
        ),
        ops.AddField(
            model_name='Dossier',
            name='n_late',
            field=fields.IntField(default=0, db_default=0),
        ),
        ops.AddField(
            model_name='Dossier',
            name='n_on_time',
            field=fields.IntField(default=0, db_default=0),
        ),
        ops.AddField(
            model_name='Dossier',
            name='n_submissions',
            field=fields.IntField(default=0, db_default=0),
        ),
        ops.AddField(
            model_name='Dossier',
            name='pages_total',
            field=fields.IntField(null=True),
        ),
        ops.AddField(
            model_name='Dossier',
            name='state',
            field=fields.JSONField(null=True, encoder=functools.partial(dumps, separators=(',', ':')), decoder=loads),
        ),
        ops.AddField(
            model_name='Dossier',
            name='state_shape',
            field=fields.CharField(null=True, max_length=16),
        ),
        ops.AddField(
            model_name='Dossier',
            name='state_version',
            field=fields.IntField(default=0, db_default=0),
        ),
        ops.AddField(
            model_name='Submission',
            name='unrelated',
            field=fields.BooleanField(default=False, db_default=False),
        ),
        ops.AddIndex(
            model_name='Submission',
            index=Index(fields=['call_id', 'unrelated', 'province', 'first_received_at']),
        ),
        ops.RunPython(backfill_ocr_queue, ops.RunPython.noop),
    ]
