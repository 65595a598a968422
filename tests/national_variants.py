"""National-layout reports (部门整体支出绩效自评表) written for the report parser's tests.

A report is a short narrative and the self-evaluation table in the text form extracted from Word (one
tab-indented cell per line, a blank line after each row): the budget block, then the department's own
level-3 indicators with 年度指标值, 实际完成值, 分值, 得分 and 偏差原因.  Rule scores come from the domain
engine; each indicator's printed score is the rule's unless ``printed`` says otherwise.  The same rows
can be written as a .docx table or printed to PDF (``report_pdfs.print_pdf``).
"""
from __future__ import annotations

from dataclasses import dataclass, field

from analytics.domain.evaluation import BroughtIndicator, EvaluationInputs, LeafInput
from analytics.domain.loader import TOTAL, shipped_frameworks
from analytics.domain.score_one import score_evaluation

MODEL = shipped_frameworks()["national-self-evaluation"][0]
HEADER = ("一级指标", "二级指标", "三级指标", "年度指标值", "实际完成值", "分值", "得分", "偏差原因分析及改进措施")


@dataclass(frozen=True)
class Row:
    level1: str
    group: str          # the framework's open group code
    level2: str         # as printed
    name: str
    target: str
    actual: str
    weight: float
    reason: str = ""


ROWS = (
    Row("产出指标", "output_quantity", "数量指标", "新建改扩建校舍面积", "≥5,000平方米", "5,200平方米", 15),
    Row("产出指标", "output_quantity", "数量指标", "教师培训人次", "≥800人次", "720人次", 10, "受疫情影响，培训延期"),
    Row("产出指标", "output_quality", "质量指标", "义务教育巩固率", "≥95%", "96.5%", 10),
    Row("产出指标", "output_timeliness", "时效指标", "校舍项目完工时间", "10月底前", "9月", 10),
    Row("产出指标", "output_cost", "成本指标", "生均公用经费支出", "≤1,000元", "1,050元", 10, "物价上涨"),
    Row("效益指标", "social_benefit", "社会效益指标", "教育均衡发展水平", "显著", "较显著", 10),
    Row("效益指标", "sustainability", "可持续影响指标", "办学条件持续改善", "显著", "显著", 10),
    Row("满意度指标", "satisfaction", "服务对象满意度指标", "学生及家长满意度", "≥90%", "93%", 15),
)
JUDGED = {"教育均衡发展水平": 8.5, "办学条件持续改善": 10.0}   # qualitative: the evaluator's score


@dataclass
class NationalReport:
    department: str = "示例县教育局"
    year: int = 2023
    initial_budget_total: float = 1000.0
    budget_basic: float = 450.0
    budget_project: float = 750.0
    spent_basic: float = 440.0
    spent_project: float = 710.5
    printed: dict = field(default_factory=dict)      # indicator name -> a printed score other than the rule's

    @property
    def budget_total(self) -> float:
        return round(self.budget_basic + self.budget_project, 2)

    @property
    def spent_total(self) -> float:
        return round(self.spent_basic + self.spent_project, 2)

    def inputs(self, reported: dict | None = None) -> EvaluationInputs:
        brought = tuple(BroughtIndicator(row.group, f"l3_{i}", row.name, row.weight, "target")
                        for i, row in enumerate(ROWS, 1))
        leaves = {f"l3_{i}": LeafInput(target=row.target.replace(",", ""), actual=row.actual.replace(",", ""),
                                       given=JUDGED.get(row.name)) for i, row in enumerate(ROWS, 1)}
        figures = {"budget_total": self.budget_total, "spent_total": self.spent_total}
        return EvaluationInputs(figures, leaves, reported or {}, brought)

    def expected(self) -> dict:
        """What the report states and the rules give: rule scores, printed scores, totals, grade."""
        scored = score_evaluation(MODEL, self.inputs())
        rule = {row.name: scored.nodes[f"l3_{i}"].value for i, row in enumerate(ROWS, 1)}
        printed = {name: self.printed.get(name, score) for name, score in rule.items()}
        execution = scored.nodes["execution_rate"]
        total = round(execution.value + sum(printed.values()), 2)
        grade = next(band.label for band in MODEL.grade_bands if total >= band.min)
        return {"rule": rule, "printed": printed, "execution_rate": execution.rate,
                "execution_score": execution.value, "score_total": total, "grade": grade,
                "rule_total": scored.nodes[TOTAL].value}

    def table_rows(self) -> list[list[str]]:
        exp = self.expected()
        money = [["年度预算执行情况(万元)", "年初预算数", "全年预算数", "全年执行数", "分值", "执行率", "得分"],
                 ["年度资金总额", f"{self.initial_budget_total:,.2f}", f"{self.budget_total:,.2f}",
                  f"{self.spent_total:,.2f}", "10", f"{exp['execution_rate']:.2f}%", f"{exp['execution_score']:g}"],
                 ["其中：基本支出", "", f"{self.budget_basic:,.2f}", f"{self.spent_basic:,.2f}", "——", "——", "——"],
                 ["项目支出", "", f"{self.budget_project:,.2f}", f"{self.spent_project:,.2f}", "——", "——", "——"],
                 ["年度总体目标", "预期目标", "实际完成情况"],
                 ["", "改善办学条件，提高教育质量。", "办学条件改善，教育质量稳步提高。"]]
        indicators, last = [list(HEADER)], ("", "")
        for i, row in enumerate(ROWS, 1):
            level1 = "" if row.level1 == last[0] else row.level1
            level2 = "" if (row.level1, row.level2) == last else row.level2
            last = (row.level1, row.level2)
            indicators.append([level1, level2, f"指标{i}：{row.name}", row.target, row.actual, f"{row.weight:g}",
                               f"{exp['printed'][row.name]:g}", row.reason])
        closing = [["总分", "100", f"{exp['score_total']:.2f}"], ["自评等级", exp["grade"]]]
        return [[f"{self.department}部门整体支出绩效自评表({self.year}年度)"], ["部门(单位)名称", self.department],
                *money, *indicators, *closing]

    def text(self) -> str:
        exp = self.expected()
        narrative = (f"{self.department}{self.year}年度部门整体支出绩效自评报告\n\n一、部门基本情况\n\n"
                     f"本部门负责全县教育事业。\n\n二、年度预算执行情况\n\n"
                     f"{self.year}年全年预算数{self.budget_total:,.2f}万元，全年执行数{self.spent_total:,.2f}万元，"
                     f"预算执行率{exp['execution_rate']:.2f}%。\n\n三、自评结论\n\n"
                     f"经自评，{self.department}{self.year}年度部门整体支出绩效自评得分为{exp['score_total']:.2f}分，"
                     f"自评等级为{exp['grade']}。\n\n附件：{self.year}年度部门整体支出绩效自评表\n\n")
        table = "".join("".join(f"\t{cell}\n" for cell in row) + "\n" for row in self.table_rows())
        return narrative + table
