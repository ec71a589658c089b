"""Fault injection (queued or random failures and delays) and per-minute quotas."""

from __future__ import annotations

import random
import threading
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field

from .errors import ApiError

PROJECT_NUMBER = "000000000000"


@dataclass
class Fault:
    """One planned fault: an error status, a delay before handling, or both."""

    status: int | None = None
    delay: float = 0.0


def fault_error(status: int) -> ApiError:
    """Return the error Google answers for an injected status."""
    if status == 429:
        return quota_error("Read requests", "Read requests per minute per user", 60)
    return ApiError(status)


def quota_error(metric: str, limit: str, value: int) -> ApiError:
    """Return Google's 429 RESOURCE_EXHAUSTED body for a per-minute quota."""
    message = (
        f"Quota exceeded for quota metric '{metric}' and limit '{limit}' of service "
        f"'sheets.googleapis.com' for consumer 'project_number:{PROJECT_NUMBER}'."
    )
    info = {
        "@type": "type.googleapis.com/google.rpc.ErrorInfo",
        "reason": "RATE_LIMIT_EXCEEDED",
        "domain": "googleapis.com",
        "metadata": {
            "quota_metric": f"sheets.googleapis.com/{metric.lower().replace(' ', '_')}",
            "quota_limit": limit.title().replace(" ", ""),
            "quota_location": "global",
            "quota_limit_value": str(value),
            "consumer": f"projects/{PROJECT_NUMBER}",
            "service": "sheets.googleapis.com",
        },
    }
    help_link = {
        "@type": "type.googleapis.com/google.rpc.Help",
        "links": [
            {
                "description": "Request a higher quota limit.",
                "url": "https://cloud.google.com/docs/quotas/help/request_increase",
            }
        ],
    }
    return ApiError(429, message, details=[info, help_link])


class FaultPlan:
    """Queued faults for the next requests, then optional seeded random faults."""

    def __init__(self) -> None:
        """Start with no faults."""
        self._queue: deque[Fault] = deque()
        self._rate = 0.0
        self._statuses: tuple[int, ...] = ()
        self._delay = 0.0
        self._random = random.Random(0)
        self._lock = threading.Lock()

    def inject(self, status: int | None = None, delay: float = 0.0, times: int = 1) -> None:
        """Queue a fault for each of the next `times` Sheets requests."""
        with self._lock:
            self._queue.extend(Fault(status, delay) for _ in range(times))

    def fail_randomly(
        self,
        rate: float,
        statuses: tuple[int, ...] = (429, 500, 503),
        delay: float = 0.0,
        seed: int | None = 0,
    ) -> None:
        """After the queue, fail each request with probability `rate` (seeded)."""
        with self._lock:
            self._rate, self._statuses, self._delay = rate, statuses, delay
            self._random = random.Random(seed)

    def clear(self) -> None:
        """Drop queued and random faults."""
        with self._lock:
            self._queue.clear()
            self._rate = 0.0

    def next(self) -> Fault | None:
        """Return the fault for the request being handled, if any."""
        with self._lock:
            if self._queue:
                return self._queue.popleft()
            if self._rate and self._random.random() < self._rate:
                status = self._random.choice(self._statuses) if self._statuses else None
                return Fault(status, self._delay)
        return None


@dataclass
class Quota:
    """Per-minute request quotas (Google counts read and write requests separately)."""

    read_per_user: int = 60
    write_per_user: int = 60
    read_per_project: int = 300
    write_per_project: int = 300
    window: float = 60.0
    enabled: bool = True
    clock: Callable[[], float] = field(default=lambda: 0.0, repr=False)
    _seen: dict[tuple[str, str], deque[float]] = field(default_factory=dict, repr=False)
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def charge(self, user: str, write: bool) -> None:
        """Count one request or raise the 429 Google sends when a limit is exceeded."""
        if not self.enabled:
            return
        kind = "Write" if write else "Read"
        per_user = self.write_per_user if write else self.read_per_user
        per_project = self.write_per_project if write else self.read_per_project
        now = self.clock()
        with self._lock:
            user_hits = self._hits((kind, user), now)
            project_hits = self._hits((kind, "*project*"), now)
            if len(user_hits) >= per_user:
                raise quota_error(
                    f"{kind} requests", f"{kind} requests per minute per user", per_user
                )
            if len(project_hits) >= per_project:
                raise quota_error(f"{kind} requests", f"{kind} requests per minute", per_project)
            user_hits.append(now)
            project_hits.append(now)

    def _hits(self, key: tuple[str, str], now: float) -> deque[float]:
        hits = self._seen.setdefault(key, deque())
        while hits and hits[0] <= now - self.window:
            hits.popleft()
        return hits

    def reset(self) -> None:
        """Forget every counted request."""
        with self._lock:
            self._seen.clear()
