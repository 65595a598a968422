"""Strings of the data-and-method page, including the rule descriptions in words (analytics.catalog)."""

TEXT = {
    "me_data_heading": {"zh": "哪些数据是真实的，哪些是合成的", "en": "Which data is real and which is synthetic"},
    "me_real_evaluations": {"zh": "真实评价", "en": "Real evaluations"},
    "me_synthetic_evaluations": {"zh": "合成评价", "en": "Synthetic evaluations"},
    "me_departments": {"zh": "部门", "en": "Departments"},
    "me_evaluations": {"zh": "评价数", "en": "Evaluations"},
    "me_department_count": {"zh": "部门数", "en": "Departments"},
    "me_first_year": {"zh": "起始年度", "en": "First year"},
    "me_last_year": {"zh": "截止年度", "en": "Last year"},
    "me_overview_title": {"zh": "按数据来源统计", "en": "By source"},
    "me_by_year_title": {"zh": "按年度与数据来源统计", "en": "By year and source"},
    "me_files_title": {"zh": "真实数据的源文件", "en": "Source files of the real data"},
    "me_source_file": {"zh": "源文件", "en": "Source file"},
    "me_sha256": {"zh": "SHA-256", "en": "SHA-256"},
    "me_loaded_at": {"zh": "导入时间", "en": "Loaded at"},
    "me_no_files": {"zh": "数据库中没有来自真实报告或导入文件的评价。",
                    "en": "The database holds no evaluation from a real report or an imported file."},
    "me_generator_title": {"zh": "合成数据如何生成", "en": "How the synthetic data is made"},
    "me_generator_note": {
        "zh": "合成演示数据由 `analytics.synthetic` 以固定随机种子 **{seed}** 生成（构建时间 {built_at}），"
              "可完全复现。它生成看似合理的输入：预算执行率 70–99%，结转结余率约 1–30%，预决算差异率 0–120%，"
              "检查项很少不合格，定性指标多为满分；再用与真实报告相同的评分引擎计分。约 4% 的合成评价在结转结余率上"
              "被给为 0 分（与规则得分不一致），以再现真实报告中的这一差异。每个合成部门、评价和年度参数在数据库、"
              "每个视图和每个导出中都带有“合成演示数据”标记。",
        "en": "The synthetic demo data is made by `analytics.synthetic` with the fixed random seed **{seed}** "
              "(built {built_at}), so it is fully reproducible. It produces plausible inputs: execution rates "
              "70–99%, carry-over rates about 1–30%, difference rates 0–120%, rare checklist failures, "
              "qualitative scores mostly at full marks, and scores them with the same engine as the real report. "
              "About 4% of synthetic evaluations get 0 on the carry-over rate although the rule gives more, "
              "reproducing the disagreement the real report shows. Every synthetic department, evaluation and "
              "year parameter is marked as such in the database, in every view and in every export."},
    "me_county_note": {
        "zh": "合成县 **{county}**（全国通用的部门整体支出绩效自评表格式）由 `analytics.domain.synthetic_county` "
              "以随机种子 **{seed}** 生成：{departments} 个部门，{first_year}–{last_year} 年。每个部门按其类型自设"
              "三级指标（数量、质量、时效、成本、效益、满意度）及年度指标值，分值合计 90，另加预算执行率 10 分；"
              "部门的潜在绩效逐年相关，决定执行率、指标完成程度、定性等级和满意度；每项指标的报告得分即按规则"
              "计算的得分（一份按规则自评的自评表）。",
        "en": "The synthetic county **{county}** (the national self-evaluation layout) is made by "
              "`analytics.domain.synthetic_county` with the random seed **{seed}**: {departments} departments, "
              "{first_year}–{last_year}. Each department sets its own level-3 indicators by its type (quantity, "
              "quality, timeliness, cost, benefits, satisfaction) with yearly targets, weighted 90 in all, plus "
              "10 for the budget execution rate; a department's latent performance carries over from year to "
              "year and drives its execution rate, how far it reaches its targets, its qualitative grades and "
              "satisfaction; every indicator's reported score is the rule's score (a self-evaluation that "
              "applied the rules)."},
    "me_no_generator": {"zh": "本数据库不含合成数据。", "en": "This database holds no synthetic data."},

    "me_framework_heading": {"zh": "评价指标体系：{name}", "en": "Evaluation framework: {name}"},
    "me_framework_caption": {"zh": "来源：{source}　·　指标体系文件 SHA-256：{sha256}",
                             "en": "Source: {source}  ·  framework file SHA-256: {sha256}"},
    "me_no_framework": {"zh": "数据库中还没有指标体系。", "en": "The database holds no framework yet."},
    "me_tree_title": {"zh": "指标树（一级 > 二级 > 三级）、分值与评分规则",
                      "en": "Indicator tree (level 1 > level 2 > level 3), weights and scoring rules"},
    "me_named_weight": {"zh": "{name}（{weight}）", "en": "{name} ({weight})"},
    "me_level1": {"zh": "一级指标", "en": "Level 1"},
    "me_level2": {"zh": "二级指标", "en": "Level 2"},
    "me_level3": {"zh": "三级指标", "en": "Level 3"},
    "me_weight": {"zh": "分值", "en": "Weight"},
    "me_weight_own": {"zh": "自定", "en": "own"},
    "me_rule_line": {"zh": "**{indicator}**（{weight} 分 · {kind}）：{text}",
                     "en": "**{indicator}** ({weight} · {kind}): {text}"},
    "me_rule_line_open": {"zh": "**{indicator}**（{kind}）：{text}", "en": "**{indicator}** ({kind}): {text}"},
    "me_formula_then_rule": {"zh": "指标体系文件写作：{formula}。按规则参数：{rule}",
                             "en": "Framework file: {formula}. From the rule's parameters: {rule}"},
    "me_rule_kind": {"zh": "规则类型", "en": "Rule kind"},
    "me_formula": {"zh": "公式（指标体系文件）", "en": "Formula (framework file)"},
    "me_rule_words": {"zh": "规则说明", "en": "Rules in words"},
    "me_kind_ratio": {"zh": "比率法", "en": "Ratio"},
    "me_kind_checklist": {"zh": "逐项核查扣分", "en": "Checklist deduction"},
    "me_kind_deduction": {"zh": "超限扣分", "en": "Deduction over a limit"},
    "me_kind_target": {"zh": "目标值比较", "en": "Target comparison"},
    "me_kind_qualitative": {"zh": "定性分级", "en": "Qualitative grades"},
    "me_kind_bands": {"zh": "分档计分", "en": "Stepped bands"},
    "me_kind_either_or": {"zh": "二者择一", "en": "Either-or"},
    "me_kind_coefficient": {"zh": "得分系数", "en": "Score coefficient"},
    "me_kind_open": {"zh": "各部门自设指标", "en": "Department's own indicators"},
    "me_kind_judged": {"zh": "定性评判", "en": "Judged"},
    "me_rule_ratio": {"zh": "得分 = min(实际值 / 目标值, 1) × {weight}（{direction}）；比率先截取到两位小数再计分。",
                      "en": "score = min(actual / target, 1) × {weight} ({direction}); the rate is cut to 2 "
                            "decimals before scoring."},
    "me_direction_positive": {"zh": "正向指标", "en": "a positive indicator"},
    "me_direction_reverse": {"zh": "逆向指标，改用 目标值 / 实际值", "en": "a reverse indicator, using target / actual"},
    "me_rule_over_target": {"zh": "目标设定过低时按超出比例 r = (实际值 − 目标值) / 目标值 扣分：{tiers}。",
                            "en": " When the target was set too low, with r = (actual − target) / target: {tiers}."},
    "me_separator": {"zh": "；", "en": "; "},
    "me_tier": {"zh": "r ≥ {start}% 扣分值的 {share}%", "en": "r ≥ {start}% deducts {share}% of the weight"},
    "me_rule_checklist": {"zh": "从 {weight} 分起，{count} 个检查项中每项不符合扣 {deduction} 分，扣完为止（检查项见下表）。",
                          "en": "Start from {weight}; deduct {deduction} for each of the {count} checks that fails, "
                                "floor 0 (the checks are listed below)."},
    "me_rule_deduction": {"zh": "{measure}不{side}于{limit}的不扣分，{step}扣 {per} 分（{reading}），扣完为止（满分 {weight}）。",
                          "en": "{measure}: no deduction when not {side} {limit}; {per} for {step} ({reading}), "
                                "floor 0 (out of {weight})."},
    "me_side_above": {"zh": "高", "en": "above"},
    "me_side_below": {"zh": "低", "en": "below"},
    "me_deduction_per_point": {"zh": "每{side}出 1 个百分点", "en": "each percentage point {side}"},
    "me_deduction_full_steps": {"zh": "每{side}出 {step} 个百分点（含）", "en": "each full {step} points {side}"},
    "me_reading_points": {"zh": "按百分点计", "en": "read as percentage points"},
    "me_reading_relative": {"zh": "按相对变化率计", "en": "read as relative change"},
    "me_rule_bands": {"zh": "按{measure}所在档次计分：{bands}（满分 {weight}）。",
                      "en": "scored by the band {measure} falls in: {bands} (out of {weight})."},
    "me_band": {"zh": "{low} 至 {high} 得 {score} 分", "en": "{low} to {high} scores {score}"},
    "me_rule_either_or_better": {"zh": "以下方式中取得分较高者：{options}", "en": "the better of: {options}"},
    "me_rule_either_or_named": {"zh": "按评价选定的一种方式计分：{options}", "en": "the option the evaluation names: {options}"},
    "me_rule_target": {"zh": "实际完成值达到年度指标值得满分 {weight}，未达到的按完成比例计分。",
                       "en": "full marks ({weight}) when the actual value meets the annual target, otherwise in "
                             "proportion to how much of it was reached."},
    "me_rule_qualitative": {"zh": "按达成 / 部分达成 / 未达成分级，评价人在所属档次的分值区间内打分（满分 {weight}）。",
                            "en": "graded achieved / partly achieved / not achieved; the evaluator scores within the "
                                  "grade's range (out of {weight})."},
    "me_rule_coefficient": {"zh": "得分 = 得分系数 × {weight}。", "en": "score = coefficient × {weight}."},
    "me_rule_open": {"zh": "各部门在本组下自行设定三级指标及分值（可用规则：{kinds}）。",
                     "en": "each department sets its own level-3 indicators and weights here (rule kinds: {kinds})."},
    "me_rule_judged": {"zh": "能量化的按比率法计分，否则由评价组判定；按报告给出的得分存储，不做计算（满分 {weight}）。",
                       "en": "Scored by ratio where it can be quantified, otherwise judged by the evaluators; the "
                             "given score is stored as reported, not computed (out of {weight})."},
    "me_rule_items": {"zh": "共 {items} 项，每项 {each} 分。", "en": " {items} items of {each} each."},
    "me_checks_title": {"zh": "检查项清单", "en": "Checklist items"},
    "me_check_no": {"zh": "序号", "en": "No."},
    "me_check": {"zh": "检查内容", "en": "Check"},
    "me_deduction": {"zh": "不符合时扣分", "en": "Deduction if failed"},
    "me_conventions_title": {"zh": "计分约定", "en": "Scoring conventions"},
    "me_convention_rates": {"zh": "比率截取（不四舍五入）到两位小数后再计分：251145.17 / 291435.79 = 86.1751%，"
                                  "报告记为 86.17%，得分 0.8617 × 20 = 17.23。",
                            "en": "Rates are cut (not rounded) to 2 decimals before scoring: 251145.17 / 291435.79 = "
                                  "86.1751%, which the report prints as 86.17% and scores 0.8617 × 20 = 17.23."},
    "me_convention_scores": {"zh": "得分四舍五入（逢五进位）保留两位小数：4 − 5.78 × 0.4 = 1.688 → 1.69。",
                             "en": "Scores are rounded half up to 2 decimals: 4 − 5.78 × 0.4 = 1.688 → 1.69."},
    "me_convention_side_by_side": {"zh": "报告得分与按规则计算的得分并列保存，计算结果从不覆盖报告数字；"
                                         "排名与对比使用报告得分。",
                                   "en": "Reported scores and rule scores are stored side by side; nothing computed "
                                         "overwrites a reported figure. Rankings and comparisons use the reported "
                                         "scores."},
    "me_convention_missing": {"zh": "规则无法适用时（如缺少上年结转结余率、预算为零），不给规则得分，只保留报告得分。",
                              "en": "Where a rule cannot be applied (no previous-year carry-over rate, a zero "
                                    "budget) there is no rule score; the reported score stands alone."},
    "me_params_title": {"zh": "年度参数", "en": "Year parameters"},
    "me_param": {"zh": "参数", "en": "Parameter"},
    "me_param_value": {"zh": "数值", "en": "Value"},
    "me_param_source": {"zh": "出处", "en": "Stated in"},
    "me_param_municipal_avg_diff_rate": {"zh": "市级平均差异率（%）", "en": "Municipal average difference rate (%)"},
    "me_no_params": {"zh": "数据库中没有年度参数。", "en": "The database holds no year parameters."},
    "me_grades_title": {"zh": "等级划分", "en": "Grade bands"},
    "me_range": {"zh": "总分区间", "en": "Total score"},
    "me_synonyms": {"zh": "导入时识别的同义写法", "en": "Synonyms accepted on import"},
    "me_range_top": {"zh": "总分 ≥ {low}", "en": "total ≥ {low}"},
    "me_range_band": {"zh": "{low} ≤ 总分 < {high}", "en": "{low} ≤ total < {high}"},
}
