"""Issue 12: sender trust (policy 8) on submissions, the dossier's source trust; a receipt's next retry;
signed audit entries and witnessed chain tips; the folder's message count on its cursor."""
import functools
from json import dumps, loads

from tortoise import fields, migrations

from core.vocabulary import ReceiptStatus
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
        ops.AlterField(model_name="Receipt", name="status",       # the new status `retrying` (worker backoff)
                       field=fields.CharEnumField(default=ReceiptStatus.RECEIVED, enum_type=ReceiptStatus, max_length=16,
                                                  description="RECEIVED: received\nPROCESSED: processed\n"
                                                              "SHUNTED: shunted\nRETRYING: retrying")),
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
            options={"table": "audit_witness", "app": "models", "pk_attr": "id",
                     "table_description": "A chain tip (entry count, newest hash) that left the database: printed "
                                          "in a sent digest. A copy of the"},
            bases=["Model"],
        ),
    ]
