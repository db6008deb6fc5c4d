"""Running the same work in several threads at the same moment (races the database decides)."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import TypeVar

from django.db import connection

T = TypeVar("T")


def at_once(work: Callable[[], T], n: int = 2) -> list[T]:
    """Run ``work`` in ``n`` threads, each on its own connection, released together by a
    barrier; their answers in thread order. An exception in any thread fails the test."""
    barrier = threading.Barrier(n)
    answers: dict[int, T] = {}
    errors: list[BaseException] = []

    def run(i: int) -> None:
        try:
            barrier.wait(timeout=10)
            answers[i] = work()
        except BaseException as exc:  # reported below, in the test's thread
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(n)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not errors, errors
    assert len(answers) == n, "a thread did not finish in time"
    return [answers[i] for i in range(n)]
