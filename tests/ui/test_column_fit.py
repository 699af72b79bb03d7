"""Which columns fit a width: lowest priority dropped first, the growing column takes what is left."""

from __future__ import annotations

from hfdash.ui.widgets.virtual_table import PADDING, TableColumn, fit_columns

COLUMNS = (
    TableColumn("status", "Status", 10, priority=0),
    TableColumn("title", "Title", 20, min_width=12, priority=1, grow=True),
    TableColumn("id", "ID", 16, min_width=8, priority=3),
    TableColumn("created", "Created", 14, priority=2),
)


def shown(width: int) -> dict[str, int]:
    return {COLUMNS[at].key: fitted for at, fitted in fit_columns(COLUMNS, width)}


def test_everything_fits_and_the_title_takes_the_spare_cells() -> None:
    natural = sum(column.width + PADDING for column in COLUMNS)
    assert shown(natural) == {"status": 10, "title": 20, "id": 16, "created": 14}
    assert shown(natural + 30) == {"status": 10, "title": 50, "id": 16, "created": 14}


def test_columns_shrink_to_their_least_before_the_lowest_ranked_goes() -> None:
    # Every column at its least width: 12 + 14 + 10 + 16.
    assert shown(52) == {"status": 10, "title": 12, "id": 8, "created": 14}
    # Spare cells go back by rank: the title before the id.
    assert shown(60) == {"status": 10, "title": 20, "id": 8, "created": 14}
    # One cell short of the id's least: the id goes, and its cells go to the title.
    assert shown(51) == {"status": 10, "title": 21, "created": 14}
    assert shown(30) == {"status": 10, "title": 16}


def test_the_columns_keep_their_order_and_the_first_ranked_shows_whatever_the_width() -> None:
    assert [at for at, _width in fit_columns(COLUMNS, 200)] == [0, 1, 2, 3]
    assert fit_columns(COLUMNS, 5) == [(0, 10)]
    assert fit_columns((), 80) == []
