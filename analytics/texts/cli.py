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

TEXT.update({
    "cli_framework_stored": {"zh": "评价框架 {code}（版本 {version}，{indicators} 个末级指标）已保存，数据版本 {data_version}",
                             "en": "framework {code} (version {version}, {indicators} indicators) stored as data version "
                                   "{data_version}"},
    "cli_framework_unchanged": {"zh": "评价框架 {code}（版本 {version}）已在数据库中，内容相同，未新建数据版本",
                                "en": "framework {code} (version {version}) is stored already, identical: no new data version"},
    "cli_framework_in_use": {
        "zh": "数据库中的评价框架 {code} 已有 {count} 个评价按其计分，不能以不同的内容覆盖；请为新版本使用新的框架编码",
        "en": "{count} evaluations in the database are scored by framework {code}: a different definition cannot "
              "replace it; give the new version a code of its own"},
    "cli_framework_shipped": {"zh": "随软件提供", "en": "shipped"},
    "cli_framework_in_database": {"zh": "已存入数据库（{count} 个评价）", "en": "in the database ({count} evaluations)"},
})
