"""The shared vocabulary: figures rules read (with units) and concepts that compare frameworks.

A framework may declare further figures of its own (``figures`` in its data file); a rule that
names a figure in neither place is an authoring error.
"""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Figure:
    code: str
    unit: str                  # 万元, %, 人, 个 …
    zh: str
    en: str
    scope: str = "evaluation"  # "evaluation": one department-year; "year": a published year parameter


FIGURES: dict[str, Figure] = {f.code: f for f in (
    Figure("budget_total", "万元", "全年预算数", "Full-year budget"),
    Figure("spent_total", "万元", "全年执行数", "Spending"),
    Figure("initial_budget_total", "万元", "年初预算数", "Initial budget"),
    Figure("final_account_total", "万元", "决算数", "Final account"),
    Figure("carryover_amount", "万元", "结转结余总额", "Carry-over amount"),
    Figure("carryover_rate_prev", "%", "上年结转结余率", "Last year's carry-over rate"),
    Figure("carryover_amount_prev", "万元", "上年结转结余总额", "Last year's carry-over amount"),
    Figure("budget_adjustment_amount", "万元", "预算调剂金额", "Budget adjustments"),
    Figure("payment_progress_rate", "%", "支付进度率", "Payment progress rate"),
    Figure("staff_actual", "人", "实有在职人数", "Staff in post"),
    Figure("staff_quota", "人", "编制数", "Authorised staff"),
    Figure("three_public_spent", "万元", "“三公经费”实际支出", "'Three public' spending"),
    Figure("three_public_budget", "万元", "“三公经费”预算数", "'Three public' budget"),
    Figure("three_public_spent_prev", "万元", "上年“三公经费”支出", "Last year's 'three public' spending"),
    Figure("procurement_spent", "万元", "政府采购实际金额", "Government procurement spent"),
    Figure("procurement_budget", "万元", "政府采购预算金额", "Government procurement budget"),
    Figure("key_spending", "万元", "重点项目支出", "Key-item spending"),
    Figure("satisfaction_rate", "%", "服务对象满意度", "Service-user satisfaction"),
    Figure("municipal_avg_diff_rate", "%", "市级平均差异率", "Municipal average difference rate", "year"),
)}

# Concept codes: "the same question" asked by indicators of different frameworks.
CONCEPTS: dict[str, tuple[str, str]] = {
    "execution_rate": ("预算执行率", "Budget execution rate"),
    "carryover_rate": ("结转结余率", "Carry-over rate"),
    "carryover_change_rate": ("结转结余变动率", "Carry-over change rate"),
    "final_account_diff_rate": ("部门预决算差异率", "Budget vs final-account difference rate"),
    "budget_adjustment_rate": ("预算调整率", "Budget adjustment rate"),
    "payment_progress": ("支付进度", "Payment progress"),
    "staff_control_rate": ("在职人员控制率", "Staff control rate"),
    "three_public_change_rate": ("“三公经费”变动率", "'Three public' change rate"),
    "three_public_control_rate": ("“三公经费”控制率", "'Three public' control rate"),
    "procurement_execution_rate": ("政府采购执行率", "Procurement execution rate"),
    "key_spending_rate": ("重点支出安排率", "Key spending rate"),
    "target_setting": ("目标设定", "Target setting"),
    "budget_preparation": ("预算编制", "Budget preparation"),
    "financial_management": ("财务管理", "Financial management"),
    "asset_management": ("资产管理", "Asset management"),
    "performance_management": ("绩效管理", "Performance management"),
    "internal_control": ("内控制度", "Internal control"),
    "information_disclosure": ("信息公开", "Information disclosure"),
    "output_quantity": ("产出数量", "Output quantity"),
    "output_quality": ("产出质量", "Output quality"),
    "output_timeliness": ("产出时效", "Output timeliness"),
    "output_cost": ("产出成本", "Output cost"),
    "economic_benefit": ("经济效益", "Economic benefit"),
    "social_benefit": ("社会效益", "Social benefit"),
    "ecological_benefit": ("生态效益", "Ecological benefit"),
    "sustainability": ("可持续影响", "Sustainable impact"),
    "satisfaction": ("服务对象满意度", "Service-user satisfaction"),
}

# Grade words seen in reports, mapped to the band they name (bands list their own synonyms too).
GRADE_SYNONYMS: dict[str, tuple[str, ...]] = {
    "优秀": ("优",), "良好": ("良",), "中": ("中等", "合格", "一般"), "差": ("不合格",),
}
