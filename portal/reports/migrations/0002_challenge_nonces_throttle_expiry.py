# Single-use challenge nonces and throttle rows that carry their own end (issue 12, item 7).
# Rows already there get an end of "now": the next request deletes them.

import django.utils.timezone
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("reports", "0001_initial"),
    ]

    operations = [
        migrations.CreateModel(
            name="SpentNonce",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("nonce", models.CharField(max_length=32, unique=True)),
                ("expires", models.DateTimeField(db_index=True)),
            ],
        ),
        migrations.AlterField(
            model_name="throttlebucket",
            name="window",
            field=models.DateTimeField(),
        ),
        migrations.AddField(
            model_name="throttlebucket",
            name="expires",
            field=models.DateTimeField(db_index=True, default=django.utils.timezone.now),
            preserve_default=False,
        ),
    ]
