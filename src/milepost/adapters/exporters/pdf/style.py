"""The printed plan's look: page margins, fonts, colours and the few paragraph and table styles.

Text is set in the Bitstream Vera fonts that ReportLab ships: unlike the PDF core fonts they have
every dash, times sign and bullet our wording uses, and they embed, so the file prints the same
everywhere without any system font.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from pathlib import Path

import reportlab
from reportlab.lib import colors
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import Paragraph, TableStyle

from milepost.domain.plan.model import Phase

MARGIN = 12 * mm
FONT, BOLD, ITALIC = "Vera", "VeraBd", "VeraIt"
INK = colors.HexColor("#1f2933")
MUTED = colors.HexColor("#66727f")
RULE = colors.HexColor("#c9d1d9")
ACCENT = colors.HexColor("#1d5f8a")
# A calm tint per phase, light enough to print on an office printer without eating toner.
PHASE_TINT = {
    Phase.FOUNDATION: colors.HexColor("#e6f2e6"),
    Phase.EARLY_QUALITY: colors.HexColor("#e3eef8"),
    Phase.TRANSITION_QUALITY: colors.HexColor("#eee7f6"),
    Phase.FINAL_QUALITY: colors.HexColor("#fbeadb"),
    Phase.TAPER: colors.HexColor("#f3f0d9"),
}
QUALITY_TINT = colors.HexColor("#fff4e6")
LONG_TINT = colors.HexColor("#eef5fb")
RACE_TINT = colors.HexColor("#fde3a7")
REST_TINT = colors.HexColor("#f5f6f7")
WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


def register_fonts() -> None:
    if FONT in pdfmetrics.getRegisteredFontNames():
        return
    folder = Path(reportlab.__file__).parent / "fonts"
    for name, file in ((FONT, "Vera.ttf"), (BOLD, "VeraBd.ttf"), (ITALIC, "VeraIt.ttf")):
        pdfmetrics.registerFont(TTFont(name, str(folder / file)))
    pdfmetrics.registerFontFamily(FONT, normal=FONT, bold=BOLD, italic=ITALIC, boldItalic=BOLD)


def style(
    size: float, *, font: str = FONT, color: colors.Color = INK, **kw: object
) -> ParagraphStyle:
    return ParagraphStyle(
        f"s{size}{font}", fontName=font, fontSize=size, leading=size * 1.25, textColor=color, **kw
    )


def para(text: str, style: ParagraphStyle) -> Paragraph:
    return Paragraph(text, style)


def long_date(on: date) -> str:
    return f"{WEEKDAYS[on.weekday()]} {on.day} {on.strftime('%B %Y')}"


def grid_style(extra: Sequence[tuple[object, ...]] = ()) -> TableStyle:
    return TableStyle(
        [
            ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
            ("LINEBELOW", (0, 0), (-1, -1), 0.4, RULE),
            ("TOPPADDING", (0, 0), (-1, -1), 3),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
            *extra,
        ]
    )
