"""The lab's eyes: golden screens, finding elements by image, QR codes, on-screen text."""

from lab.vision.compare import Comparison, compare
from lab.vision.errors import VisionError, VisionMismatch
from lab.vision.locate import Match, locate, locate_all
from lab.vision.ocr import TextLine, read_text
from lab.vision.qr import QR, read_qr
from lab.vision.template import Template

__all__ = [
    "QR",
    "Comparison",
    "Match",
    "Template",
    "TextLine",
    "VisionError",
    "VisionMismatch",
    "compare",
    "locate",
    "locate_all",
    "read_qr",
    "read_text",
]
