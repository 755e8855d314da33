"""One retry policy for newsflow: capped exponential backoff with jitter, driven by the error's
own `retriable` flag (newsflow's errors and aiokafka's carry one on their class), plus one helper
for waiting until a condition holds. Both are tenacity underneath.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import TypeVar

import structlog
from tenacity import (
    AsyncRetrying,
    RetryCallState,
    Retrying,
    retry_if_exception,
    retry_if_result,
    stop_after_delay,
    stop_never,
    wait_exponential_jitter,
    wait_fixed,
)

log = structlog.get_logger()
T = TypeVar("T")


def is_retriable(error: BaseException) -> bool:
    """What the error's class says; an error that says nothing is not retried."""
    return bool(getattr(error, "retriable", False))


async def retry_async(
    call: Callable[[], Awaitable[T]],
    *,
    what: str,
    initial_s: float,
    max_s: float,
    deadline_s: float | None = None,
    on_retry: Callable[[BaseException], None] | None = None,
) -> T:
    """Run `call` until it succeeds or raises a non-retriable error (or `deadline_s` passes).

    Retriable errors are retried after a capped, jittered exponential delay; each retry is
    logged and reported to `on_retry` (a metric, a pause).
    """

    def before_sleep(state: RetryCallState) -> None:
        error = state.outcome.exception() if state.outcome else None
        if error is not None and on_retry is not None:
            on_retry(error)
        log.warning(
            "retrying",
            what=what,
            attempt=state.attempt_number,
            error=repr(error)[:300],
            retry_in_s=round(state.upcoming_sleep, 2),
        )

    retrying = AsyncRetrying(
        retry=retry_if_exception(is_retriable),
        wait=wait_exponential_jitter(initial=initial_s, max=max_s, jitter=initial_s),
        stop=stop_after_delay(deadline_s) if deadline_s is not None else stop_never,
        before_sleep=before_sleep,
        reraise=True,
    )
    result: T = await retrying(call)
    return result


def wait_until(condition: Callable[[], bool], timeout_s: float, interval_s: float = 0.5) -> bool:
    """Poll `condition` until it is true or `timeout_s` passed; the last answer is returned."""
    retrying = Retrying(
        retry=retry_if_result(lambda ok: not ok),
        wait=wait_fixed(interval_s),
        stop=stop_after_delay(timeout_s),
        retry_error_callback=lambda state: False,
    )
    return bool(retrying(condition))


async def poll_async(
    probe: Callable[[], Awaitable[T]],
    timeout_s: float,
    *,
    done: Callable[[T], bool],
    interval_s: float = 0.5,
) -> T:
    """Call `probe` until `done(result)` or `timeout_s` passed; the last result is returned."""
    retrying = AsyncRetrying(
        retry=retry_if_result(lambda result: not done(result)),
        wait=wait_fixed(interval_s),
        stop=stop_after_delay(timeout_s),
        retry_error_callback=lambda state: state.outcome.result() if state.outcome else None,
    )
    result: T = await retrying(probe)
    return result
