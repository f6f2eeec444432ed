"""Sample seal and signature images for the example organisations (data/orgs/*-mau.png).

Marked MẪU: they show where and how the real images go (NĐ 30 Phụ lục I: a red seal at its
real size, a blue handwritten signature, both PNG with a transparent background). Never a
likeness of a real seal. Run: .venv/bin/python tools/make_sample_seals.py"""

from __future__ import annotations

import math
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

FONT = "/usr/share/fonts/truetype/liberation2/LiberationSerif-Bold.ttf"
RED = (200, 16, 32, 255)
BLUE = (24, 48, 170, 255)
SIZE = 600  # pixels across; drawn at the seal's real size (seal_mm) when signed
DPI = 300


def seal(ring_text: str, path: Path) -> None:
    """A round seal: two rings, the name around, MẪU in the middle."""
    img = Image.new("RGBA", (SIZE, SIZE), (0, 0, 0, 0))
    draw = ImageDraw.Draw(img)
    draw.ellipse((8, 8, SIZE - 8, SIZE - 8), outline=RED, width=14)
    draw.ellipse((96, 96, SIZE - 96, SIZE - 96), outline=RED, width=6)
    font = ImageFont.truetype(FONT, 46)
    text = f"{ring_text} ★ "
    for i, char in enumerate(text):
        angle = -math.pi / 2 + 2 * math.pi * i / len(text)
        radius = SIZE / 2 - 52
        glyph = Image.new("RGBA", (70, 70), (0, 0, 0, 0))
        ImageDraw.Draw(glyph).text((35, 35), char, font=font, fill=RED, anchor="mm")
        glyph = glyph.rotate(-math.degrees(angle) - 90, resample=Image.BICUBIC)
        x = SIZE / 2 + radius * math.cos(angle) - 35
        y = SIZE / 2 + radius * math.sin(angle) - 35
        img.alpha_composite(glyph, (round(x), round(y)))
    draw.text((SIZE / 2, SIZE / 2), "MẪU", font=ImageFont.truetype(FONT, 84), fill=RED, anchor="mm")
    img.save(path, optimize=True)


def signature(path: Path) -> None:
    """A scribble in blue, 50 × 20 mm at 300 dpi."""
    width, height = round(50 / 25.4 * DPI), round(20 / 25.4 * DPI)
    img = Image.new("RGBA", (width, height), (0, 0, 0, 0))
    draw = ImageDraw.Draw(img)
    points = [
        (20 + i * 4.6, height / 2 + 70 * math.sin(i / 7) * math.exp(-i / 140)) for i in range(120)
    ]
    draw.line(points, fill=BLUE, width=7, joint="curve")
    draw.line([(70, height - 40), (width - 30, 50)], fill=BLUE, width=5)
    img.save(path, dpi=(DPI, DPI), optimize=True)


def main() -> None:
    orgs = Path(__file__).resolve().parent.parent / "data" / "orgs"
    seal("HỌC VIỆN BÁO CHÍ VÀ TUYÊN TRUYỀN", orgs / "hvbctt-con-dau-mau.png")
    seal("TRƯỜNG ĐẠI HỌC MẪU", orgs / "truong-mau-con-dau-mau.png")
    signature(orgs / "chu-ky-mau.png")


if __name__ == "__main__":
    main()
