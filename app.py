"""绩效驾驶舱 entry point: page navigation.  Each page draws the shared sidebar (pages/common.py)."""
import streamlit as st

from pages.common import tr

st.set_page_config(page_title=tr("app_title"), page_icon=":material/analytics:", layout="wide",
                   menu_items={"About": tr("app_about")})     # the app menu's one entry (toolbarMode minimal)

RANKINGS = st.Page("pages/rankings.py", title=tr("page_rankings"), icon=":material/leaderboard:", url_path="rankings")


def landing() -> None:
    """The root URL opens the rankings at /rankings with the URL's parameters.  (Streamlit serves the default
    page at "/" only, so the rankings, were they the default, would answer /rankings with "Page not found".)"""
    st.switch_page(RANKINGS, query_params=st.query_params.to_dict())


# Each page's url_path is its file's name: a server's first session runs in Streamlit's pages-directory
# mode, which knows pages only by file name, and answers any other path with "Page not found".
PAGES = [
    st.Page(landing, title=tr("page_rankings"), url_path="start", default=True, visibility="hidden"),
    RANKINGS,
    st.Page("pages/department.py", title=tr("page_department"), icon=":material/account_balance:", url_path="department"),
    st.Page("pages/trends.py", title=tr("page_trends"), icon=":material/trending_up:", url_path="trends"),
    st.Page("pages/municipal.py", title=tr("page_municipal"), icon=":material/compare_arrows:", url_path="municipal"),
    st.Page("pages/cross_framework.py", title=tr("page_cross_framework"), icon=":material/join_inner:", url_path="cross_framework"),
    st.Page("pages/present.py", title=tr("page_present"), icon=":material/slideshow:", url_path="present"),
    st.Page("pages/whatif.py", title=tr("page_whatif"), icon=":material/science:", url_path="whatif"),
    st.Page("pages/rule_change.py", title=tr("page_rule_change"), icon=":material/balance:", url_path="rule_change"),
    st.Page("pages/data.py", title=tr("page_data"), icon=":material/database:", url_path="data"),
    st.Page("pages/method.py", title=tr("page_method"), icon=":material/menu_book:", url_path="method"),
]
st.navigation(PAGES).run()
