"""The OCR queue's order in its index: ``document.ocr_rank`` becomes 2 x kind rank + (0 started / 1 fresh), with the
kind ranks of ``precheck.reading.ocr_plan.ORDER`` (targets tables before plans; evidence and prior reports ranked),
so the queue is read with one indexed query per on-time class instead of loading every waiting scan to sort it."""
from tortoise import migrations
from tortoise.migrations import operations as ops

_KIND = ("CASE COALESCE(kind, 'other') WHEN 'cover_letter' THEN 0 WHEN 'budget' THEN 1 "
         "WHEN 'performance_targets' THEN 2 WHEN 'plan' THEN 3 WHEN 'other' THEN 4 WHEN 'evidence' THEN 5 "
         "WHEN 'prior_report' THEN 6 ELSE 7 END")


async def recompute_ocr_rank(apps, schema_editor) -> None:
    client = schema_editor.client
    if client.capabilities.dialect == "postgres":
        started = ("CASE WHEN jsonb_typeof(analysis::jsonb->'ocr'->'done') = 'array' "
                   "AND jsonb_array_length(analysis::jsonb->'ocr'->'done') > 0 THEN 0 ELSE 1 END")
    else:
        started = ("CASE WHEN json_type(analysis, '$.ocr.done') = 'array' "
                   "AND json_array_length(analysis, '$.ocr.done') > 0 THEN 0 ELSE 1 END")
    await client.execute_script(f"UPDATE document SET ocr_rank = 2 * ({_KIND}) + "
                                f"(CASE WHEN analysis IS NULL THEN 1 ELSE {started} END)")


class Migration(migrations.Migration):
    dependencies = [("models", "0004_dossier_corrections")]

    operations = [ops.RunPython(recompute_ocr_rank, ops.RunPython.noop)]
