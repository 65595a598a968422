"""Placeholder until the page is built."""
import streamlit as st

from pages.common import page_start

page_start("page_whatif")
st.info("…")
