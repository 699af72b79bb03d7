"""A session video's files: video, captioned video or subtitles, whichever exist."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from hfdash.models import Video
from hfdash.services.downloads.plan import Variant
from hfdash.ui.format import clip, plain
from hfdash.ui.widgets.footer import Footer

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
