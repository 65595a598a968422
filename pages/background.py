"""A download whose file is built in the background (analytics.background): a button starts the build, a
progress bar follows it (a fragment polling twice a second, so the rest of the page stays usable) and the
download button replaces both when the file is ready.  A file already built for the same identity (data
version, scope, language …) by any session is offered at once; a failed build is said, with the button to
try again."""
from __future__ import annotations

from typing import Callable

import streamlit as st

from analytics.background import JOBS, Jobs, Report
from pages.common import tr

POLL_SECONDS = 0.5


def _failure(error: BaseException) -> str:
    """A ValueError carries words for the user; anything else is named."""
    return str(error) if isinstance(error, ValueError) else tr("background_failed", error=type(error).__name__)


def background_download(key: str, identity: tuple, build: Callable[[Report], bytes], filename: str, mime: str,
                        prepare_label: str, download_label: str, jobs: Jobs = JOBS, width: str = "content") -> None:
    """In the current container: the prepare button (after the failure of the last try, if any), the
    build's progress, or the download button."""
    job = jobs.get(identity)
    if job is None or job.error is not None:
        if job is not None:
            st.error(_failure(job.error))
        if st.button(prepare_label, key=f"prepare_{key}", width=width):
            jobs.start(identity, build)
            st.rerun()           # the progress takes the button's place
        return
    running = not job.done

    def follow() -> None:
        if job.done:
            if running:          # finished while followed: a whole rerun stops the polling
                st.rerun(scope="app")
            st.download_button(download_label, job.result, filename, mime, key=f"download_{key}", width=width)
        else:
            st.progress(job.fraction, text=tr(job.stage, **job.params))

    st.fragment(follow, run_every=POLL_SECONDS if running else None)()
