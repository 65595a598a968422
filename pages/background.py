"""A download whose file is built in the background (analytics.background): a button starts the build, a
progress bar follows it (a fragment polling twice a second, so the rest of the page stays usable) and the
download button replaces both when the file is ready.  A file already built for the same identity (data
version, scope, language …) by any session is offered at once."""
from __future__ import annotations

from typing import Callable

import streamlit as st

from analytics.background import JOBS, Report
from pages.common import tr

POLL_SECONDS = 0.5


def background_download(key: str, identity: tuple, build: Callable[[Report], bytes], filename: str, mime: str,
                        prepare_label: str, download_label: str) -> None:
    """In the current container: the prepare button, the build's progress, or the download button."""
    if JOBS.get(identity) is None:
        if st.button(prepare_label, key=f"prepare_{key}"):
            JOBS.start(identity, build)
            st.rerun()           # the progress takes the button's place
        return
    job = JOBS.start(identity, build)
    running = not job.done

    def follow() -> None:
        current = JOBS.get(identity) or job
        if current.error is not None:
            st.error(str(current.error) if isinstance(current.error, ValueError)
                     else tr("background_failed", error=type(current.error).__name__))
        elif current.result is not None:
            if running:              # finished while followed: a whole rerun stops the polling
                st.rerun(scope="app")
            st.download_button(download_label, current.result, filename, mime, key=f"download_{key}")
        else:
            st.progress(current.fraction, text=tr(current.stage, **current.params))

    st.fragment(follow, run_every=POLL_SECONDS if running else None)()
