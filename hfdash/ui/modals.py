"""The dialogs a key opens: delete one item or the marked ones, quit while files download, which of
a session video's files to download, and `?`, every key of the screen underneath.

Only keys typed after a yes/no question appeared can answer it. Keys typed in one burst (a paste,
keys that crossed a slow SSH link in one packet) reach the app together: `xy` would open the delete
dialog with `x` and confirm it with `y` before anyone read it. So the answers are no bindings,
which Textual would look up for any key still on its way; each key is read here, where only keys
sent to this screen arrive, and a key whose event is older than the dialog is dropped."""

from __future__ import annotations

from collections import Counter
from typing import ClassVar

from rich.text import Text
from textual import events
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from hfdash.models import Video
from hfdash.services.actions import DeletePlan
from hfdash.services.downloads.plan import Variant
from hfdash.services.kinds import Item
from hfdash.ui.format import clip, counted, plain
from hfdash.ui.widgets.footer import Footer

# Items a bulk delete names by id and title; the rest are counted.
NAMED = 3


def append_answers(body: Text, yes: str) -> None:
    """The dialog's last line: which key answers yes, and which no."""
    for part, style in (("y", "bold"), (f" {yes}   ", ""), ("n", "bold"), (" / ", ""), ("escape", "bold")):
        body.append(part, style=style)
    body.append(" cancel")


class Confirmation(ModalScreen[bool]):
    # Each key that answers, and its answer.
    ANSWERS: ClassVar[dict[str, bool]] = {"y": True, "n": False, "escape": False}

    def __init__(self, body: Text | str, keys: tuple[tuple[str, str], ...]) -> None:
        super().__init__()
        self.body = body
        self.keys = keys
        # Textual's clock as the dialog mounted, read from an event's time as a key's is.
        self.appeared_at = float("inf")

    def compose(self) -> ComposeResult:
        with Vertical(id="confirm-box"):
            yield Static(self.body, id="confirm-text")
        yield Footer(keys=self.keys)

    def on_mount(self, event: events.Mount) -> None:
        self.appeared_at = event.time

    def on_key(self, event: events.Key) -> None:
        answer = self.ANSWERS.get(event.key)
        if answer is None:
            return
        event.stop()
        if event.time >= self.appeared_at:
            self.dismiss(answer)


class ConfirmDelete(Confirmation):
    """Names the item and says what the API will do."""

    def __init__(self, item: Item, plan: DeletePlan) -> None:
        body = Text()
        body.append(f"Delete this {plan.kind_label}?\n\n", style="bold")
        body.append("id     ", style="dim")
        body.append(clip(plain(item.id), 200) + "\n")
        body.append("title  ", style="dim")
        body.append(clip(plain(item.title) or "(untitled)", 200) + "\n\n")
        body.append(plan.effect + "\n\n", style="bold #e06c75" if "PERMANENTLY" in plan.effect else "")
        append_answers(body, "delete")
        super().__init__(body, (("y", "Delete"), ("n esc", "Cancel")))


class ConfirmBulkDelete(Confirmation):
    """How many of each kind, what deleting does to each, the first few."""

    def __init__(self, items: list[tuple[Item, DeletePlan]], undeletable: int = 0) -> None:
        kinds = Counter(plan.kind_label for _item, plan in items)
        effects = {plan.kind_label: plan.effect for _item, plan in items}
        body = Text()
        what = " and ".join(counted(count, kind) for kind, count in kinds.items())
        body.append(f"Delete {what}?\n\n", style="bold")
        for item, _plan in items[:NAMED]:
            body.append(clip(plain(item.id), 30), style="dim")
            title = plain(item.title)
            body.append(f"  '{clip(title, 36)}'\n" if title else "  (untitled)\n")
        if len(items) > NAMED:
            body.append(f"… and {len(items) - NAMED} more\n")
        body.append("\n")
        for kind, count in kinds.items():
            prefix = f"{counted(count, kind)}: " if len(kinds) > 1 else ""
            effect = effects[kind]
            body.append(f"{prefix}{effect}\n", style="bold #e06c75" if "PERMANENTLY" in effect else "")
        if undeletable:
            body.append(f"{undeletable} marked the API cannot delete stay as they are.\n", style="dim")
        body.append("\n")
        append_answers(body, "delete all")
        super().__init__(body, (("y", "Delete all"), ("n esc", "Cancel")))


