"""Issue 11: facts an officer corrects on a province's dossier (central subsidy, implementation period)."""
import functools
from json import dumps, loads

from tortoise import fields, migrations
from tortoise.migrations import operations as ops


class Migration(migrations.Migration):
    dependencies = [("models", "0003_issue16_scale")]

    operations = [
        ops.AddField(model_name="Dossier", name="corrections",
                     field=fields.JSONField(null=True, encoder=functools.partial(dumps, separators=(",", ":")),
                                            decoder=loads)),
    ]
