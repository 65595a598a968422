"""Strings of the within-region comparison page (地区内对比) and its charts."""

TEXT = {
    "mu_department": {"zh": "对比部门", "en": "Department to compare"},
    "mu_heatmap_title": {"zh": "{year} 年各部门各项指标得分率（自上而下按总分排序）",
                         "en": "{year}: scoring rate of each indicator by department (ordered by total)"},
    "mu_heatmap_caption": {"zh": "得分率 = 得分 / 分值。列为指标体系自身的末级指标，按一级指标分组；纵轴为部门简称，"
                                 "悬停可见全称、得分与分值。点击单元格可查看该部门及该指标的分布。",
                           "en": "Scoring rate = score / weight. Columns are the framework's own indicators, grouped "
                                 "by level 1; rows show short names; hover for the full name, score and weight. Click "
                                 "a cell to compare that department and see that indicator's distribution."},
    "mu_heatmap_open": {"zh": "各部门自设三级指标的指标组（{groups}）按组比较：组得分 / 组分值。",
                        "en": "Groups where each department sets its own level-3 indicators ({groups}) compare as a "
                              "group: the group's score / its weight."},
    "mu_heatmap_click": {"zh": "点击查看该部门与该指标分布", "en": "Click to compare this department on this indicator"},
    "mu_scoring_rate": {"zh": "得分率", "en": "Scoring rate"},
    "mu_rate_of": {"zh": "{name}得分率", "en": "{name}: scoring rate"},
    "mu_score": {"zh": "得分", "en": "Score"},
    "mu_weight": {"zh": "分值", "en": "Weight"},
    "mu_standing_title": {"zh": "{department} 与{region}各部门对比（{year} 年，共 {count} 个部门）",
                          "en": "{department} against the departments of {region} ({year}, {count} departments)"},
    "mu_standing_caption": {"zh": "百分位 = 本部门不差于的部门所占比例（含本部门）；结转结余率和预决算差异率越低越好。",
                            "en": "Percentile = share of departments this one is at least as good as (itself "
                                  "included); for the carry-over and difference rates lower is better."},
    "mu_measures_heading": {"zh": "总分、一级指标与比率", "en": "Total, level-1 scores and rates"},
    "mu_gap_to_mean": {"zh": "与本地区均值差", "en": "Gap to regional mean"},
    "mu_indicators_heading": {"zh": "各项指标得分", "en": "Indicator scores"},
    "mu_measure": {"zh": "指标", "en": "Measure"},
    "mu_value": {"zh": "本部门", "en": "This department"},
    "mu_percentile": {"zh": "百分位", "en": "Percentile"},
    "mu_distribution_heading": {"zh": "分布", "en": "Distributions"},
    "mu_distribution_measure": {"zh": "查看分布的指标", "en": "Measure to show"},
    "mu_distribution_title": {"zh": "{measure}：本地区各部门分布（{department} 高亮）",
                              "en": "{measure}: distribution across the region's departments ({department} highlighted)"},
    "mu_indicator_distribution_title": {"zh": "各项指标得分率分布（◆ 为 {department}）",
                                        "en": "Scoring rate of each indicator (◆ {department})"},
    "mu_all_departments": {"zh": "本地区各部门", "en": "All departments"},
    "mu_mean": {"zh": "本地区均值", "en": "Regional mean"},
    "mu_median": {"zh": "本地区中位数", "en": "Regional median"},
    "mu_peer_heading": {"zh": "同类部门比较：{category}（{count} 个部门）",
                        "en": "Peers in the same category: {category} ({count} departments)"},
    "mu_no_category": {"zh": "{department} 未登记部门类别，无法进行同类比较。",
                       "en": "{department} has no category recorded, so it cannot be compared with peers."},
    "mu_peer_title": {"zh": "{category}：同类部门总分", "en": "{category}: totals of the peer departments"},
    "mu_peer_mean": {"zh": "同类均值", "en": "Peer mean"},
    "mu_peer_rank": {"zh": "同类排名", "en": "Peer rank"},
    "mu_municipal_rank": {"zh": "本地区排名", "en": "Region rank"},
    "mu_peer_difference": {"zh": "同类均值 − 本地区均值", "en": "Peer mean − regional mean"},
    "mu_no_department": {"zh": "{year} 年没有可对比的部门。", "en": "No departments to compare in {year}."},

    # -- the cross-framework view --------------------------------------------------------------------
    "page_cross_framework": {"zh": "跨框架对比", "en": "Cross-framework"},
    "xf_regions_folded": {"zh": "{count} 个地区", "en": "{count} regions"},
    "xf_folded_note": {"zh": "本年度有 {groups} 组（指标体系 × 地区），超过 {limit} 组：每个指标体系的各地区已合并为一组，"
                             "图表和表格给出各体系在全部地区的分布。",
                       "en": "This year holds {groups} groups (framework × region), more than {limit}: each framework's "
                             "regions are folded into one group, and the charts and tables give each framework's "
                             "distribution over all its regions."},
    "xf_intro": {"zh": "{year} 年各指标体系（按地区）的评价并列展示。只比较可比的内容：百分制总分、等级和共有概念（如预算执行率）；"
                       "排名、均值和分位数都在各自体系内计算，从不混合。",
                 "en": "{year}: the evaluations of each framework (by region) side by side. Only what compares is "
                       "compared: totals out of 100, grades and shared concepts (such as the budget execution "
                       "rate); ranks, means and percentiles are each taken within one framework, never across."},
    "xf_comparable_heading": {"zh": "哪些可比，哪些不可比", "en": "What compares and what does not"},
    "xf_trees": {"zh": "指标树不同：{trees}。一级、二级、三级指标得分及其排名只在同一体系内有意义，此处不作比较。",
                 "en": "The indicator trees differ: {trees}. Level-1, level-2 and level-3 scores and their ranks "
                       "mean something only within one framework and are not compared here."},
    "xf_tree": {"zh": "{name} 有 {count} 个一级指标", "en": "{name} has {count} level-1 indicators"},
    "xf_open": {"zh": "{name} 的三级指标由各部门自行设定", "en": "{name}'s level-3 indicators are set by each department"},
    "xf_totals_comparable": {"zh": "总分均为百分制，可以并列比较分布；但各体系的计分规则不同，相同总分不代表相同表现。",
                             "en": "Every total is out of 100, so the distributions can stand side by side; the "
                                   "scoring rules differ, so an equal total does not mean equal performance."},
    "xf_grades_comparable": {"zh": "等级按各体系自己的等级划分：{bands}。", "en": "Grades follow each framework's own bands: {bands}."},
    "xf_bands": {"zh": "{name}：{bands}", "en": "{name}: {bands}"},
    "xf_band": {"zh": "{grade} ≥ {min}", "en": "{grade} ≥ {min}"},
    "xf_separator": {"zh": "；", "en": "; "},
    "xf_list_separator": {"zh": "、", "en": ", "},
    "xf_concepts_shared": {"zh": "共有概念可比：{concepts}。", "en": "Shared concepts compare: {concepts}."},
    "xf_concepts_none": {"zh": "各体系没有共有的比率概念。", "en": "The frameworks share no rate concept."},
    "xf_concepts_partial": {"zh": "仅部分体系具有、不作比较：{concepts}。",
                            "en": "Held by some frameworks only, so not compared: {concepts}."},
    "xf_single_group": {"zh": "{year} 年只有一个指标体系（地区）的评价，没有可并列对比的对象；请选择其他年度。",
                        "en": "{year} holds evaluations of one framework (region) only, so there is nothing to set "
                              "beside it; choose another year."},
    "xf_totals_heading": {"zh": "总分分布（百分制）", "en": "Distribution of totals (out of 100)"},
    "xf_totals_caption": {"zh": "箱线为四分位，虚线为均值，每个点为一个部门；悬停可见部门名称。",
                          "en": "Boxes show the quartiles, the dashed line the mean, each point a department; hover "
                                "for its name."},
    "xf_total_axis": {"zh": "总分（百分制）", "en": "Total (out of 100)"},
    "xf_grades_heading": {"zh": "等级构成（按各体系自己的等级）", "en": "Grade shares (in each framework's own bands)"},
    "xf_share_axis": {"zh": "占本体系评价的比例", "en": "Share of the framework's evaluations"},
    "xf_concepts_heading": {"zh": "共有概念", "en": "Shared concepts"},
    "xf_group": {"zh": "指标体系 · 地区", "en": "Framework · region"},
    "xf_count": {"zh": "评价数", "en": "Evaluations"},
    "xf_mean": {"zh": "均值", "en": "Mean"},
    "xf_median": {"zh": "中位数", "en": "Median"},
    "xf_q1": {"zh": "下四分位", "en": "Lower quartile"},
    "xf_q3": {"zh": "上四分位", "en": "Upper quartile"},
    "xf_min": {"zh": "最低", "en": "Lowest"},
    "xf_max": {"zh": "最高", "en": "Highest"},
    "xf_concept": {"zh": "概念", "en": "Concept"},
    "xf_share": {"zh": "占比（%）", "en": "Share (%)"},
    "xf_min_score": {"zh": "总分下限", "en": "Lowest total"},
}

