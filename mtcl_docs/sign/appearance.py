"""What a signature looks like on the page (NĐ 30 Phụ lục I §II.7–8).

- On a main document: the signer's handwritten signature image (optional) between the title
  and the name, and the organisation's seal, red, at its real size, over about the left third of
  the signature image.
- On an attachment or appendix in a separate file, or a copy: no image, a text stamp at the top
  right of the first page: number and symbol (or the kind of copy and who copied), and the
  signing time in ISO 8601 with Vietnam's offset, Times New Roman 10 pt, black.

Both are pyHanko stamp styles drawing their own content: images as XObjects with their
transparency as soft masks, text in `sign.font`'s embedded font, so the signed file stays PDF/A."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from PIL import Image
from pyhanko.pdf_utils import layout
from pyhanko.pdf_utils.content import ResourceType
from pyhanko.pdf_utils.generic import pdf_name
from pyhanko.pdf_utils.images import pil_image
from pyhanko.pdf_utils.writer import BasePdfFileWriter
from pyhanko.stamp.base import BaseStamp, BaseStampStyle

from mtcl_docs.sign import font

TEXT_SIZE = 10.0  # pt, PL I §II.8.b
TEXT_LEADING = 12.0
TEXT_PADDING = 2.0


@dataclass(frozen=True)
class Picture:
    """An image and where it goes inside the signature's box (points from the box's corner)."""

    path: Path
    x: float
    y: float
    width: float
    height: float


@dataclass(frozen=True)
class ImagesStyle(BaseStampStyle):
    """The seal over the signature image, each at its place in the box."""

    pictures: tuple[Picture, ...] = ()
    border_width: int = 0

    def create_stamp(self, writer: BasePdfFileWriter, box: layout.BoxConstraints,
                     text_params: dict) -> BaseStamp:  # fmt: skip
        return _ImagesStamp(writer, self, box)


class _ImagesStamp(BaseStamp):
    def _render_inner_content(self) -> list[bytes]:
        commands = []
        for i, picture in enumerate(self.style.pictures):
            with Image.open(picture.path) as img:
                img.load()
                ref = pil_image(img, self.writer)
            name = pdf_name(f"/Im{i}")
            self.set_resource(category=ResourceType.XOBJECT, name=name, value=ref)
            commands.append(
                b"q %.2f 0 0 %.2f %.2f %.2f cm %s Do Q"
                % (picture.width, picture.height, picture.x, picture.y, name.encode())
            )
        return commands


@dataclass(frozen=True)
class TextStyle(BaseStampStyle):
    """Lines of text, Times New Roman 10 pt, black, right-aligned in the box."""

    lines: tuple[str, ...] = ()
    border_width: int = 0

    def create_stamp(self, writer: BasePdfFileWriter, box: layout.BoxConstraints,
                     text_params: dict) -> BaseStamp:  # fmt: skip
        return _TextStamp(writer, self, box)


class _TextStamp(BaseStamp):
    def _render_inner_content(self) -> list[bytes]:
        lines = self.style.lines
        embedded = font.embed(self.writer, "".join(lines))
        self.set_resource(category=ResourceType.FONT, name=pdf_name("/F1"), value=embedded.ref)
        commands = [b"0 g BT"]
        top = self.box.height - TEXT_PADDING - TEXT_SIZE
        for i, line in enumerate(lines):
            x = self.box.width - TEXT_PADDING - font.text_width(line, TEXT_SIZE)
            commands.append(
                b"/F1 %.1f Tf 1 0 0 1 %.2f %.2f Tm %s Tj"
                % (TEXT_SIZE, x, top - i * TEXT_LEADING, embedded.encode(line))
            )
        commands.append(b"ET")
        return commands


def text_box_size(lines: tuple[str, ...]) -> tuple[float, float]:
    """The box the text stamp needs, in points, measured with the font's own widths."""
    widths = [font.text_width(line, TEXT_SIZE) for line in lines]
    return max(widths) + 2 * TEXT_PADDING, len(lines) * TEXT_LEADING + 2 * TEXT_PADDING
