"""Hypothesis strategies for generated frameworks (random trees 2–4 deep, every rule kind) and inputs."""
from __future__ import annotations

from hypothesis import strategies as st

from analytics.domain.evaluation import BroughtIndicator, EvaluationInputs, LeafInput
from analytics.domain.rules.qualitative import NATIONAL_LEVELS

FIGURES = ["budget_total", "spent_total", "initial_budget_total", "final_account_total", "carryover_amount",
           "carryover_rate_prev", "municipal_avg_diff_rate", "staff_actual", "staff_quota"]
TARGETS = ["≥200", "≤4天", "≥95%", "11月底前", "9月前", "100%", "显著", "=50", ">10", "<3", "优秀", "≥0", "≤0", None]
ACTUALS = ["230", "3", "98%", "10月", "2023年12月", "100%", "按时完成", "0", "-5", "50", "12", 4.5, None]
LABELS = ["达成", "部分达成", "未达成", "达成年度指标", "没听说过", "\u3000部分达成\t", "", None]
SIMPLE_KINDS = ["ratio", "target", "qualitative", "bands", "deduction", "checklist", "judged", "coefficient"]

numbers = st.one_of(st.none(), st.sampled_from([0.0, 8.04, 13.82, 28.3, 100.0, 291435.79, -3.0]),
                    st.floats(-50, 1e6, allow_nan=False, allow_infinity=False))
small = st.floats(0, 120, allow_nan=False).map(lambda x: round(x, 2))


def split(total_cents: int, parts: int, draw) -> list[float]:
    cuts = sorted(draw(st.lists(st.integers(0, total_cents), min_size=parts - 1, max_size=parts - 1)))
    bounds = [0, *cuts, total_cents]
    return [(bounds[i + 1] - bounds[i]) / 100 for i in range(parts)]


@st.composite
def measure(draw):
    of = draw(st.sampled_from(["figure", "ratio", "change"]))
    names = {"figure": ["figure"], "ratio": ["numerator", "denominator"], "change": ["final", "initial"]}[of]
    return {"of": of, **{n: draw(st.sampled_from(FIGURES)) for n in names}}


@st.composite
def band_list(draw):
    edges = sorted(draw(st.lists(small, min_size=1, max_size=4, unique=True)))
    bands = [{"low": None, "high": edges[0], "high_closed": draw(st.booleans()), "score": draw(small)}]
    for low, high in zip(edges, edges[1:] + [None]):
        bands.append({"low": low, "high": high, "low_closed": draw(st.booleans()), "high_closed": draw(st.booleans()),
                      "score": draw(small)})
    return draw(st.permutations(bands)) if draw(st.booleans()) else bands


@st.composite
def rule(draw, kind: str):
    if kind == "ratio":
        tiers = [{"from": f, "share": s} for f, s in zip(draw(st.lists(st.sampled_from([100, 200, 300, 500]), max_size=3)),
                                                        draw(st.lists(st.sampled_from([0.1, 0.2, 0.3]), min_size=3)))]
        return {"kind": kind, "params": {"numerator": draw(st.sampled_from(FIGURES)),
                                         "denominator": draw(st.sampled_from(FIGURES)),
                                         "direction": draw(st.sampled_from(["positive", "reverse"])),
                                         "tiers": draw(st.permutations(tiers))}}
    if kind == "qualitative":
        return {"kind": kind, "params": {"levels": NATIONAL_LEVELS}}
    if kind == "bands":
        return {"kind": kind, "params": {"measure": draw(measure()), "bands": draw(band_list())}}
    if kind == "deduction":
        limit = draw(st.one_of(st.sampled_from(FIGURES), small))
        return {"kind": kind, "params": {"measure": draw(measure()), "limit": limit, "per": draw(st.sampled_from([0.4, 0.5, 2])),
                                         "side": draw(st.sampled_from(["above", "below"])),
                                         "reading": draw(st.sampled_from(["points", "relative"])),
                                         "mode": draw(st.sampled_from(["per_point", "full_steps"])),
                                         "step": draw(st.sampled_from([1, 5, 10]))}}
    if kind == "checklist":
        n = draw(st.integers(1, 7))
        return {"kind": kind, "params": {"deduction": draw(st.sampled_from([0.5, 0.8, 2])),
                                         "checks": [{"zh": f"检查{i}", "en": f"check {i}"} for i in range(n)]}}
    if kind == "either_or":
        kinds = draw(st.lists(st.sampled_from(["ratio", "deduction", "bands", "judged", "checklist"]), min_size=2, max_size=3))
        return {"kind": kind, "params": {"choose": draw(st.sampled_from(["better", "named"])),
                                         "options": [{"code": f"o{i}", "zh": f"选项{i}", "rule": draw(rule(k))}
                                                     for i, k in enumerate(kinds)]}}
    return {"kind": kind, "params": {}}


