"""One Sheets API request budget shared by every workbook a process serves.

Google allows 60 requests per minute per user (here: per service account) and 300 per minute
per project. Each limit is a token bucket whose burst plus one minute of refill equals the
limit, so no 60-second window can ever hold more requests than Google allows, whatever the
timing: with a burst of 10, a user bucket refills at 50 a minute (10 + 50 = 60).
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field

USER_PER_MINUTE = 60
PROJECT_PER_MINUTE = 300


@dataclass
class TokenBucket:
    """Tokens refill continuously up to capacity; taking one spends it."""

    capacity: float
    per_second: float
    tokens: float = 0.0
    stamp: float | None = None  # None until first used: the bucket then starts full

    def refill(self, now: float) -> None:
        """Add the tokens earned since the last look."""
        if self.stamp is None:
            self.tokens, self.stamp = self.capacity, now
            return
        self.tokens = min(self.capacity, self.tokens + (now - self.stamp) * self.per_second)
        self.stamp = now

    def wait(self) -> float:
        """Seconds until one token is there (0 when it is there now)."""
        # a hair below one after sleeping the exact wait is float rounding, not a missing token
        return 0.0 if self.tokens >= 1 - 1e-9 else (1 - self.tokens) / self.per_second


def bucket_for(per_minute: int, burst: int) -> TokenBucket:
    """A bucket that never lets more than per_minute through in any 60 seconds."""
    burst = max(1, min(burst, per_minute - 1))
    return TokenBucket(capacity=burst, per_second=(per_minute - burst) / 60.0)


@dataclass
class Budget:
    """Per-user and per-project buckets, shared by threads; acquire() blocks until both allow."""

    user_per_minute: int = USER_PER_MINUTE
    project_per_minute: int = PROJECT_PER_MINUTE
    clock: Callable[[], float] = time.monotonic
    sleep: Callable[[float], None] = time.sleep
    _users: dict[str, TokenBucket] = field(default_factory=dict)
    _projects: dict[str, TokenBucket] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock)
    waited: float = 0.0  # seconds spent waiting, for reports and tests

    def acquire(self, user: str, project: str) -> None:
        """Take one request from the user's and the project's budgets, waiting as needed."""
        while True:
            with self._lock:
                now = self.clock()
                mine = self._users.setdefault(user, bucket_for(self.user_per_minute, 10))
                ours = self._projects.setdefault(project, bucket_for(self.project_per_minute, 50))
                mine.refill(now)
                ours.refill(now)
                pause = max(mine.wait(), ours.wait())
                if pause == 0:
                    mine.tokens -= 1
                    ours.tokens -= 1
                    return
                self.waited += pause
            self.sleep(pause)


@dataclass(frozen=True)
class Meter:
    """A budget bound to one service account: what the backend's HTTP session calls."""

    budget: Budget
    user: str
    project: str

    def __call__(self) -> None:
        """Wait for permission to send one Sheets API request."""
        self.budget.acquire(self.user, self.project)
