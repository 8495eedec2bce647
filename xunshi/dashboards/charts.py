"""The ECharts option of each dashboard chart, drawn from the rows of its table (`Figures`).

The page embeds each option with `json_script` and static/js/charts.js draws it: no request
after the page. Every category axis prints all its labels (`category_axis`); the long
Chinese names of classifications and petition categories run down the side of a
horizontal chart, broken into lines.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from xunshi.lib.charts import category_axis

from .queries import Figures

__all__ = ["chart_height", "chart_option"]

RED, YELLOW, GREEN, GREY = "#b8232f", "#e6a817", "#3a8f5c", "#c9ced4"
BLUE, SLATE, TEAL = "#3b6ea8", "#6b7a8f", "#2f8f9d"
_PALETTE = [BLUE, RED, TEAL, "#d07b2c", SLATE, "#8b5fa8"]

# key → how its series are drawn: "stack" names the stack of each column, "colors" their
# colours, "horizontal" puts the categories down the side.
_STYLE: dict[str, dict[str, Any]] = {
    "coverage": {"stack": {2: "n", 3: "n"}, "colors": {2: RED, 3: GREY}},
    "problems_taxonomy": {"horizontal": True, "colors": {2: RED}},
    "problems_sector": {"colors": {1: SLATE, 2: RED}},
    "rectification": {
        "stack": {4: "open", 5: "open", 6: "open", 7: "open"},
        "colors": {1: BLUE, 2: TEAL, 4: RED, 5: YELLOW, 6: GREEN, 7: GREY},
    },
    "clue_disposal": {
        "stack": {2: "n", 3: "n", 4: "n", 5: "n"},
        "colors": {2: GREEN, 3: YELLOW, 4: BLUE, 5: RED},
    },
    "clue_ageing": {
        "stack": {2: "n", 3: "n", 4: "n", 5: "n"},
        "colors": {2: GREEN, 3: YELLOW, 4: "#d07b2c", 5: RED},
    },
    "petitions_channel": {"colors": {1: BLUE}},
    "petitions_category": {"horizontal": True, "colors": {1: BLUE}},
    "workloads": {},
}


def _series_name(head: str) -> str:
    # 其中红灯 → 红灯: the legend needs no "of which".
    return head.removeprefix(_("其中"))


def chart_option(fig: Figures) -> dict[str, Any]:
    """The bar chart of the figures' table: one bar series per drawn column."""
    style = _STYLE.get(fig.key, {})
    horizontal = bool(style.get("horizontal"))
    labels = [str(row[0]) for row in fig.rows]
    series = []
    for n, col in enumerate(fig.series):
        stack = style.get("stack", {}).get(col)
        values = [row[col] for row in fig.rows]
        series.append(
            {
                "name": _series_name(fig.head[col]),
                "type": "bar",
                "barMaxWidth": 36,
                "itemStyle": {"color": style.get("colors", {}).get(col, _PALETTE[n % 6])},
                "label": {"show": len(fig.rows) <= 12, "position": "inside" if stack else "top"},
                "data": [{"value": v, "label": {"show": bool(v)}} for v in values],
                **({"stack": stack} if stack else {}),
            }
        )
    if horizontal:
        for s in series:
            s["label"]["position"] = "right"
    categories = category_axis(labels, vertical=horizontal)
    amounts: dict[str, Any] = {"type": "value", "minInterval": 1}
    return {
        "animation": False,
        "tooltip": {"trigger": "axis", "axisPointer": {"type": "shadow"}},
        "legend": {"top": 0, "show": len(series) > 1},
        "grid": {"left": 10, "right": 30, "top": 40, "bottom": 10, "containLabel": True},
        "xAxis": amounts if horizontal else categories,
        "yAxis": categories if horizontal else amounts,
        "series": series,
    }


def chart_height(fig: Figures) -> int:
    """The chart's height in pixels: a horizontal chart grows with its rows."""
    if _STYLE.get(fig.key, {}).get("horizontal"):
        return max(240, 40 * len(fig.rows) + 60)
    return 320
