# Stored receipt digests carry their scheme (issue 13, item 1): the PBKDF2-HMAC-SM3 digests
# stored so far become "pbkdf2-sm3$<hex>"; new ones are "hmac-sm3$<hex>" (digests.py). A
# lookup of an old code re-keys its row; `portal_receipts` says how many old ones are left.

from django.db import migrations
from django.db.models import Value
from django.db.models.functions import Concat, Substr

OLD = "pbkdf2-sm3$"


def mark_old(apps, schema_editor):
    Submission = apps.get_model("reports", "Submission")
    Submission.objects.exclude(receipt_digest="").exclude(receipt_digest__contains="$").update(
        receipt_digest=Concat(Value(OLD), "receipt_digest")
    )


def unmark_old(apps, schema_editor):
    Submission = apps.get_model("reports", "Submission")
    Submission.objects.filter(receipt_digest__startswith=OLD).update(
        receipt_digest=Substr("receipt_digest", len(OLD) + 1)
    )


class Migration(migrations.Migration):
    dependencies = [
        ("reports", "0002_challenge_nonces_throttle_expiry"),
    ]

    operations = [migrations.RunPython(mark_old, unmark_old)]
