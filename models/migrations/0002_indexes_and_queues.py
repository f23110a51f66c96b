from tortoise import migrations
from tortoise.migrations import operations as ops
from tortoise import fields
from tortoise.indexes import Index

# Secondary indexes for every queue and join (the issue-16 growth benchmark: no whole-table scans per
# arrival or per question), and the background OCR queue as indexed columns instead of a JSON scan.

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
    dependencies = [('models', '0001_initial')]

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
        ops.RunPython(backfill_ocr_queue, ops.RunPython.noop),
    ]
