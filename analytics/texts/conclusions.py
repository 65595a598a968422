"""Official-style sentences of the written conclusion (评价结论), one template per statement."""

TEXT = {
    "c_synthetic": {"zh": "（本结论基于合成演示数据，并非真实评价结果。）",
                    "en": "(This conclusion is based on synthetic demo data, not a real evaluation.)"},
    "c_synthetic_peers": {"zh": "（排名、平均分及上年比较所用数据含合成演示数据。）",
                          "en": "(The ranking, the mean and last year's figures include synthetic demo data.)"},
    "c_score": {"zh": "{department}{year}年度部门整体绩效评价得分为{total:.2f}分，评价等级为“{grade}”。",
                "en": "{department} scored {total:.2f} in the {year} department-level performance evaluation, "
                      "graded '{grade}'."},
    "c_rank_above": {"zh": "在{region}同一评价体系的{count}个部门中排名第{rank}位，高于平均分（{mean:.2f}分）{gap:.2f}分。",
                     "en": "It ranks {rank} of the {count} departments of {region} on the same framework, {gap:.2f} "
                           "points above their mean ({mean:.2f})."},
    "c_rank_below": {"zh": "在{region}同一评价体系的{count}个部门中排名第{rank}位，低于平均分（{mean:.2f}分）{gap:.2f}分。",
                     "en": "It ranks {rank} of the {count} departments of {region} on the same framework, {gap:.2f} "
                           "points below their mean ({mean:.2f})."},
    "c_rank_equal": {"zh": "在{region}同一评价体系的{count}个部门中排名第{rank}位，与平均分（{mean:.2f}分）持平。",
                     "en": "It ranks {rank} of the {count} departments of {region} on the same framework, level with "
                           "their mean ({mean:.2f})."},
    "c_change_up": {"zh": "较上年（{previous:.2f}分，第{previous_rank}位）提高{change:.2f}分，{rank_text}。",
                    "en": "Compared with last year ({previous:.2f}, rank {previous_rank}) the score rose by "
                          "{change:.2f} points; {rank_text}."},
    "c_change_down": {"zh": "较上年（{previous:.2f}分，第{previous_rank}位）下降{change:.2f}分，{rank_text}。",
                      "en": "Compared with last year ({previous:.2f}, rank {previous_rank}) the score fell by "
                            "{change:.2f} points; {rank_text}."},
    "c_change_same": {"zh": "与上年（{previous:.2f}分，第{previous_rank}位）得分相同，{rank_text}。",
                      "en": "The score equals last year's ({previous:.2f}, rank {previous_rank}); {rank_text}."},
    "c_rank_up": {"zh": "排名上升{places}位", "en": "the rank rose by {places} places"},
    "c_rank_down": {"zh": "排名下降{places}位", "en": "the rank fell by {places} places"},
    "c_rank_same": {"zh": "排名不变", "en": "the rank is unchanged"},
    "c_no_previous": {"zh": "上年无评价数据，无法比较变化。", "en": "There is no evaluation for the previous year to compare with."},
    "c_losses": {"zh": "失分主要集中在：{items}。", "en": "Most points were lost on: {items}."},
    "c_loss_item": {"zh": "{name}（得{score:.2f}分，失{lost:.2f}分）", "en": "{name} ({score:.2f}, {lost:.2f} lost)"},
    "c_no_losses": {"zh": "各项指标均获满分。", "en": "Every indicator received full marks."},
    "c_disagreement": {
        "zh": "经按评分标准复核，{name}报告得分{reported:.2f}分，按规则计算为{rule:.2f}分（{difference:+.2f}分）；"
              "若采用规则得分，总分为{total:.2f}分。",
        "en": "Rechecked against the scoring rules, {name} was reported at {reported:.2f} while the rule gives "
              "{rule:.2f} ({difference:+.2f}); with the rule's score the total would be {total:.2f}."},
    "c_advice": {"zh": "改进建议：{items}", "en": "Improvement points: {items}"},
    "c_advice_ratio": {"zh": "加快预算执行进度，提高预算执行率（本年为{rate:.2f}%）",
                       "en": "speed up budget execution (the execution rate was {rate:.2f} %)"},
    "c_advice_carryover": {"zh": "加大结转结余资金清理力度，使结转结余率（本年为{rate:.2f}%）不高于上年（{previous:.2f}%）",
                           "en": "clear carry-over funds so that the carry-over rate ({rate:.2f} %) is not above last "
                                 "year's ({previous:.2f} %)"},
    "c_advice_diff_rate": {"zh": "提高年初预算编制的准确性，缩小预决算差异（本年差异率{rate:.2f}%，市级平均{average:.2f}%）",
                           "en": "budget more accurately at the start of the year to narrow the difference between "
                                 "budget and final account ({rate:.2f} % against the municipal average {average:.2f} %)"},
    "c_advice_checklist": {"zh": "完善{name}相关制度与执行（{failed}项不合格）",
                           "en": "strengthen {name} ({failed} failed checks)"},
    "c_advice_target": {"zh": "推进{name}达到年度指标值", "en": "bring {name} up to its annual target"},
    "c_advice_judged": {"zh": "加强{name}相关工作，提升绩效目标实现程度", "en": "improve {name} against the performance targets"},
    "c_shortfall": {"zh": "{name}年度指标值为{target}，实际完成{actual}，偏差原因为“{reason}”。",
                    "en": "{name}: target {target}, actual {actual}; the reason given for the shortfall: “{reason}”."},
    "c_shortfall_no_reason": {"zh": "{name}年度指标值为{target}，实际完成{actual}，未填写偏差原因。",
                              "en": "{name}: target {target}, actual {actual}; no reason was given for the shortfall."},
    "c_shortfall_more": {"zh": "此外，以下指标亦未达到年度指标值：{names}。",
                         "en": "These indicators also fell short of their targets: {names}."},
}
