"""Files that take seconds to build (exports, decks), built in a background thread with progress, and kept
per identity so that asking again (from any session of the process) is instant.

The identity names everything the file depends on, the data version first, so a cached file is never stale:
``("export_xlsx", data_version, year, lang)``.  A builder is ``build(report) -> bytes``; it calls
``report(fraction, stage, **params)`` as it goes (``stage``: a text key the page puts into words).  A build
that raises keeps its exception on the job (shown, never cached: asking again starts a new build).
"""
from __future__ import annotations

import threading
from collections import OrderedDict
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


class Jobs:
    """The builds of one process: running ones, and the last ``keep`` finished ones, by identity."""

    def __init__(self, keep: int = 8):
        self.keep = keep
        self._jobs: OrderedDict[tuple, Job] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, identity: tuple) -> Job | None:
        with self._lock:
            return self._jobs.get(identity)

    def start(self, identity: tuple, build: Callable[[Report], bytes]) -> Job:
        """The job of ``identity``: the running or finished one, else a new build started in a thread
        (a failed one is started again)."""
        with self._lock:
            job = self._jobs.get(identity)
            if job is not None and job.error is None:
                self._jobs.move_to_end(identity)
                return job
            job = self._jobs[identity] = Job(identity)
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