@st.composite
def framework(draw):
    counter = iter(range(10_000))
    kinds_used = []

    def node(depth: int, max_depth: int, weight: float) -> dict:
        code = f"n{next(counter)}"
        leaf = depth >= max_depth or (depth >= 2 and draw(st.booleans()))
        if not leaf:
            n = draw(st.integers(1, 3))
            children = [node(depth + 1, max_depth, w) for w in split(round(weight * 100), n, draw)]
            return {"code": code, "zh": f"指标{code}", "en": code, "weight": weight, "children": children}
        if depth < 4 and draw(st.integers(0, 9)) == 0:
            return {"code": code, "zh": f"自定{code}", "en": code, "weight": weight, "open": {}}
        kind = draw(st.sampled_from(SIMPLE_KINDS + ["either_or"]))
        kinds_used.append(kind)
        return {"code": code, "zh": f"指标{code}", "en": code, "weight": weight, "rule": draw(rule(kind))}

    max_depth = draw(st.integers(2, 4))
    n = draw(st.integers(1, 4))
    nodes = [node(1, max_depth, w) for w in split(10000, n, draw)]
    return {"code": "generated", "name": {"zh": "生成", "en": "generated"}, "grade_bands": [
        {"label": "优", "en": "A", "min": 90}, {"label": "良", "en": "B", "min": 80},
        {"label": "中", "en": "C", "min": 60}, {"label": "差", "en": "D", "min": 0}], "nodes": nodes}


def open_group_weights(fw) -> dict:
    """Each open group's weight, which the indicators an evaluation brings there must add up to."""
    return {group.code: group.weight for group in fw.open_groups()}


@st.composite
def evaluation(draw, fw, group_weights: dict):
    leaves = fw.leaves()
    figures = {f: draw(numbers) for f in FIGURES}
    figures = {k: v for k, v in figures.items() if v is not None}
    brought = []
    for group, weight in group_weights.items():
        parts = split(round(weight * 100), draw(st.integers(1, 3)), draw)
        for i, w in enumerate(parts):
            brought.append(BroughtIndicator(group, f"{group}.{i}", f"部门指标{i}", w,
                                            draw(st.sampled_from(["target", "qualitative", "judged", "coefficient"]))))
    codes = [leaf.code for leaf in leaves] + [b.code for b in brought]
    inputs = {code: LeafInput(failed=draw(st.one_of(st.none(), st.integers(-1, 8))),
                              given=draw(st.one_of(st.none(), st.floats(-1, 25, allow_nan=False))),
                              label=draw(st.sampled_from(LABELS)), choice=draw(st.sampled_from(["o0", "o1", "o2", None])),
                              target=draw(st.sampled_from(TARGETS)), actual=draw(st.sampled_from(ACTUALS)),
                              coefficient=draw(st.one_of(st.none(), st.floats(-10, 150, allow_nan=False))))
              for code in codes}
    reported = {code: draw(st.floats(0, 25, allow_nan=False).map(lambda x: round(x, 2)))
                for code in codes if draw(st.booleans())}
    return EvaluationInputs(figures, inputs, reported, tuple(brought))
