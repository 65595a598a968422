"""Strings of the what-if studio, goal seek and rule-change scenarios."""

TEXT = {
    "input_spent_total": {"zh": "执行数", "en": "spending"},
    "input_carryover_amount": {"zh": "结转结余", "en": "carry-over"},
    "input_final_account_total": {"zh": "决算数", "en": "final account"},
    "goal_grade": {"zh": "“{grade}”（{minimum:.2f} 分）", "en": "'{grade}' ({minimum:.2f} points)"},
    "goal_score": {"zh": "{score:.2f} 分", "en": "{score:.2f} points"},
    "goal_rank": {"zh": "上一名的 {score:.2f} 分", "en": "the {score:.2f} of the department ranked above"},
    "seek_already": {"zh": "已达到{goal}：当前总分 {total:.2f}。",
                     "en": "Already at {goal}: the total is {total:.2f}."},
    "seek_spent_total": {
        "zh": "执行数至少 {value:,.2f} 万元（执行率 {rate:.2f}%），总分 {total:.2f}，达到{goal}。",
        "en": "Spending of at least {value:,.2f} (10k yuan; execution rate {rate:.2f} %) gives a total of "
              "{total:.2f}, reaching {goal}."},
    "seek_carryover_amount": {
        "zh": "结转结余不超过 {value:,.2f} 万元（结转结余率 {rate:.2f}%），总分 {total:.2f}，达到{goal}。",
        "en": "A carry-over of at most {value:,.2f} (10k yuan; rate {rate:.2f} %) gives a total of {total:.2f}, "
              "reaching {goal}."},
    "seek_final_account_total": {
        "zh": "决算数不超过 {value:,.2f} 万元（预决算差异率 {rate:.2f}%），总分 {total:.2f}，达到{goal}。",
        "en": "A final account of at most {value:,.2f} (10k yuan; difference rate {rate:.2f} %) gives a total of "
              "{total:.2f}, reaching {goal}."},
    "seek_unreachable": {
        "zh": "仅调整{input}无法达到{goal}：该项最好情况下总分 {best:.2f}，仍差 {short:.2f} 分。",
        "en": "Changing {input} alone cannot reach {goal}: at best the total is {best:.2f}, {short:.2f} points "
              "short."},
    "seek_unchanged": {
        "zh": "{input}保持实际的 {value:,.2f} 万元即可达到{goal}，总分 {total:.2f}，不必改动{input}。",
        "en": "Keeping the {input} at its actual {value:,.2f} (10k yuan) reaches {goal} with a total of {total:.2f}: "
              "no change to the {input} is needed."},
    "seek_rule_gain": {
        "zh": "其中 {points:+.2f} 分来自按评分规则为“{name}”计分（规则 {rule:.2f} 分，报告 {reported:.2f} 分），"
              "并非来自{input}本身。",
        "en": "Of this, {points:+.2f} comes from scoring {name} by its rule ({rule:.2f}) instead of the reported "
              "{reported:.2f}, not from the {input} itself."},
    "seek_room": {"zh": "其余指标尚可争取：{items}。", "en": "Points still available elsewhere: {items}."},
    "seek_no_room": {"zh": "其余指标已无可争取的分数。", "en": "No other indicator has points left to gain."},
    "max_carryover": {
        "zh": "结转结余不超过 {amount:,.2f} 万元（结转结余率 {rate:.2f}%，上年为 {previous:.2f}%）时，结转结余率指标得满分；"
              "目前为 {current:,.2f} 万元。",
        "en": "A carry-over of at most {amount:,.2f} (10k yuan; rate {rate:.2f} %, last year's {previous:.2f} %) keeps "
              "full marks on the carry-over rate; it is now {current:,.2f}."},
    "max_carryover_na": {"zh": "缺少上年结转结余率，无法计算结转结余上限。",
                         "en": "Without last year's carry-over rate the carry-over limit cannot be computed."},
    "diff_no_loss": {
        "zh": "部门预决算差异率不高于 {rate:.2f}%（市级平均 {average:.2f}% 加不足 10 个百分点），即决算数不超过 "
              "{final:,.2f} 万元时，该指标不扣分。",
        "en": "At a difference rate of at most {rate:.2f} % (the municipal average {average:.2f} % plus less than "
              "10 points), i.e. a final account of at most {final:,.2f} (10k yuan), no points are lost."},
    "diff_no_loss_na": {"zh": "缺少市级平均差异率或年初预算数，无法计算。",
                        "en": "Without the municipal average or the initial budget this cannot be computed."},
    "top_grade": {"zh": "已是最高等级。", "en": "Already in the top grade."},
    "top_rank": {"zh": "已是第一名。", "en": "Already ranked first."},
    # goal seek on any framework (analytics.seek_text)
    "seek_input_more": {"zh": "{input}至少 {value}，总分 {total:.2f}，达到{goal}。",
                        "en": "{input} of at least {value} gives a total of {total:.2f}, reaching {goal}."},
    "seek_input_less": {"zh": "{input}不超过 {value}，总分 {total:.2f}，达到{goal}。",
                        "en": "{input} of at most {value} gives a total of {total:.2f}, reaching {goal}."},
    "seek_input_at": {"zh": "{input}为 {value} 时总分 {total:.2f}，达到{goal}。",
                      "en": "With {input} at {value} the total is {total:.2f}, reaching {goal}."},
    "seek_input_scanned": {"zh": "（该项对总分的影响并非单向，答案由抽样后二分求得。）",
                           "en": "(This input does not move the total one way only: the answer was found by "
                                 "sampling its range, then bisection.)"},
    "seek_rule_gain_leaves": {
        "zh": "其中 {points:+.2f} 分来自按评分规则为{names}计分（报告分与规则分不一致），并非来自{input}本身。",
        "en": "Of this, {points:+.2f} comes from scoring {names} by the rule where the report disagrees with it, "
              "not from {input} itself."},
    "seek_field_failed": {"zh": "{name}未通过项数", "en": "failed checks of {name}"},
    "seek_field_given": {"zh": "{name}得分", "en": "the score of {name}"},
    "seek_field_coefficient": {"zh": "{name}得分系数", "en": "the score coefficient of {name}"},
    "seek_field_actual": {"zh": "{name}实际完成值", "en": "the actual value of {name}"},
    "seek_unit_wan_yuan": {"zh": "万元", "en": "(10k yuan)"},
    "seek_unit_checks": {"zh": "项", "en": "checks"},
    "seek_unit_points": {"zh": "分", "en": "points"},
    "seek_unit_month": {"zh": "月", "en": "(month)"},
    "seek_error_unknown_input": {"zh": "“{input}”不是该评价的数值输入。可选：{inputs}",
                                 "en": "'{input}' is not a numeric input of this evaluation. Inputs: {inputs}"},
    "seek_error_unknown_grade": {"zh": "该评价体系没有“{grade}”等级。可选：{grades}",
                                 "en": "The framework has no grade '{grade}'. Grades: {grades}"},
    "seek_error_bad_value": {"zh": "“{input}”不能取 {value}。", "en": "'{input}' cannot be {value}."},
}
