"""绩效驾驶舱 entry point: page navigation.  Each page draws the shared sidebar (pages/common.py)."""
import streamlit as st

from pages.common import tr

st.set_page_config(page_title="绩效驾驶舱", page_icon="📊", layout="wide")

navigation = st.navigation([
    st.Page("pages/rankings.py", title=tr("page_rankings"), icon="🏆", url_path="rankings", default=True),
])
navigation.run()
