"""Exports built in the background: one build per file, its progress, kept, a failure said and retried."""
import threading
import time

from pages.deck_jobs import Jobs


def wait(job, seconds: float = 10) -> None:
    deadline = time.time() + seconds
    while job.running:
        assert time.time() < deadline
        time.sleep(0.01)


def test_a_build_reports_its_progress_and_is_kept_for_the_same_key():
    jobs, release, calls = Jobs(), threading.Event(), []

    def build(progress):
        calls.append(1)
        progress(1, 3)
        release.wait(5)
        progress(3, 3)
        return b"deck"
    job = jobs.start(("db", 1.0, "pptx"), build)
    deadline = time.time() + 5
    while job.done < 1:
        assert time.time() < deadline
        time.sleep(0.01)
    assert job.running and job.fraction == 1 / 3
    assert jobs.start(("db", 1.0, "pptx"), build) is job          # asked again while it builds: the same job
    release.set()
    wait(job)
    assert job.data == b"deck" and job.fraction == 1.0
    assert jobs.start(("db", 1.0, "pptx"), build) is job and calls == [1]
    newer = jobs.start(("db", 2.0, "pptx"), build)                # new data: a new file
    wait(newer)
    assert newer is not job and calls == [1, 1]


def test_a_failed_build_says_why_and_is_tried_again():
    jobs, attempts = Jobs(), []

    def build(progress):
        attempts.append(1)
        if len(attempts) == 1:
            raise ValueError("Chromium is missing")
        return b"pdf"
    job = jobs.start(("pdf",), build)
    wait(job)
    assert isinstance(job.error, ValueError) and not job.running and job.data is None
    retried = jobs.start(("pdf",), build)
    wait(retried)
    assert retried.data == b"pdf" and len(attempts) == 2
