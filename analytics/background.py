"""Files that take seconds to build (exports, decks), built in the background with progress, and kept per
identity so that asking again (from any session of the process) is instant.

The identity names everything the file depends on, the data version first, so a cached file is never stale:
``("export_xlsx", data_version, year, lang)``.  A builder is ``build(report) -> bytes``; it calls
``report(fraction, stage, **params)`` as it goes (``stage``: a text key the page puts into words;
``stepwise`` turns it into the ``progress(done, steps)`` of a builder counting steps).  A build that raises
keeps its exception on the job (shown, never cached: asking again starts a new build).

A ``Jobs`` starts a thread per build, or with ``workers=n`` queues its builds on ``n`` threads: builds that
each drive a browser (chart images through kaleido, PDFs through Chromium) run one at a time.
"""
from __future__ import annotations

import threading
from collections import OrderedDict
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Callable

Report = Callable[..., None]


@dataclass
class Job:
    identity: tuple
    fraction: float = 0.0
    stage: str = "background_queued"
    params: dict = field(default_factory=dict)
    result: bytes | None = None
    error: BaseException | None = None

    @property
    def done(self) -> bool:
        return self.result is not None or self.error is not None

    def report(self, fraction: float, stage: str, **params) -> None:
        self.fraction, self.stage, self.params = min(max(fraction, 0.0), 1.0), stage, params


def stepwise(report: Report, stage: str, **params) -> Callable[[int, int], None]:
    """``progress(done, steps)`` for a builder counting steps, reported as ``stage`` with ``done`` and ``steps``."""
    def progress(done: int, steps: int) -> None:
        report(done / steps if steps else 0.0, stage, done=done, steps=steps, **params)
    return progress


class Jobs:
    """The builds of one process: running or queued ones, and the last ``keep`` finished ones, by identity;
    built each in its own thread, or on ``workers`` threads taking them in turn."""

    def __init__(self, keep: int = 8, workers: int | None = None):
        self.keep = keep
        self._jobs: OrderedDict[tuple, Job] = OrderedDict()
        self._lock = threading.Lock()
        self._pool = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="build") if workers else None

    def get(self, identity: tuple) -> Job | None:
        with self._lock:
            return self._jobs.get(identity)

    def start(self, identity: tuple, build: Callable[[Report], bytes]) -> Job:
        """The job of ``identity``: the running or finished one, else a new build started (or queued)
        (a failed one is started again)."""
        with self._lock:
            job = self._jobs.get(identity)
            if job is not None and job.error is None:
                self._jobs.move_to_end(identity)
                return job
            job = self._jobs[identity] = Job(identity)
        if self._pool is not None:
            self._pool.submit(self._run, job, build)
        else:
            threading.Thread(target=self._run, args=(job, build), daemon=True, name=f"build {identity[0]}").start()
        return job

    def _run(self, job: Job, build: Callable[[Report], bytes]) -> None:
        try:
            result = build(job.report)
        except Exception as error:       # kept on the job and shown by the page; nothing is cached
            job.error = error
            return
        job.report(1.0, "background_done")
        job.result = result
        with self._lock:                 # keep the last ``keep`` finished files
            finished = [key for key, other in self._jobs.items() if other.result is not None]
            for key in finished[:max(0, len(finished) - self.keep)]:
                del self._jobs[key]


JOBS = Jobs()
BROWSER_JOBS = Jobs(keep=12, workers=1)
"""Builds that drive a browser (decks, chart images): one browser at a time is all a small machine affords."""
