"""A Redis cache that fails open: with Redis down the web keeps answering.

The cache only holds what can be worked out again (the dashboard's figures): a read that
cannot reach Redis is a miss, a write is dropped. Counters that must hold (sign-in lockout,
two-factor codes, the public referral limit) are kept in the database instead (cme.limits).
After a failure the cache is not tried again for ``CME_CACHE_RETRY_SECONDS`` in this process,
so a dead server costs one short socket timeout every few seconds, not one per request.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from typing import Any, TypeVar

from django.conf import settings
from django.core.cache.backends.redis import RedisCache
from redis.exceptions import RedisError

log = logging.getLogger(__name__)
T = TypeVar("T")


class FailOpenRedisCache(RedisCache):
    """django's RedisCache; any Redis error is logged once and answered as a miss."""

    _down_until = 0.0

    def _safely(self, call: Callable[[], T], default: T) -> T:
        if time.monotonic() < self._down_until:
            return default
        try:
            return call()
        except (RedisError, OSError) as exc:
            self._down_until = time.monotonic() + getattr(settings, "CME_CACHE_RETRY_SECONDS", 5)
            log.warning("cache unavailable, carrying on without it: %r", exc)
            return default

    def get(self, key: Any, default: Any = None, version: int | None = None) -> Any:
        return self._safely(
            lambda: super(FailOpenRedisCache, self).get(key, default, version), default
        )

    def set(self, key: Any, value: Any, timeout: Any = None, version: int | None = None) -> None:
        from django.core.cache.backends.base import DEFAULT_TIMEOUT

        t = DEFAULT_TIMEOUT if timeout is None else timeout
        self._safely(lambda: super(FailOpenRedisCache, self).set(key, value, t, version), None)

    def add(self, key: Any, value: Any, timeout: Any = None, version: int | None = None) -> bool:
        from django.core.cache.backends.base import DEFAULT_TIMEOUT

        t = DEFAULT_TIMEOUT if timeout is None else timeout
        return self._safely(
            lambda: super(FailOpenRedisCache, self).add(key, value, t, version), False
        )

    def touch(self, key: Any, timeout: Any = None, version: int | None = None) -> bool:
        from django.core.cache.backends.base import DEFAULT_TIMEOUT

        t = DEFAULT_TIMEOUT if timeout is None else timeout
        return self._safely(lambda: super(FailOpenRedisCache, self).touch(key, t, version), False)

    def delete(self, key: Any, version: int | None = None) -> bool:
        return self._safely(lambda: super(FailOpenRedisCache, self).delete(key, version), False)

    def get_many(self, keys: Any, version: int | None = None) -> dict[Any, Any]:
        return self._safely(lambda: super(FailOpenRedisCache, self).get_many(keys, version), {})

    def has_key(self, key: Any, version: int | None = None) -> bool:
        return self._safely(lambda: super(FailOpenRedisCache, self).has_key(key, version), False)

    def incr(self, key: Any, delta: int = 1, version: int | None = None) -> int:
        # A missing key still raises ValueError (django's contract); Redis down counts from 0.
        return self._safely(
            lambda: super(FailOpenRedisCache, self).incr(key, delta, version), delta
        )

    def set_many(self, data: Any, timeout: Any = None, version: int | None = None) -> list[Any]:
        from django.core.cache.backends.base import DEFAULT_TIMEOUT

        t = DEFAULT_TIMEOUT if timeout is None else timeout
        return self._safely(lambda: super(FailOpenRedisCache, self).set_many(data, t, version), [])

    def delete_many(self, keys: Any, version: int | None = None) -> None:
        self._safely(lambda: super(FailOpenRedisCache, self).delete_many(keys, version), None)

    def clear(self) -> None:
        self._safely(lambda: super(FailOpenRedisCache, self).clear(), None)
