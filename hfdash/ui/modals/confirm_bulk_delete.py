"""The bulk delete confirmation: how many of each kind, what deleting does to each, the first few."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Static

from hfdash.services.actions import DeletePlan
from hfdash.services.kinds import Item, item_id
from hfdash.ui.format import clip, plain
from hfdash.ui.modals.confirmation import Confirmation, append_answers
from hfdash.ui.widgets.footer import Footer

# Items named by id and title; the rest are counted.
NAMED = 3


def counted(count: int, noun: str) -> str:
    return f"{count} {noun}" if count == 1 else f"{count} {noun}s"


class ConfirmBulkDelete(Confirmation):
    def __init__(self, items: list[tuple[Item, DeletePlan]], undeletable: int = 0) -> None:
        super().__init__()
        self.items = items
        self.undeletable = undeletable

    def compose(self) -> ComposeResult:
        kinds: dict[str, tuple[int, str]] = {}
        for _item, plan in self.items:
            count, _effect = kinds.get(plan.kind_label, (0, plan.effect))
            kinds[plan.kind_label] = (count + 1, plan.effect)
        body = Text()
        what = " and ".join(counted(count, kind) for kind, (count, _effect) in kinds.items())
        body.append(f"Delete {what}?\n\n", style="bold")
        for item, _plan in self.items[:NAMED]:
            body.append(clip(plain(item_id(item)), 30), style="dim")
            title = plain(item.title)
            body.append(f"  '{clip(title, 36)}'\n" if title else "  (untitled)\n")
        if len(self.items) > NAMED:
            body.append(f"… and {len(self.items) - NAMED} more\n")
        body.append("\n")
        for kind, (count, effect) in kinds.items():
            warn = "PERMANENTLY" in effect
            prefix = f"{counted(count, kind)}: " if len(kinds) > 1 else ""
            body.append(f"{prefix}{effect}\n", style="bold #e06c75" if warn else "")
        if self.undeletable:
            body.append(f"{self.undeletable} marked the API cannot delete stay as they are.\n", style="dim")
        body.append("\n")
        append_answers(body, "delete all")
        with Vertical(id="confirm-box"):
            yield Static(body, id="confirm-text")
        yield Footer(keys=(("y", "Delete all"), ("n esc", "Cancel")))