class ConfirmQuit(Confirmation):
    """Quitting while files are downloading asks first; partial files stay for a later resume."""

    def __init__(self, active: int) -> None:
        noun = "download is" if active == 1 else "downloads are"
        body = (
            f"{active} {noun} still running.\n\n"
            "Quit anyway? Partial files are kept and resume next time.\n\n"
            "y quit   n / escape stay"
        )
        super().__init__(body, (("y", "Quit"), ("n esc", "Stay")))


_LABELS = {Variant.VIDEO: "video", Variant.CAPTIONED: "captioned video", Variant.SUBTITLES: "subtitles"}


def available_variants(video: Video) -> list[Variant]:
    urls = (video.video_url, video.captioned_video_url, video.subtitle_url)
    return [variant for variant, url in zip(_LABELS, urls, strict=True) if url]


def keys_hint(count: int) -> str:
    """The menu's keys, spelt out: one option looks like a label, not a choice, without them."""
    if count > 1:
        return f"1-{count} or enter download · ↑↓ move · esc cancel"
    return "1 or enter download · esc cancel"


class VariantMenu(ModalScreen[Variant | None]):
    BINDINGS = [
        Binding("escape", "cancel", "Cancel"),
        *(Binding(str(n), f"pick({n - 1})", f"Download option {n}", show=False) for n in (1, 2, 3)),
    ]

    def __init__(self, video: Video, variants: list[Variant]) -> None:
        super().__init__()
        self.video = video
        self.variants = variants

    def compose(self) -> ComposeResult:
        with Vertical(id="variant-box"):
            yield Static(f"Download from {clip(plain(self.video.title) or plain(self.video.id), 50)}")
            yield OptionList(
                *(Option(f"{n}  {_LABELS[v]}") for n, v in enumerate(self.variants, 1)),
                id="variant-options",
            )
            yield Static(keys_hint(len(self.variants)), id="variant-keys")
        numbers = "1" if len(self.variants) == 1 else f"1-{len(self.variants)}"
        yield Footer(keys=((f"{numbers} enter", "Download"),))

    def on_mount(self) -> None:
        options = self.query_one(OptionList)
        options.highlighted = 0
        options.focus()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        self.action_pick(event.option_index)

    def action_pick(self, index: int) -> None:
        if 0 <= index < len(self.variants):
            self.dismiss(self.variants[index])

    def action_cancel(self) -> None:
        self.dismiss(None)


def key_label(keys: str) -> str:
    names = {"question_mark": "?", "slash": "/", "escape": "esc", "delete": "del", "asterisk": "*"}
    return ", ".join(names.get(key.strip(), key.strip()) for key in keys.split(","))


class HelpScreen(ModalScreen[None]):
    BINDINGS = [Binding("escape,q,question_mark", "close", "Close")]

    def __init__(self, title: str, bindings: list[BindingType]) -> None:
        super().__init__()
        self.title_text = title
        self.keys = [b for b in bindings if isinstance(b, Binding) and b.description]

    def compose(self) -> ComposeResult:
        body = Text()
        body.append(f"{self.title_text}\n\n", style="bold")
        for binding in self.keys:
            body.append(f"{key_label(binding.key):>14}  ", style="bold #61afef")
            body.append(f"{binding.description}\n")
        body.append("\nctrl+p opens the command palette with every action. escape closes this.", style="dim")
        with VerticalScroll(id="help-box"):
            yield Static(body)
        yield Footer()

    def action_close(self) -> None:
        self.dismiss(None)
