"""Issue 12: sender trust (policy 8) on submissions, the dossier's source trust; a receipt's next retry;
signed audit entries and witnessed chain tips; the folder's message count on its cursor."""
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
        ops.AddField(model_name="AuditEntry", name="sig", field=fields.CharField(null=True, max_length=128)),
        ops.AddField(model_name="MailboxCursor", name="messages", field=fields.BigIntField(null=True)),
        ops.CreateModel(
            name="AuditWitness",
            fields=[
                ("id", fields.BigIntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ("at", fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ("entries", fields.BigIntField()),
                ("hash", fields.CharField(max_length=64)),
                ("via", fields.CharField(max_length=255)),
            ],
            options={"table": "audit_witness", "app": "models", "pk_attr": "id"},
            bases=["Model"],
        ),
    ]
