"""What every ECharts chart of the pages shares: a category axis whose labels all show.

ECharts leaves out every other category label when they do not fit side by side (its
``interval: "auto"``), so a sector chart printed 市级党委 and 省直单位 and nothing under the
bars between. `category_axis` shows every label (``interval: 0``) and turns them when there
are many or long ones; a horizontal chart (`vertical=True`, the categories down the side)
breaks a long label into lines of `width` pixels instead.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

__all__ = ["category_axis"]

# More labels than this, or a label longer than LONG characters, and a horizontal axis turns
# them: about six Chinese characters fit under a bar of a 600-pixel chart with five bars.
MANY = 5
LONG = 6


def category_axis(
    labels: Sequence[str], *, vertical: bool = False, width: int = 160
) -> dict[str, Any]:
    """The option of a category axis that prints every one of `labels`."""
    label: dict[str, Any] = {"interval": 0, "hideOverlap": False}
    if vertical:
        label |= {"width": width, "overflow": "break"}
    elif len(labels) > MANY or any(len(s) > LONG for s in labels):
        label |= {"rotate": 30}
    axis: dict[str, Any] = {"type": "category", "data": list(labels), "axisLabel": label}
    if vertical:
        axis["inverse"] = True  # the first row of the table on top
    return axis
