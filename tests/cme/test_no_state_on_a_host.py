"""The pieces of issue 18 item 1 in one process: the database storage, the beat lease and
the forwarded headers (the several-host proof is tests/integration/test_multihost.py)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.files.base import ContentFile
from django.test import Client, override_settings
from django.utils import timezone

from cme.beat import release_lease, take_lease
from cme.models import BeatLease, StoredFile
from cme.storage import DatabaseStorage, private_storage

pytestmark = pytest.mark.django_db


def test_the_database_storage_keeps_files_as_rows_with_no_url() -> None:
    storage = private_storage()
    assert isinstance(storage, DatabaseStorage)
    name = storage.save("reports/a.pdf", ContentFile(b"%PDF-1.7 one"))
    again = storage.save("reports/a.pdf", ContentFile(b"%PDF-1.7 two"))
    assert name == "reports/a.pdf"
    assert again != name  # never overwritten
    assert storage.open(name).read() == b"%PDF-1.7 one"
    assert storage.size(again) == len(b"%PDF-1.7 two")
    assert storage.listdir("reports") == ([], sorted(["a.pdf", again.split("/")[-1]]))
    with pytest.raises(ValueError, match="no URL"):
        storage.url(name)
    storage.delete(name)
    assert not storage.exists(name)
    assert StoredFile.objects.count() == 1
    with pytest.raises(FileNotFoundError):
        storage.open(name)


def test_only_one_beat_holds_the_lease_and_another_takes_it_when_it_lapses() -> None:
    assert take_lease("beat-a")
    assert not take_lease("beat-b")  # a second beat idles
    assert take_lease("beat-a")  # the holder renews
    BeatLease.objects.update(expires_at=timezone.now() - timedelta(seconds=1))
    assert take_lease("beat-b")  # the first stopped renewing: the second takes over
    assert not take_lease("beat-a")
    release_lease("beat-b")
    assert take_lease("beat-a")


@override_settings(SECURE_SSL_REDIRECT=True, CME_TRUSTED_PROXIES=["10.0.0.1"])
def test_forwarded_proto_is_believed_only_from_a_trusted_proxy() -> None:
    client = Client()
    headers = {"X-Forwarded-Proto": "https"}
    assert client.get("/sign-in/", headers=headers, REMOTE_ADDR="10.0.0.1").status_code == 200
    response = client.get("/sign-in/", headers=headers, REMOTE_ADDR="10.0.0.9")
    assert response.status_code == 301
    assert response["Location"].startswith("https://")
