"""Built reports move from the worker's disk (``CME_REPORT_STORAGE``) to the shared private
storage (docs/decisions/018-no-state-on-a-host.md). Each file a run names that is still in the
old folder is copied, under the same name; the old files are left for the operator to remove.
A run whose file is in neither place keeps its name (its download answers 404, as before)."""

from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import migrations


def move_files(apps: Any, schema_editor: Any) -> None:
    from cme.storage import private_storage

    folder = Path(settings.CME_REPORT_STORAGE)
    if not folder.is_dir():
        return
    storage = private_storage()
    ReportRun = apps.get_model("reports", "ReportRun")
    for pdf, csv in ReportRun.objects.values_list("pdf_file", "csv_file"):
        for name in (pdf, csv):
            old = folder / name if name else None
            if old is None or not old.is_file() or storage.exists(name):
                continue
            saved = storage.save(name, ContentFile(old.read_bytes()))
            assert saved == name, f"{name} stored as {saved}"


class Migration(migrations.Migration):
    dependencies = [
        ("cme", "0012_stored_file_and_beat_lease"),
        ("reports", "0003_cme_return"),
    ]

    operations = [migrations.RunPython(move_files, migrations.RunPython.noop, elidable=True)]
