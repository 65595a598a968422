"""Strings of the command line that are put into words in the user's language (--lang)."""

TEXT = {
    "cli_rank_framework": {"zh": "{year} 年度排名 · 评价框架：{name}（{code}）",
                           "en": "Ranking {year} · framework: {name} ({code})"},
    "cli_rank_level1": {"zh": "一级指标：{items}", "en": "Level-1 indicators: {items}"},
    "cli_mixed_frameworks": {
        "zh": "{year} 年度的评价使用了多个评价框架：{frameworks}。排名只在同一框架内进行，请用 --framework 指定其一",
        "en": "the evaluations of {year} use several frameworks: {frameworks}. Rankings are made within one "
              "framework: choose one with --framework"},
    "cli_framework_item": {"zh": "{code}（{name}，{count} 个评价）", "en": "{code} ({name}, {count} evaluations)"},
    "cli_list_separator": {"zh": "；", "en": "; "},
}
