"""Draw docs/assets/social-card.png, the 1200 x 630 image link previews show (og:image).

The PNG is kept in the repository (about 30 KB), so builds need neither this script nor Pillow. To
draw it again after changing the wording or colours: `pip install pillow` in any environment, with
Debian's fonts-dejavu-core installed, then `python scripts/make_social_card.py`.
"""
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

ROOT = Path(__file__).resolve().parents[1]
FONTS = Path("/usr/share/fonts/truetype/dejavu")
WIDTH, HEIGHT = 1200, 630
BACKGROUND, INK, ACCENT = "#1a237e", "#ffffff", "#ffd54f"      # contrast 15.5:1 and 10.9:1


def main() -> None:
    image = Image.new("RGB", (WIDTH, HEIGHT), BACKGROUND)
    draw = ImageDraw.Draw(image)
    bold = ImageFont.truetype(str(FONTS / "DejaVuSans-Bold.ttf"), 88)
    regular = ImageFont.truetype(str(FONTS / "DejaVuSans.ttf"), 40)
    small = ImageFont.truetype(str(FONTS / "DejaVuSans.ttf"), 30)
    draw.rectangle([80, 120, 100, 420], fill=ACCENT)
    draw.text((140, 110), "Social Credit", font=bold, fill=INK)
    draw.text((140, 215), "Digest", font=bold, fill=INK)
    draw.text((140, 350), "A sourced timeline of China's social credit system", font=regular, fill=INK)
    draw.text((140, 510), "Court debtor list · local pilots · private scores · surveillance", font=small,
              fill=ACCENT)
    image.save(ROOT / "docs" / "assets" / "social-card.png", optimize=True)


if __name__ == "__main__":
    main()
