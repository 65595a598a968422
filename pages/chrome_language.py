"""Streamlit's and Plotly's own interface texts in the page's language.

Streamlit has no locale setting (streamlit/streamlit#1353) and Plotly's locales are not in Streamlit's
bundle, so their toolbars, menus, file drop zone and status texts are English only.  In Chinese, a
script in the page swaps each known English string (analytics/texts/streamlit_chrome.py) for its
translation as it appears, and puts the original back when the user switches to English.  Only whole
strings outside the product's own content are swapped: text in Markdown, charts, select values and
options (where names from the data land) is never touched.
"""
from __future__ import annotations

import json

import streamlit as st

from analytics.texts.streamlit_chrome import CHINESE

# text in these is the product's content (names, notes, labels from data), never Streamlit's own words
CONTENT = ", ".join(['[data-testid="stMarkdownContainer"]', ".main-svg", '[role="option"]', '[data-baseweb="select"]',
                     '[data-testid="stCaptionContainer"]', "input", "textarea"])
ATTRIBUTES = ["aria-label", "title", "data-title", "placeholder"]
# the drop zone's limit, "200MB per file", carries its figure
PATTERNS = [[r"^(\S+) per file$", "单个文件不超过 $1"]]

SCRIPT = """<script>
(() => {
  const lang = %(lang)s, words = %(words)s, attributes = %(attributes)s, content = %(content)s;
  const patterns = %(patterns)s.map(([source, replacement]) => [new RegExp(source), replacement]);
  const state = window.__chromeLanguage || (window.__chromeLanguage = {texts: new Set(), observer: null});
  const stored = name => "data-chrome-" + name;

  function chinese(text) {
    const key = text.trim();
    if (!key) return null;
    if (Object.prototype.hasOwnProperty.call(words, key)) return text.replace(key, words[key]);
    for (const [pattern, replacement] of patterns)
      if (pattern.test(key)) return text.replace(key, key.replace(pattern, replacement));
    return null;
  }
  function translateElement(element) {
    for (const name of attributes) {
      const value = element.getAttribute(name);
      const swapped = value === null ? null : chinese(value);
      if (swapped !== null) { element.setAttribute(stored(name), value); element.setAttribute(name, swapped); }
    }
  }
  function translateText(node) {
    const parent = node.parentElement;
    if (!parent || parent.closest(content)) return;
    const swapped = chinese(node.nodeValue);
    if (swapped !== null) { node.__chromeOriginal = node.nodeValue; node.nodeValue = swapped; state.texts.add(node); }
  }
  function translate(root) {
    if (root.nodeType === Node.TEXT_NODE) return translateText(root);
    if (root.nodeType !== Node.ELEMENT_NODE) return;
    translateElement(root);
    root.querySelectorAll("[" + attributes.join("], [") + "]").forEach(translateElement);
    const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) translateText(node);
  }
  function restore() {
    for (const name of attributes)
      document.querySelectorAll("[" + stored(name) + "]").forEach(element => {
        element.setAttribute(name, element.getAttribute(stored(name)));
        element.removeAttribute(stored(name));
      });
    for (const node of state.texts) if (node.isConnected && node.__chromeOriginal !== undefined) node.nodeValue = node.__chromeOriginal;
    state.texts.clear();
  }
  if (state.observer) { state.observer.disconnect(); state.observer = null; }
  if (lang !== "zh") { restore(); return; }
  state.observer = new MutationObserver(records => {
    for (const record of records) {
      if (record.type === "childList") record.addedNodes.forEach(translate);
      else if (record.type === "characterData") translateText(record.target);
      else if (record.type === "attributes") translateElement(record.target);
    }
  });
  state.observer.observe(document.body, {subtree: true, childList: true, characterData: true, attributes: true,
                                          attributeFilter: attributes});
  translate(document.body);
})();
</script>"""


def chrome_language(lang: str) -> None:
    """The script, in the sidebar (it draws nothing): swaps Streamlit's English in Chinese, restores it
    in English."""
    values = {"lang": lang, "words": CHINESE, "attributes": ATTRIBUTES, "content": CONTENT, "patterns": PATTERNS}
    st.sidebar.html(SCRIPT % {key: json.dumps(value, ensure_ascii=False) for key, value in values.items()},
                    unsafe_allow_javascript=True)
