"""Blocks of a report chapter: the shared body blocks; figures, charts and listings join as apps land."""

from core.blocks import BodyStreamBlock


class ChapterStreamBlock(BodyStreamBlock):
    """Everything a chapter body may hold."""
