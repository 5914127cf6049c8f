"""Consistent synthetic township-years, for the benchmark, the property tests and the demo county.

Every report made here passes every arithmetic rule, and its narrative states the figures of its
tables in the sentences the N-* rules read, so a change to any stated cell is caught. Reports
carry ``meta.sample = True``: every page that shows them says 示例数据.
"""

from __future__ import annotations

import random
from decimal import Decimal

from .. import formats
from ..model import Meta, TownshipYear, Value, build_document, rows_of
from .narrative import proactive

SAMPLE_NOTE = "示例数据（synthetic sample data）"


def split_count(rng: random.Random, total: int, parts: int) -> list[int]:
    """``total`` spread over ``parts`` non-negative counts, skewed like real reports."""
    out = [0] * parts
    for _ in range(total):
        out[min(int(rng.expovariate(0.6)), parts - 1) if rng.random() < 0.8
            else rng.randrange(parts)] += 1
    return out


def random_table3(rng: random.Random, spec: formats.TableSpec, scale: int,
                  carried_in: list[int] | None = None) -> dict[str, list[Value]]:
    """Table 三 with every 勾稽关系 holding, totals given; ``carried_in`` is last year's 结转."""
    cols = [c.key for c in spec.row("new").columns[:-1]]
    results = spec.row("results_total").derived_from
    rows: dict[str, list[int]] = {r.key: [0] * len(cols) for r in spec.rows}
    for i, _ in enumerate(cols):
        weight = scale if i == 0 else max(0, scale // 4 - i)
        new = int(rng.expovariate(1 / max(weight, 0.1))) if weight else 0
        carried = carried_in[i] if carried_in else (rng.choice((0, 0, 0, 1, 2)) if i == 0 else 0)
        carry = rng.randint(0, min(2, new + carried))
        rows["new"][i], rows["carried_over"][i], rows["carry_forward"][i] = new, carried, carry
        for key, n in zip(results, split_count(rng, new + carried - carry, len(results))):
            rows[key][i] = n
        rows["results_total"][i] = new + carried - carry
    return {k: v + [sum(v)] for k, v in rows.items()}


def random_table4(rng: random.Random, spec: formats.TableSpec) -> dict[str, list[Value]]:
    out = {}
    for row in spec.rows:
        parts = [0, 0, 0, 0] if rng.random() < 0.6 else [rng.randint(0, 2) for _ in range(4)]
        out[row.key] = parts + [sum(parts)]
    return out


def random_table2(rng: random.Random, spec: formats.TableSpec, kind: str) -> dict[str, list[Value]]:
    out: dict[str, list[Value]] = {}
    for row in spec.rows:
        values: list[Value] = []
        for col in row.columns:
            if row.key == "rules" and kind in formats.TOWNSHIP_KINDS:
                values.append(0)
            elif col.kind == formats.AMOUNT:
                values.append(Decimal(rng.randint(0, 500)) / 100)
            elif col.kind == formats.SIGNED:
                values.append(rng.randint(-3, 3))
            else:
                values.append(rng.randint(0, 12))
        if row.columns[0].key == "prior_items":  # 增/减 never takes the items below zero
            values[1] = max(values[1], -values[0])
        out[row.key] = values
    if "normative" in out and spec.row("normative").columns[0].key == "issued":
        issued, repealed, _ = out["normative"]
        out["normative"][2] = issued - repealed + rng.randint(repealed, 20)  # stock ≥ 0
    return out


def make_report(meta: Meta, rows: dict[str, dict[str, list[Value]]],
                narrative: dict[str, str], path: str = "<synthetic>") -> TownshipYear:
    """A TownshipYear from row lists (in column order; a short list leaves the 总计 out)."""
    return build_document(meta, rows, narrative, path)


def narrative_for(meta: Meta, rows: dict[str, dict[str, list[Value]]]) -> dict[str, str]:
    """Text stating the tables' figures in the sentences the N-* rules read."""
    y, name = meta.year, meta.township
    t3, t4 = rows["table3"], rows["table4"]
    categories = formats.get_format(meta.format).categories
    results = "，".join(f"{c}{sum(t3[r][-1] for r in categories[c])}件" for c in categories)
    review = t4["review"][-1]
    suits = t4["suit_direct"][-1] + t4["suit_after"][-1]
    sample = "【示例数据】" if meta.sample else ""
    unpaid = t3.get("other_no_fee", [0])[-1]
    fee_notice = f"因申请人逾期未按收费通知要求缴纳费用不再处理的申请{unpaid}件。" if unpaid else ""
    prose = _PROSE[y % len(_PROSE)]  # an office words its report anew each year (X-SIMILAR)
    return {
        "general": f"{sample}{y}年，{name}{prose['general']}本报告所列数据的统计期限"
                   f"自{y}年1月1日起至{y}年12月31日止。",
        "general.proactive": f"{y}年，{name}通过政府网站等平台主动公开政府信息{_items(meta)}条。"
                             + proactive(make_report(meta, rows, {})),
        "general.on_request": f"{y}年，{name}共收到政府信息公开申请{t3['new'][-1]}件。办理结果：{results}；"
                              f"结转下年度继续办理{t3['carry_forward'][-1]}件。",
        "general.management": f"{name}{prose['management']}",
        "general.platforms": prose["platforms"].format(name=name),
        "general.oversight": f"{prose['oversight']}"
                             f"因政府信息公开被申请{formats.T4_REVIEW}{review}件，"
                             f"被提起{formats.T4_SUIT}{suits}件。",
        "problems": prose["problems"],
        "other": f"{y}年度未收取信息处理费。{fee_notice}",
    }


# The prose of a synthetic report, worded differently from one year to the next, as offices do.
_PROSE = (
    {"general": "认真贯彻落实《条例》，扎实推进政务公开工作。",
     "management": "健全政府信息公开审查机制，规范信息发布流程。",
     "platforms": "依托县政府门户网站和{name}微信公众号发布政府信息。",
     "oversight": "将政务公开工作纳入年度绩效考核，开展社会评议，本年度未发生责任追究情况。",
     "problems": "存在的问题：一是公开内容不够全面；二是工作人员业务水平有待提高。"
                 "改进措施：下一步将加强业务培训，完善公开制度。"},
    {"general": "坚持以公开为常态、不公开为例外，持续深化基层政务公开标准化建设。",
     "management": "落实信息发布前保密审查，建立公开事项清单并动态调整。",
     "platforms": "以县政府门户网站为第一平台，{name}公开栏与政务新媒体同步更新。",
     "oversight": "把政务公开纳入干部日常考核，邀请群众代表评议公开工作，全年无责任追究事项。",
     "problems": "不足之处在于政策解读形式单一、回应群众关切不够及时。"
                 "今后将丰富解读方式，建立关切回应台账。"},
    {"general": "围绕中心工作，着力提升政务公开的质量和实效，方便群众知情、参与和监督。",
     "management": "对已公开信息开展定期清理，及时更新失效内容，确保信息准确。",
     "platforms": "{name}便民服务中心设置查阅点，配合县级平台集中发布各类公开信息。",
     "oversight": "明确专人负责政务公开，定期开展督查通报，考核结果与评先评优挂钩。",
     "problems": "主要问题是部分村级公开内容更新滞后，公开人员变动频繁。"
                 "下一步将加强对村级公开的指导，稳定工作队伍。"},
)


def _items(meta: Meta) -> int:
    """A plausible count of proactively disclosed items, fixed by the township and year."""
    return 40 + sum(map(ord, f"{meta.township}{meta.year}")) % 160


def random_rows(rng: random.Random, meta: Meta, scale: int = 3,
                previous: TownshipYear | None = None) -> dict[str, dict[str, list[Value]]]:
    """Random consistent tables; with ``previous``, carried on from last year's report so the
    cross-year rules (X-*) hold too."""
    spec = formats.get_format(meta.format)
    last = rows_of(previous) if previous else None
    carried = last["table3"]["carry_forward"][:-1] if last else None
    rows = {"table2": random_table2(rng, spec.table("table2"), meta.kind),
            "table3": random_table3(rng, spec.table("table3"), scale, carried),
            "table4": random_table4(rng, spec.table("table4"))}
    if last:
        _carry_on(rows, last, spec, previous.spec)
    return rows


def _carry_on(rows: dict, last: dict, spec: formats.FormatSpec, last_spec: formats.FormatSpec) -> None:
    t2, before = rows["table2"], last["table2"]
    stock = spec.stock_rule if spec.stock_rule == last_spec.stock_rule else None
    columns = {r.key: [c.key for c in r.columns] for r in spec.table("table2").rows}
    if stock == formats.STOCK_IN_FORCE:  # 现行有效 = last year's + 制发 − 废止
        for key in (k for k, cols in columns.items() if cols == ["issued", "repealed", "in_force"]):
            issued, repealed, _ = t2[key]
            repealed = min(repealed, before[key][2] + issued)
            t2[key] = [issued, repealed, before[key][2] + issued - repealed]
    if stock == formats.STOCK_ITEMS:  # 上一年项目数量 = last year's + its 增/减
        for key, values in t2.items():
            if columns[key][:2] == [formats.STOCK_ITEMS, "change"] and key in before:
                values[0] = before[key][0] + before[key][1]
                values[1] = max(values[1], -values[0])
    for key, values in rows["table4"].items():  # last year's pending cases are concluded now
        values[0] += before_pending if (before_pending := last["table4"][key][3]) else 0
        values[4] = sum(values[:4])


def synthetic_report(township: str, year: int, seed: int, *, county: str = "示例县",
                     kind: str = "镇", scale: int = 3, path: str = "<synthetic>",
                     previous: TownshipYear | None = None) -> TownshipYear:
    """A consistent sample report for ``township`` in ``year``, the same for the same seed;
    with ``previous`` (last year's), consistent across the years too."""
    rng = random.Random(f"{township}/{year}/{seed}")
    meta = Meta(unit=f"{township}人民政府" if kind != "街道" else f"{township}办事处",
                township=township, county=county, kind=kind, year=year,
                format=formats.format_for_year(year).key, published=f"{year + 1}-01-2{rng.randint(0, 9)}",
                sample=True)
    rows = random_rows(rng, meta, scale, previous)
    return make_report(meta, rows, narrative_for(meta, rows), path)


# The bundled sample county (`make demo`): the real 古郊乡 2021 beside these synthetic townships
# of 陵川县, some with applications, 复议 or 诉讼, a few with deliberate inconsistencies so the
# checks have something to show. Regenerate with `python -m helpers.report.synthetic params/`.
DEMO_COUNTY = "陵川县"
DEMO_TOWNSHIPS = (("崇文镇", "镇", 12), ("礼义镇", "镇", 6), ("附城镇", "镇", 5), ("西河底镇", "镇", 3),
                  ("平城镇", "镇", 4), ("杨村镇", "镇", 2), ("潞城镇", "镇", 3), ("秦家庄乡", "乡", 1),
                  ("夺火乡", "乡", 0), ("马圪当乡", "乡", 1), ("六泉乡", "乡", 2))
# A few townships have several years, so the trend pages have something to show.
DEMO_YEARS = {"崇文镇": (2020, 2021, 2022), "礼义镇": (2020, 2021, 2022), "附城镇": (2021, 2022)}
DEMO_HEADER = ("示例数据（synthetic sample data）：{name} {year} 年度的数字与文字均为虚构，仅供演示。\n"
               "生成：python -m helpers.report.synthetic params/ ；{note}")


def _demo_flaws(name: str, year: int, text: str) -> tuple[str, str]:
    """The deliberate inconsistencies of the demo, as edits of the written params text."""
    if (name, year) == ("附城镇", 2021):  # 结转 does not balance: T3-BALANCE
        return text.replace("carry_forward:           [", "carry_forward:           [4", 1), "故意错误：T3-BALANCE"
    if (name, year) == ("西河底镇", 2021):  # the text claims more applications: N-APPS
        return text.replace("共收到政府信息公开申请", "共收到政府信息公开申请1", 1), "故意错误：N-APPS"
    if (name, year) == ("平城镇", 2021):  # a blank cell in table 四: CELL-BLANK
        return text.replace("suit_after:  [0,", "suit_after:  [~,", 1), "故意错误：CELL-BLANK"
    if (name, year) == ("杨村镇", 2021):  # copied from a 乡: M-UNIT
        return text.replace("杨村镇便民服务中心", "我乡便民服务中心", 1), "故意问题：M-UNIT"
    if (name, year) == ("崇文镇", 2022):  # last year's prose carried over unchanged: X-SIMILAR
        this, last = (_PROSE[y % len(_PROSE)] for y in (year, year - 1))
        for key in this:
            text = text.replace(this[key].format(name=name), last[key].format(name=name))
        return text, "故意问题：正文照搬上年（X-SIMILAR）"
    if (name, year) == ("礼义镇", 2020):  # last year's 结转 differs from this year's 上年结转: X-CARRY
        return text.replace("carry_forward:           [", "carry_forward:           [1", 1), "故意错误：结转下年度不平衡（T3-BALANCE），2021 年报告因此 X-CARRY"
    return text, "无故意错误"


def demo_county() -> dict[str, str]:
    """File name → params text of every synthetic township-year of the demo county."""
    from ..params.write import format_params

    files = {}
    for i, (name, kind, scale) in enumerate(DEMO_TOWNSHIPS):
        previous = None
        for year in DEMO_YEARS.get(name, (2021,)):
            doc = synthetic_report(name, year, seed=i, county=DEMO_COUNTY, kind=kind, scale=scale,
                                   previous=previous)
            previous = doc
            text, note = _demo_flaws(name, year, format_params(doc))
            header = DEMO_HEADER.format(name=name, year=year, note=note)
            files[f"{name}_{year}.yaml"] = format_params(doc, header) if text == format_params(doc) \
                else "\n".join(f"# {l}" for l in header.splitlines()) + "\n" + text
    return files


if __name__ == "__main__":  # python -m helpers.report.synthetic params/
    import sys
    from pathlib import Path

    from ..params.write import write_atomic

    folder = Path(sys.argv[1] if len(sys.argv) > 1 else "params")
    for file_name, text in demo_county().items():
        write_atomic(folder / file_name, text)
        print(folder / file_name)
