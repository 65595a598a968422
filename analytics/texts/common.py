"""Strings shared by every page and export."""

TEXT = {
    "app_title": {"zh": "绩效驾驶舱", "en": "Performance Cockpit"},
    "app_subtitle": {"zh": "部门整体绩效评价分析", "en": "Department-level performance evaluation analytics"},
    "language": {"zh": "语言 / Language", "en": "Language / 语言"},
    "page_rankings": {"zh": "排名总览", "en": "Rankings"},
    "year": {"zh": "年度", "en": "Year"},
    "choose_options": {"zh": "请选择", "en": "Choose"},
    "region": {"zh": "地区", "en": "Region"},
    "rank": {"zh": "排名", "en": "Rank"},
    "department": {"zh": "部门", "en": "Department"},
    "category": {"zh": "类别", "en": "Category"},
    "total": {"zh": "总分", "en": "Total"},
    "grade": {"zh": "等级", "en": "Grade"},
    "budget_execution": {"zh": "当年预算执行情况", "en": "Budget execution"},
    "performance_targets": {"zh": "整体绩效目标实现情况", "en": "Performance targets"},
    "budget_management": {"zh": "预算管理情况", "en": "Budget management"},
    "gap_to_mean": {"zh": "与全市均值差", "en": "Gap to mean"},
    "rule_total": {"zh": "按规则计算总分", "en": "Total by the rules"},
    "source_kind": {"zh": "数据来源", "en": "Source"},
    "source_report": {"zh": "真实报告", "en": "Real report"},
    "source_import": {"zh": "导入", "en": "Imported"},
    "source_synthetic": {"zh": "合成演示数据", "en": "Synthetic demo data"},
    "synthetic_notice": {
        "zh": "⚠️ 本视图包含合成演示数据（{count} 条评价），并非真实评价结果；真实数据仅为北京市商务局 2022 年度报告。",
        "en": "⚠️ This view includes synthetic demo data ({count} evaluations), not real evaluation results; "
              "the only real data is the Beijing Municipal Commerce Bureau's 2022 report."},
    "no_database": {"zh": "尚无数据库：请运行 `make run` 或 `python -m analytics init-db --demo`。",
                    "en": "No database yet: run `make run` or `python -m analytics init-db --demo`."},
    "no_evaluations": {"zh": "数据库中还没有评价数据：请在“数据管理”页导入，或运行 `python -m analytics init-db --demo`。",
                       "en": "The database holds no evaluations yet: import some on the Data page, or run "
                             "`python -m analytics init-db --demo`."},
    "no_data_year": {"zh": "{year} 年没有评价数据。", "en": "No evaluations for {year}."},
    "ranking_caption": {"zh": "{region} {year} 年度部门整体绩效评价排名（按报告得分）",
                        "en": "{region} {year}: department ranking by reported score"},
}

TEXT.update({
    "grade_优秀": {"zh": "优秀", "en": "Excellent"},
    "grade_良好": {"zh": "良好", "en": "Good"},
    "grade_中": {"zh": "中", "en": "Fair"},
    "grade_差": {"zh": "差", "en": "Poor"},
    "download_csv": {"zh": "下载 CSV", "en": "Download CSV"},
    "download_xlsx": {"zh": "下载 Excel", "en": "Download Excel"},
    "data_source": {"zh": "数据性质", "en": "Data"},
    "export_notice_sheet": {"zh": "说明", "en": "Notes"},
    "export_synthetic_note": {"zh": "本表包含合成演示数据（数据性质列标注为“合成演示数据”的行），并非真实评价结果。",
                              "en": "This table includes synthetic demo data (rows marked 'Synthetic demo data' "
                                    "in the Data column), not real evaluation results."},
    "export_real_note": {"zh": "本表数据均来自真实报告或导入文件。", "en": "All rows come from real reports or imported files."},
    "mean": {"zh": "全市均值", "en": "Municipal mean"},
    "category_综合管理": {"zh": "综合管理", "en": "General administration"},
    "category_经济发展": {"zh": "经济发展", "en": "Economic development"},
    "category_社会事业": {"zh": "社会事业", "en": "Social services"},
    "category_城市建设与管理": {"zh": "城市建设与管理", "en": "Urban construction and management"},
    "category_政法": {"zh": "政法", "en": "Law and public security"},
    "category_资源环境": {"zh": "资源环境", "en": "Resources and environment"},
    "building": {"zh": "正在生成……", "en": "Building…"},
    "median": {"zh": "全市中位数", "en": "Municipal median"},
})

TEXT.update({
    "page_department": {"zh": "部门详情", "en": "Department"},
    "page_trends": {"zh": "趋势", "en": "Trends"},
    "page_municipal": {"zh": "全市对比", "en": "Municipal comparison"},
    "page_method": {"zh": "数据与方法", "en": "Data & method"},
    "page_whatif": {"zh": "情景模拟", "en": "What-if"},
    "page_rule_change": {"zh": "规则调整模拟", "en": "Rule-change scenarios"},
})
