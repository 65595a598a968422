"""The background builds (analytics.background): progress, one build per identity, kept, a failure said and
not kept, and a serial queue for builds that each drive a browser."""
import threading
import time

from analytics.background import Jobs, stepwise


def wait(job, seconds: float = 10) -> None:
    deadline = time.monotonic() + seconds
    while not job.done:
        assert time.monotonic() < deadline
        time.sleep(0.01)


def wait_for(condition, seconds: float = 10) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline
        time.sleep(0.01)


def test_a_job_reports_progress_keeps_its_result_and_forgets_a_failure():
    jobs, gate = Jobs(keep=1), threading.Event()

    def slow(report):
        report(0.4, "export_reading", sheet="评价")
        gate.wait(30)
        return b"file"
    job = jobs.start(("a",), slow)
    wait_for(lambda: job.fraction >= 0.4)
    assert (job.fraction, job.stage, job.params, job.done) == (0.4, "export_reading", {"sheet": "评价"}, False)
    assert jobs.start(("a",), slow) is job          # asked again while running: the same build
    gate.set()
    wait(job)
    assert job.result == b"file" and job.fraction == 1.0 and jobs.start(("a",), slow) is job

    def broken(report):
        raise ValueError("too large")
    failed = jobs.start(("b",), broken)
    wait(failed)
    assert isinstance(failed.error, ValueError) and failed.result is None
    again = jobs.start(("b",), lambda report: b"ok")
    assert again is not failed
    wait(again)
    assert again.result == b"ok"
    assert jobs.get(("a",)) is None                 # only the last finished one is kept (keep=1)


def test_a_builder_counting_steps_reports_them_as_a_fraction_with_its_stage():
    jobs, release, calls = Jobs(workers=1), threading.Event(), []

    def build(report):
        calls.append(1)
        progress = stepwise(report, "p_building", kind="PPTX")
        progress(1, 3)
        release.wait(5)
        progress(3, 3)
        return b"deck"
    job = jobs.start(("deck", "db", 1.0, "pptx"), build)
    wait_for(lambda: job.params.get("done") == 1)
    assert (job.fraction, job.stage, job.params) == (1 / 3, "p_building", {"done": 1, "steps": 3, "kind": "PPTX"})
    assert jobs.start(("deck", "db", 1.0, "pptx"), build) is job      # asked again while it builds: the same job
    release.set()
    wait(job)
    assert job.result == b"deck" and job.fraction == 1.0
    assert jobs.start(("deck", "db", 1.0, "pptx"), build) is job and calls == [1]
    newer = jobs.start(("deck", "db", 2.0, "pptx"), build)           # new data: a new file
    wait(newer)
    assert newer is not job and calls == [1, 1]


def test_with_one_worker_the_builds_run_one_at_a_time_in_the_order_asked():
    jobs, release, running, most = Jobs(workers=1), threading.Event(), [], []

    def build(name):
        def run(report):
            running.append(name)
            most.append(len(running))
            release.wait(5)
            running.remove(name)
            return name.encode()
        return run
    first, second = jobs.start(("first",), build("first")), jobs.start(("second",), build("second"))
    wait_for(lambda: running == ["first"])
    time.sleep(0.1)
    assert running == ["first"] and second.stage == "background_queued" and not second.done   # queued behind
    release.set()
    wait(first)
    wait(second)
    assert (first.result, second.result, max(most)) == (b"first", b"second", 1)
