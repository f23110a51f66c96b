"""Issue 12: sender trust (policy 8) on submissions, the dossier's source trust; a receipt's next retry."""
import functools
from json import dumps, loads

from tortoise import fields, migrations
from tortoise.migrations import operations as ops


class Migration(migrations.Migration):
    dependencies = [("models", "0001_initial")]

    operations = [
        ops.AddField(model_name="Submission", name="sender_trust", field=fields.CharField(null=True, max_length=16)),
        ops.AddField(model_name="Submission", name="sender_auth",
                     field=fields.JSONField(null=True, encoder=functools.partial(dumps, separators=(",", ":")),
                                            decoder=loads)),
        ops.AddField(model_name="Dossier", name="source_trust", field=fields.CharField(null=True, max_length=16)),
        ops.AddField(model_name="Receipt", name="next_attempt_at", field=fields.DatetimeField(null=True)),
    ]
