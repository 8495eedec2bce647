"""The audit head's MAC (issue 12). An existing head is MACed as it stands: the chain up to it
is what `verify_audit` checked so far, and from here on a head cut short no longer passes."""

from django.conf import settings
from django.db import migrations, models

from xunshi.lib.crypto import derive_key, hmac_sm3_hex


def mac_the_head(apps, schema_editor):
    AuditHead = apps.get_model("audit", "AuditHead")
    key = derive_key(settings.AUDIT_KEY, "audit-head")
    for head in AuditHead.objects.all():
        message = f"xunshi-audit-head/v1|{head.last_id}|{head.last_hash}|{head.last_id}"
        head.mac = hmac_sm3_hex(key, message.encode())
        head.save(update_fields=["mac"])


class Migration(migrations.Migration):
    dependencies = [("audit", "0003_filter_indexes")]

    operations = [
        migrations.AddField(
            model_name="audithead",
            name="mac",
            field=models.CharField(default="", max_length=64),
        ),
        migrations.RunPython(mac_the_head, migrations.RunPython.noop),
    ]
