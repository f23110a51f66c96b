"""Issue 12: signed audit entries, witnessed chain tips."""
from tortoise import fields, migrations
from tortoise.migrations import operations as ops


class Migration(migrations.Migration):
    dependencies = [("models", "0002_sender_trust")]

    operations = [
        ops.AddField(model_name="AuditEntry", name="sig", field=fields.CharField(null=True, max_length=128)),
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
