"""Exports (decks, packs, chart images) built in the background, one at a time, with their progress, and
kept: asking again for the same file (same data version, deck and options) gets the built one at once.

Not a page: pages/present.py uses it.  The jobs live in the server process (st.cache_resource), so a
build survives the reruns, page changes and reloads of the session that asked for it and is shared with
every session asking for the same file.  One worker thread: the chart renderer (kaleido) and the PDF
printer (Chromium) are one browser each, and two at once would only slow both on a small machine.
"""
from __future__ import annotations

import threading
from collections import OrderedDict
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Callable

import streamlit as st

KEPT = 12               # finished files kept (a year pack's PDF is a few MB)

Build = Callable[[Callable[[int, int], None]], bytes]      # build(progress) -> the file's bytes


@dataclass
class Job:
    done: int = 0
    steps: int = 0
    data: bytes | None = None
    error: Exception | None = None

    def progress(self, done: int, steps: int) -> None:
        self.done, self.steps = done, steps

    @property
    def running(self) -> bool:
        return self.data is None and self.error is None

    @property
    def fraction(self) -> float:
        return min(self.done / self.steps, 1.0) if self.steps else 0.0


class Jobs:
    def __init__(self):
        self._lock = threading.Lock()
        self._jobs: OrderedDict[tuple, Job] = OrderedDict()
        self._worker = ThreadPoolExecutor(max_workers=1, thread_name_prefix="deck-export")

    def get(self, key: tuple) -> Job | None:
        with self._lock:
            return self._jobs.get(key)

    def start(self, key: tuple, build: Build) -> Job:
        """The job making ``key``'s file: the one already made or under way, else a new one (a failed
        one is tried again)."""
        with self._lock:
            job = self._jobs.get(key)
            if job is not None and job.error is None:
                self._jobs.move_to_end(key)
                return job
            job = self._jobs[key] = Job()
            finished = [k for k, j in self._jobs.items() if not j.running]
            for old in finished[:max(len(finished) - KEPT, 0)]:
                del self._jobs[old]
        self._worker.submit(self._run, job, build)
        return job

    @staticmethod
    def _run(job: Job, build: Build) -> None:
        try:
            job.data = build(job.progress)
        except Exception as error:      # shown to the user beside the button that asked for the file
            job.error = error


@st.cache_resource(show_spinner=False)
def jobs() -> Jobs:
    return Jobs()
