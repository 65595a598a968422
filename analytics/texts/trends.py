"""Strings of the trends page and its charts, and the measure labels the comparison pages share."""

TEXT = {
    # measures: the total, the level-1 scores (named from the framework) and the three rates (stats.RATE_COLUMNS)
    "measure_total": {"zh": "总分", "en": "Total score"},
    "measure_level1": {"zh": "{name}得分", "en": "{name} score"},
    "measure_execution_rate": {"zh": "预算执行率（%）", "en": "Budget execution rate (%)"},
    "measure_carryover_rate": {"zh": "结转结余率（%）", "en": "Carry-over rate (%)"},
    "measure_diff_rate": {"zh": "部门预决算差异率（%）", "en": "Budget vs final-account difference rate (%)"},

    "tr_departments": {"zh": "部门（可多选）", "en": "Departments (one or more)"},
    "tr_metric": {"zh": "指标", "en": "Measure"},
    "tr_pick_department": {"zh": "请至少选择一个部门。", "en": "Choose at least one department."},
    "tr_no_history": {"zh": "{department} 只有 {years} 年度的评价，暂无历史走势可比较。现有数据：{facts}。",
                      "en": "{department} has an evaluation for {years} only, so there is no history to compare yet. "
                            "What exists: {facts}."},
    "tr_fact": {"zh": "{year} 年总分 {total}（{grade}，第 {rank} 名，{source}）",
                "en": "{year}: total {total} ({grade}, rank {rank}, {source})"},
    "tr_chart_title": {"zh": "{measure}：逐年走势与同体系水平", "en": "{measure}: year by year against the same framework"},
    "tr_caption": {"zh": "阴影带为同体系四分位区间（P25–P75），虚线为同体系均值；★ 标记真实报告数据，其余点为合成演示数据。",
                   "en": "The shaded band is the interquartile range (P25–P75) of the same framework, the dashed line "
                         "its mean; ★ marks real report data, every other point is synthetic demo data."},
    "tr_band": {"zh": "同体系四分位区间（P25–P75）", "en": "Interquartile range of the same framework (P25–P75)"},
    "tr_real_point": {"zh": "真实报告", "en": "Real report"},
    "tr_level1_title": {"zh": "总分与各一级指标得分（虚线为同体系均值）",
                        "en": "Total and the level-1 scores (dashed: mean of the same framework)"},
    "tr_yoy_title": {"zh": "同比变化", "en": "Year-on-year change"},
    "tr_yoy_caption": {"zh": "只与上一年度比较（缺少上一年度时显示“—”）；排名变化为正表示名次上升。",
                       "en": "Compared with the previous year only (“—” when that year is missing); "
                             "a positive rank change means moving up."},
    "tr_total_change": {"zh": "总分变化", "en": "Total change"},
    "tr_rank_change": {"zh": "排名变化", "en": "Rank change"},
    "tr_summary_title": {"zh": "同体系逐年统计", "en": "Statistics of the same framework by year"},
    "tr_q1": {"zh": "下四分位数（P25）", "en": "Lower quartile (P25)"},
    "tr_q3": {"zh": "上四分位数（P75）", "en": "Upper quartile (P75)"},
    "tr_count": {"zh": "部门数", "en": "Departments"},
    "tr_across": {"zh": "跨指标体系比较", "en": "Compare across frameworks"},
    "tr_across_help": {"zh": "包含各年度所有指标体系的评价：只比较满分 100 的总分、等级和各体系共有的指标。",
                       "en": "Includes every framework's evaluations over the years: only totals out of 100, "
                             "grades and the indicators the frameworks share are compared."},
    "tr_across_note": {
        "zh": "跨指标体系比较：{changes}。可比较的只有满分 100 的总分、等级和各体系共有的指标（{shared}）；"
              "一级指标得分不可比（各体系的结构和权重不同），排名和同比变化只在同一指标体系内计算，"
              "均值与四分位区间也只在同一指标体系内有意义，故此处不绘制。",
        "en": "Across frameworks: {changes}. Only totals out of 100, grades and the indicators the frameworks share "
              "({shared}) compare; level-1 scores do not (the trees and weights differ), ranks and year-on-year "
              "changes are computed within one framework only, and the mean and interquartile range "
              "mean something only within one framework, so they are not drawn here."},
    "tr_change_fact": {"zh": "{department} 自 {year} 年起由“{before}”改为“{after}”",
                       "en": "{department} moved from “{before}” to “{after}” in {year}"},
    "tr_no_change": {"zh": "所选部门在此期间未更换指标体系", "en": "the chosen departments kept their framework throughout"},
    "tr_chart_title_across": {"zh": "{measure}：逐年走势（跨指标体系）", "en": "{measure}: year by year across frameworks"},
    "tr_framework_changed": {"zh": "指标体系变更", "en": "Framework changed"},
    "tr_across_caption": {"zh": "虚线标出指标体系变更的年份；★ 标记真实报告数据，其余点为合成演示数据。",
                          "en": "The dotted line marks where the framework changed; ★ marks real report data, every "
                                "other point is synthetic demo data."},
    "tr_other_framework_years": {
        "zh": "{department} 在 {years} 年采用“{framework}”，不在本图中；打开“跨指标体系比较”可一并查看总分与共有指标。",
        "en": "{department} was evaluated on “{framework}” in {years}, which this view leaves out; turn on "
              "“Compare across frameworks” to see its totals and shared indicators too."},
}
