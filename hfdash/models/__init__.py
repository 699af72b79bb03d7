"""Frozen data for every resource the dashboard shows; parsers are in `parse` and each kind's module."""

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
from hfdash.models.parse import ModelError as ModelError
from hfdash.models.parse import Page as Page
from hfdash.models.parse import PageHead as PageHead
from hfdash.models.parse import StatusEnum as StatusEnum
from hfdash.models.renders import Render as Render
from hfdash.models.renders import RenderStatus as RenderStatus
