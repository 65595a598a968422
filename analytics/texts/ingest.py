"""Validation messages of the bulk import (one per issue code) and the data page's labels."""

TEXT = {
    "v_file_too_large": {"zh": "文件超过 {limit_mb} MB 上限", "en": "the file is larger than the {limit_mb} MB limit"},
    "v_file_empty": {"zh": "文件为空", "en": "the file is empty"},
    "v_file_type": {"zh": "不支持的文件类型（请使用 .xlsx 或 .csv）", "en": "unsupported file type (use .xlsx or .csv)"},
    "v_file_unreadable": {"zh": "无法读取该文件（{reason}），可能已损坏或不是 Excel 工作簿",
                          "en": "the file cannot be read ({reason}); it may be damaged or not an Excel workbook"},
    "v_file_uncompressed_too_large": {"zh": "工作簿解压后超过 {limit_mb} MB 上限，已拒绝读取",
                                      "en": "the workbook unpacks to more than the {limit_mb} MB limit; it was not read"},
    "v_file_part_too_large": {"zh": "工作簿的结构部分（样式、工作表目录等）超过 {limit:,} 项，不是正常的 Excel 工作簿",
                              "en": "a structural part of the workbook (styles, sheet list …) has more than {limit:,} entries; "
                                    "this is not an ordinary Excel workbook"},
    "v_file_xml_dtd": {"zh": "工作簿内含 XML 文档类型声明（实体），Excel 不会写入这种内容，可能是恶意文件，已拒绝",
                       "en": "the workbook contains an XML document type declaration (entities), which Excel never writes; "
                             "it may be hostile and was refused"},
    "v_sheet_too_large": {"zh": "工作表超过 {rows:,} 行或 {columns:,} 列的上限，已拒绝读取",
                          "en": "the sheet exceeds the limit of {rows:,} rows or {columns:,} columns; it was not read"},
    "v_cell_too_long": {"zh": "单元格内容超过 {limit:,} 个字符的上限", "en": "a cell holds more than the {limit:,} character limit"},
    "v_formula_without_value": {"zh": "公式没有计算结果（文件保存前未经 Excel 计算），请在 Excel 中打开并保存后重试，或填入数值",
                                "en": "a formula without a calculated value (the file was saved without being calculated); "
                                      "open and save it in Excel, or enter the value"},
    "v_file_protected": {"zh": "文件受密码保护或为旧版 .xls 格式，请另存为无密码的 .xlsx",
                         "en": "the file is password-protected or an old .xls; save it as an unprotected .xlsx"},
    "v_file_encoding": {"zh": "CSV 文件既不是 UTF-8 也不是 GBK 编码", "en": "the CSV file is neither UTF-8 nor GBK"},
    "v_unknown_sheet": {"zh": "无法识别的工作表“{title}”（可用：部门、年度参数、评价、指标得分）",
                        "en": "unknown sheet '{title}' (known: 部门 departments, 年度参数 parameters, 评价 evaluations, 指标得分 indicator_scores)"},
    "v_missing_sheet": {"zh": "缺少工作表 {sheet}", "en": "the sheet {sheet} is missing"},
    "v_sheet_empty": {"zh": "工作表为空", "en": "the sheet is empty"},
    "v_unknown_column": {"zh": "无法识别的列", "en": "unknown column"},
    "v_duplicate_column": {"zh": "列重复", "en": "the column appears twice"},
    "v_missing_column": {"zh": "缺少必需的列", "en": "a required column is missing"},
    "v_required_value": {"zh": "必填项为空", "en": "a required value is empty"},
    "v_not_a_number": {"zh": "“{value}”不是数字", "en": "'{value}' is not a number"},
    "v_ambiguous_number": {"zh": "“{value}”的数字格式有歧义（小数点须为“.”，千位分隔符须为“,”且每三位一组）",
                           "en": "'{value}' is an ambiguous number (use '.' for decimals and ',' only between groups of three digits)"},
    "v_percent_in_amount": {"zh": "该列不是比率列，单元格却是百分比格式（{value}）", "en": "a percentage ({value}) in a column that is not a rate"},
    "v_rate_contradicts_amounts": {"zh": "填报的比率 {stated}% 与金额算出的 {computed}% 不符（{formula}，允许误差 0.01）",
                                   "en": "the stated rate {stated} % contradicts {computed} % computed from the amounts ({formula}, ±0.01)"},
    "v_amount_scale_mismatch": {"zh": "“{department}”的金额量级不一致：{first} {first_value} 与 {second} {second_value} 相差 {factor:,.0f} 倍，疑似混用“元”和“万元”",
                                "en": "the amounts of '{department}' differ in scale: {first} {first_value} against {second} {second_value}, "
                                      "{factor:,.0f} times apart; yuan and 10k yuan (万元) look mixed"},
    "v_amount_scale_history": {"zh": "“{department}”{year} 年的全年预算数 {value} 与 {other_year} 年的 {other_value} 相差 {factor:,.0f} 倍，疑似以“元”而非“万元”填报",
                               "en": "the {year} budget of '{department}', {value}, is {factor:,.0f} times apart from its {other_year} budget "
                                     "({other_value}); one of them looks like yuan, not 10k yuan (万元)"},
    "v_not_an_integer": {"zh": "{value} 不是 {low}–{high} 之间的整数", "en": "{value} is not a whole number from {low} to {high}"},
    "v_not_a_flag": {"zh": "“{value}”应为 是/否", "en": "'{value}' should be yes/no"},
    "v_negative_amount": {"zh": "金额为负数（{value}）", "en": "negative amount ({value})"},
    "v_amount_in_yuan": {"zh": "金额 {value} 过大，疑似以“元”而非“万元”填报", "en": "amount {value} is too large: it looks like yuan, not 10k yuan (万元)"},
    "v_spent_above_budget": {"zh": "执行数 {spent} 高于全年预算数 {budget}", "en": "spending {spent} is above the full-year budget {budget}"},
    "v_carryover_above_budget": {"zh": "结转结余 {carryover} 高于全年预算数 {budget}", "en": "the carry-over {carryover} is above the full-year budget {budget}"},
    "v_parts_not_sum": {"zh": "分项合计 {parts} 与总数 {total} 不符", "en": "the parts add up to {parts}, not the total {total}"},
    "v_rate_out_of_range": {"zh": "比率 {value} 超出 {low}–{high}% 范围", "en": "rate {value} is outside {low}–{high} %"},
    "v_score_out_of_range": {"zh": "得分 {value} 不在 0–{weight} 之间", "en": "score {value} is not within 0–{weight}"},
    "v_total_sum": {"zh": "总分 {total} 与各一级指标得分之和 {parts} 不符", "en": "the total {total} is not the sum of the level-1 scores, {parts}"},
    "v_node_sum": {"zh": "{node}得分 {stated} 与其下级指标得分之和 {children} 不符（允许误差 0.01）",
                   "en": "the {node_en} score {stated} is not the sum of its indicators, {children} (±0.01)"},
    "v_grade_contradicts": {"zh": "等级“{grade}”与总分 {total} 不符（应为“{expected}”）", "en": "grade '{grade}' contradicts the total {total} (expected '{expected}')"},
    "v_unknown_grade": {"zh": "无法识别的等级“{value}”（该指标体系的等级：{labels}）",
                        "en": "unknown grade '{value}' (this framework's grades: {labels})"},
    "v_parent_mismatch": {"zh": "指标“{node}”在指标体系中的上级指标是“{expected}”，不是“{value}”",
                          "en": "the indicator '{node}' belongs to '{expected}' in the framework, not '{value}'"},
    "v_kind_not_allowed": {"zh": "计分方法“{value}”不能用于该组的自带指标（可用：{allowed}）",
                           "en": "the rule kind '{value}' is not allowed for indicators brought to this group "
                                 "(allowed: {allowed})"},
    "v_bad_rule_params": {"zh": "计分参数不是有效的 JSON 对象", "en": "the rule parameters are not a valid JSON object"},
    "v_weight_mismatch": {"zh": "分值 {value} 与指标体系规定的 {expected} 不符", "en": "weight {value} differs from the framework's {expected}"},
    "v_duplicate_key": {"zh": "重复：{key}", "en": "duplicate: {key}"},
    "v_unknown_department": {"zh": "未知部门“{department}”（{region}）；如需新建，请勾选“创建新部门”（命令行：--create-departments）",
                             "en": "unknown department '{department}' ({region}); to create it, tick 'create new "
                                   "departments' (command line: --create-departments)"},
    "v_unknown_indicator": {"zh": "未知指标代码“{value}”：不是该指标体系的指标，也未填写所属的开放指标组（“上级指标”，可用：{groups}）",
                            "en": "unknown indicator code '{value}': not an indicator of the framework, and no open "
                                  "group given as its parent (groups: {groups})"},
    "v_unknown_framework": {"zh": "未知的指标体系“{value}”（可用：{held}；新的指标体系请先在“指标体系”中导入）",
                            "en": "unknown framework '{value}' (known: {held}; import a new framework first under "
                                  "'Frameworks')"},
    "v_unknown_parameter": {"zh": "未知参数“{value}”（可用：{known}）", "en": "unknown parameter '{value}' (known: {known})"},
    "v_bad_source_kind": {"zh": "数据来源“{value}”无效（可用：{allowed}）", "en": "invalid source kind '{value}' (allowed: {allowed})"},
    "v_indicator_without_evaluation": {"zh": "指标得分所属的评价（{key}）不在“评价”表中",
                                       "en": "the evaluation of this indicator row ({key}) is not in the evaluations sheet"},
    "v_nothing_to_import": {"zh": "没有可导入的行", "en": "nothing to import"},
    "issue_file": {"zh": "文件", "en": "File"},
    "issue_sheet": {"zh": "工作表", "en": "Sheet"},
    "issue_row": {"zh": "行", "en": "Row"},
    "issue_column": {"zh": "列", "en": "Column"},
    "issue_message": {"zh": "问题", "en": "Problem"},
    "issue_scope": {"zh": "影响", "en": "Blocks"},
    "issue_scope_file": {"zh": "整个导入", "en": "the whole import"},
    "issue_scope_row": {"zh": "仅该评价", "en": "this evaluation only"},
    # department names, year parameters and report conflicts (analytics.names, records, report_import)
    "v_similar_department": {
        "zh": "“{department}”（{region}）与已有部门“{existing}”几乎相同，疑似笔误，未予创建。请改用已有名称；如确为另一个部门，"
              "请同时勾选“允许相近名称”和“创建新部门”（命令行：--allow-similar-names --create-departments）",
        "en": "'{department}' ({region}) is nearly the same as the existing department '{existing}' and looks like a "
              "typo, so it was not created. Use the existing name; if it really is another department, tick 'allow "
              "similar names' and 'create new departments' (command line: --allow-similar-names "
              "--create-departments)"},
    "v_report_replace_needed": {
        "zh": "{department} {year} 年已有来自其他文件的评价（来源 {source_kind}，sha256 {sha256}…）；如需替换，请使用 --replace"
              "（页面：勾选“替换已有的真实评价”）",
        "en": "{department} {year} already has an evaluation from another file (source {source_kind}, sha256 "
              "{sha256}…); import with --replace (page: tick 'replace existing real evaluations') to replace it"},
    "v_param_conflict": {
        "zh": "报告所列{region} {year} 年市级平均差异率为 {stated}%，与已存的公布值 {stored}%（来源：{source}）不一致：保留已存值，"
              "评分按 {stored}% 计算，报告所列值仅作为报告数据保存。如需改用报告值，请使用 --replace-parameters"
              "（页面：勾选“以报告中的年度参数替换已存值”）",
        "en": "the report states a municipal average difference rate of {stated}% for {region} {year}, but the "
              "published {stored}% is stored (source: {source}): the stored value stays in force and scores use "
              "{stored}%; the report's figure is kept as reported only. To use the report's value, import with "
              "--replace-parameters (page: tick 'replace stored year parameters with the report's')"},
    "v_param_changed": {
        "zh": "{region} {year} 年{parameter}由 {old} 改为 {new}；该年读取此参数的 {count} 条评价已全部按新值重新评分",
        "en": "{parameter} for {region} {year} changed from {old} to {new}; all {count} evaluations of that year "
              "that read it are rescored with the new value"},
    "param_name_municipal_avg_diff_rate": {"zh": "市级平均差异率", "en": "the municipal average difference rate"},
    "data_allow_similar_names": {"zh": "允许相近名称（确认与已有部门名称相近的确为新部门）",
                                 "en": "Allow similar names (names close to existing departments really are new)"},
    "data_replace_parameters": {"zh": "以报告中的年度参数替换已存值",
                                "en": "Replace stored year parameters with the report's"},
    "data_similar_departments": {"zh": "与已有部门名称几乎相同（疑似笔误）：{names}",
                                 "en": "Nearly the same as existing departments (typos?): {names}"},
    "data_findings": {"zh": "导入说明", "en": "Notes on the import"},
}
