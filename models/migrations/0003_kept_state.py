from tortoise import migrations
from tortoise.migrations import operations as ops
import functools
from json import dumps, loads
from tortoise import fields
from tortoise.indexes import Index

# Per-province kept state on the dossier row (issue 16): the register row and its summary columns, written in
# the transaction of every change. Rows written before this migration have no state; the register computes
# them from the tables until `shenbao rebuild-state` (run by `shenbao migrate` and at intake start) stores it.
# submission.unrelated keeps mail no province claims and no filing feature out of the unidentified queue.

class Migration(migrations.Migration):
    dependencies = [('models', '0002_indexes_and_queues')]

    initial = False

    operations = [
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
    ]
