"""Files that outlive a request, kept where every web and worker host sees them
(docs/decisions/018-no-state-on-a-host.md).

``DatabaseStorage`` is Django's storage API over one table (``cme.StoredFile``): the default,
so `make run` (SQLite) and a several-host deployment (PostgreSQL) need no file server. With
``CME_S3_BUCKET`` set, settings choose django-storages' S3 backend instead. Neither has a
URL: private files are served only by views that check who is asking.
"""

from __future__ import annotations

import posixpath
from datetime import datetime
from typing import IO, Any

from django.core.files.base import ContentFile, File
from django.core.files.storage import Storage, storages
from django.db import IntegrityError, transaction
from django.utils.deconstruct import deconstructible


@deconstructible
class DatabaseStorage(Storage):
    """Each file a row: its name (unique), its bytes, its size and when it was written."""

    def _open(self, name: str, mode: str = "rb") -> File[Any]:
        from cme.models import StoredFile

        if "w" in mode or "a" in mode or "+" in mode:
            raise ValueError("DatabaseStorage opens files for reading only: use save()")
        row = StoredFile.objects.filter(name=name).only("content").first()
        if row is None:
            raise FileNotFoundError(name)
        return ContentFile(bytes(row.content), name=name)

    def _save(self, name: str, content: IO[Any] | File[Any]) -> str:
        from cme.models import StoredFile

        if hasattr(content, "seek"):
            content.seek(0)
        data = content.read()
        if isinstance(data, str):
            data = data.encode("utf-8")
        while True:
            try:
                with transaction.atomic():
                    StoredFile.objects.create(name=name, content=data, size=len(data))
            except IntegrityError:  # another host took the name between exists() and here
                name = self.get_alternative_name(*posixpath.splitext(name))
            else:
                return name

    def delete(self, name: str) -> None:
        from cme.models import StoredFile

        StoredFile.objects.filter(name=name).delete()

    def exists(self, name: str) -> bool:
        from cme.models import StoredFile

        return StoredFile.objects.filter(name=name).exists()

    def size(self, name: str) -> int:
        from cme.models import StoredFile

        row = StoredFile.objects.filter(name=name).values_list("size", flat=True).first()
        if row is None:
            raise FileNotFoundError(name)
        return int(row)

    def listdir(self, path: str) -> tuple[list[str], list[str]]:
        from cme.models import StoredFile

        prefix = f"{path.rstrip('/')}/" if path else ""
        dirs: set[str] = set()
        files: list[str] = []
        for name in StoredFile.objects.filter(name__startswith=prefix).values_list(
            "name", flat=True
        ):
            rest = name[len(prefix) :]
            if "/" in rest:
                dirs.add(rest.split("/", 1)[0])
            else:
                files.append(rest)
        return sorted(dirs), sorted(files)

    def get_modified_time(self, name: str) -> datetime:
        from cme.models import StoredFile

        row = StoredFile.objects.filter(name=name).values_list("written_at", flat=True).first()
        if row is None:
            raise FileNotFoundError(name)
        return row

    get_created_time = get_modified_time

    def url(self, name: str | None) -> str:
        raise ValueError("Stored files have no URL: they are served by views that check access")


def private_storage() -> Storage:
    """The storage for private files (``STORAGES["private"]``), looked up on each use so a
    test's settings override is seen."""
    return storages["private"]
