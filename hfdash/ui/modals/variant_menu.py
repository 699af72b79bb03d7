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

_LABELS = {
    Variant.VIDEO: "video",
    Variant.CAPTIONED: "captioned video",
    Variant.SUBTITLES: "subtitles",
}


def available_variants(video: Video) -> list[Variant]:
    urls = {
        Variant.VIDEO: video.video_url,
        Variant.CAPTIONED: video.captioned_video_url,
        Variant.SUBTITLES: video.subtitle_url,
    }
    return [variant for variant, url in urls.items() if url]


class VariantMenu(ModalScreen[Variant | None]):
    BINDINGS = [Binding("escape", "cancel", "Cancel")]

    def __init__(self, video: Video, variants: list[Variant]) -> None:
        super().__init__()
        self.video = video
        self.variants = variants

    def compose(self) -> ComposeResult:
        with Vertical(id="variant-box"):
            yield Static(f"Download from {clip(plain(self.video.title) or plain(self.video.id), 50)}")
            yield OptionList(*(Option(_LABELS[v], id=v.value) for v in self.variants), id="variant-options")

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        if event.option.id is not None:
            self.dismiss(Variant(event.option.id))

    def action_cancel(self) -> None:
        self.dismiss(None)
