"""Which columns a table shows at a given width, and how wide each is drawn."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

# One space either side of every cell, as DataTable pads.
PAD = " "
PADDING = 2 * len(PAD)
SORT_ARROWS = {False: " ▲", True: " ▼"}


@dataclass(frozen=True, slots=True)
class TableColumn:
    """A column as a table draws it: natural width, the least it may shrink to, and rank (a lower
    `priority` is kept longer as the table narrows); the `grow` column takes what is left."""

    key: str
    label: str
    width: int
    min_width: int = 0
    priority: int = 0
    grow: bool = False

    @property
    def least(self) -> int:
        return self.min_width or self.width


def fit_columns(columns: Sequence[TableColumn], available: int) -> list[tuple[int, int]]:
    """(index, width) of each column shown in `available` cells, in the columns' own order.

    Columns join by priority while each fits at its least width; the first that does not ends the
    list, so those dropped are always the lowest ranked. Spare cells widen the columns kept to their
    natural widths, most important first, and the rest go to the growing column.
    """
    ranked = sorted(range(len(columns)), key=lambda at: columns[at].priority)
    widths: dict[int, int] = {}
    used = 0
    for at in ranked:
        need = columns[at].least + PADDING
        if widths and used + need > available:
            break
        widths[at] = columns[at].least
        used += need
    spare = max(available - used, 0)
    for at in widths:
        extra = min(spare, max(columns[at].width - widths[at], 0))
        widths[at] += extra
        spare -= extra
    grow = next((at for at in widths if columns[at].grow), None)
    if grow is not None:
        widths[grow] += spare
    return sorted(widths.items())
