"""Seal the files stored before attachments were sealed at rest (issue 12).

Each file is re-written sealed in place (temporary name, rename), only if its bytes are the
ones uploaded (the row's SHA-256); a file already sealed is left as it is, so the migration
can run again after an interruption. `manage.py rotate_field_key` does the same for any file
left over (one missing now, restored later from a backup).
"""

from django.db import migrations

from xunshi.files import storage


def seal_files(apps, schema_editor):
    Attachment = apps.get_model("files", "Attachment")
    for stored_name, sha256 in Attachment.objects.values_list("stored_name", "sha256").iterator():
        try:
            storage.reseal(stored_name, plain_sha256=sha256)
        except FileNotFoundError:
            continue  # reported as damaged on download, as before


class Migration(migrations.Migration):
    dependencies = [("files", "0003_attachment_kind_ofd")]

    operations = [migrations.RunPython(seal_files, migrations.RunPython.noop)]