# -- the cross-framework view: two regions over the years ----------------------------------------------
TEXT.update({
    "xr_heading": {"zh": "两地区逐年对比", "en": "Two regions over the years"},
    "xr_second_region": {"zh": "对比地区", "en": "Region to compare with"},
    "xr_single_region": {"zh": "数据库中只有一个地区，没有可逐年对比的第二个地区。",
                         "en": "The database holds one region only: there is no second region to compare with."},
    "xr_intro": {"zh": "{first}（侧栏所选地区）与{second}逐年对比。每条线是一个地区在一个指标体系下的评价；"
                       "某年一个地区的评价分属两个体系时，按体系各画一条线，从不混合计算。",
                 "en": "{first} (the region chosen in the sidebar) against {second}, year by year. Each line is one "
                       "region's evaluations on one framework; a region-year whose evaluations are on two "
                       "frameworks shows one line per framework, never one mixed figure."},
    "xr_compares": {"zh": "逐年可比：百分制总分的均值和中位数、各自体系等级标准下的等级占比、共有概念（{concepts}）。",
                    "en": "What compares year by year: the mean and median total out of 100, the grade shares in "
                          "each framework's own bands, and the shared concepts ({concepts})."},
    "xr_no_concepts": {"zh": "无", "en": "none"},
    "xr_one_tree": {"zh": "两地区使用同一指标体系（{name}），但一级指标得分在此只作为体系内部的结构，不作地区间比较。",
                    "en": "Both regions are on one framework ({name}); level-1 scores are still not compared here."},
    "xr_changes": {"zh": "虚线标出地区指标体系（或版本）变更的年份：{changes}。变更前后只比较总分、等级占比和共有概念。",
                   "en": "The dotted lines mark the years a region's framework (or its version) changed: {changes}. "
                         "Across a change only totals, grade shares and shared concepts compare."},
    "xr_change": {"zh": "{region} {year} 年由“{before}”改为“{after}”",
                  "en": "{region} in {year}, from “{before}” to “{after}”"},
    "xr_no_change": {"zh": "所示年份内两地区的指标体系均未变更。",
                     "en": "Neither region changed framework in the years shown."},
    "xr_changed_mark": {"zh": "{regions} 体系变更", "en": "{regions}: framework changed"},
    "xr_totals_title": {"zh": "总分均值（实线）与中位数（虚线）", "en": "Mean (solid) and median (dashed) total"},
    "xr_grades_title": {"zh": "等级占比（按各自体系的等级，%）", "en": "Grade shares (each framework's own bands, %)"},
    "xr_concepts_title": {"zh": "共有概念（均值）", "en": "Shared concepts (mean)"},
    "xr_mean_of": {"zh": "{label} 均值", "en": "{label} mean"},
    "xr_median_of": {"zh": "{label} 中位数", "en": "{label} median"},
    "xr_band_title": {"zh": "第 {place} 档：{bands}", "en": "Band {place}: {bands}"},
    "xr_concept_mean": {"zh": "{concept} 均值", "en": "{concept}: mean"},
})
