"""Frozen data for every resource the dashboard shows; each kind's parsers live in its module. Stdlib only."""

from hfdash.models._parse import ModelError as ModelError
from hfdash.models._parse import Page as Page
from hfdash.models._parse import PageHead as PageHead
from hfdash.models._parse import StatusEnum as StatusEnum
from hfdash.models._parse import parse_error as parse_error
from hfdash.models._parse import parse_head as parse_head
from hfdash.models._parse import parse_items as parse_items
from hfdash.models._parse import parse_page as parse_page
from hfdash.models._parse import unwrap_data as unwrap_data
from hfdash.models.agents import AgentMessage as AgentMessage
from hfdash.models.agents import Session as Session
from hfdash.models.agents import SessionStatus as SessionStatus
from hfdash.models.agents import SessionSummary as SessionSummary
from hfdash.models.agents import Video as Video
from hfdash.models.agents import VideoDeleted as VideoDeleted
from hfdash.models.agents import VideoStatus as VideoStatus
from hfdash.models.clips import Clip as Clip
from hfdash.models.clips import ClipJob as ClipJob
from hfdash.models.clips import ClipJobStatus as ClipJobStatus
from hfdash.models.clips import ClipStatus as ClipStatus
from hfdash.models.renders import Render as Render
from hfdash.models.renders import RenderStatus as RenderStatus
