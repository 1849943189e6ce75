"""Pictures from staff, made safe to publish: decoded, checked and written again with nothing private left.

Every picture that reaches a handout passes through :func:`clean` first, from
whichever reader met it. A photo from a phone carries where it was taken
(GPS), the camera's make and model and the time in its EXIF; pictures carry
XMP, IPTC and comments too, and a file can be made to exhaust memory or to
carry script. So a picture is taken only as PNG, JPEG, GIF (its first frame)
or WebP; its size is read from its header and refused over
:data:`MAX_PIXELS` before a pixel is decoded; it is then decoded, turned the
way its EXIF orientation says, converted to sRGB from its colour profile,
made at most :data:`MAX_SIDE` pixels on its longer side, copied into a fresh
image (so no metadata can travel), and encoded again: JPEG for photos, PNG
for everything else. The only thing written besides the pixels is a
resolution, which says how wide the source showed it.

The outputs then take the picture from the model, never from a file:
:func:`for_screen` is the smaller copy the page, the EPUB and the DAISY book
carry; :func:`print_width` is how wide the large print shows it.
"""

from __future__ import annotations

import base64
import hashlib
import io
import logging
import warnings
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from .locale import N_
from .model import Picture

log = logging.getLogger(__name__)

# A picture that declares more pixels than this is refused from its header, before any is decoded: a
# phone's photo has 12-24 million, and a file that declares billions would otherwise exhaust memory.
MAX_PIXELS = 40_000_000
# A picture file larger than this is refused before it is opened.
MAX_FILE_BYTES = 25 * 1024 * 1024
# The longer side of the picture every output is made from: 6.5 inches of large print at about 300 dpi.
MAX_SIDE = 2000
# The page, the EPUB and the DAISY book carry a copy at most this wide.
SCREEN_WIDTH = 1600
THUMBNAIL_SIDE = 320
JPEG_QUALITY = 90
SCREEN_JPEG_QUALITY = 82
# Without a resolution of its own, a picture is as wide as a browser shows it: 96 pixels an inch.
CSS_PIXELS_PER_INCH = 96.0
# Printed no larger than this many pixels an inch allow: larger, a picture blurs.
SHARP_PIXELS_PER_INCH = 150.0
# Resolutions outside this range are taken as unset (some files say 1 dot an inch).
PLAUSIBLE_DPI = (30.0, 1200.0)

# What a reader who cannot see a picture meets when nobody has described it.
NO_DESCRIPTION = N_("Picture with no description")
PICTURE_LABEL = N_("Picture: %(description)s")

SAVE_AS_PNG = ("save it as PNG or JPEG and use that: in Word, right-click the picture > Save as Picture > PNG, "
               "then insert the PNG instead; or open it in a drawing program and export it as PNG")
TOO_LARGE_FIX = ("make it smaller: save a copy at most 6000 pixels on its longer side (in Word, File > Compress "
                 "Pictures; on a phone, share it at a smaller size) and use that")
DAMAGED_FIX = "save it again from the program it came from, or take or copy the picture again"


class PictureRefused(Exception):
    """A picture no handout may carry: what is wrong with it and what to do."""

    def __init__(self, problem: str, fix: str):
        super().__init__(f"{problem}. {fix}")
        self.problem, self.fix = problem, fix


@dataclass(frozen=True)
class Kind:
    """A kind of picture file, told from its first bytes."""

    name: str  # Pillow's format name, or a word for one refused
    lossy: bool


def sniff(data: bytes) -> Kind | None:
    """The kind of picture ``data`` is, from its first bytes; None when it is no picture at all."""
    head = data[:64]
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return Kind("PNG", lossy=False)
    if head.startswith(b"\xff\xd8\xff"):
        return Kind("JPEG", lossy=True)
    if head.startswith((b"GIF87a", b"GIF89a")):
        return Kind("GIF", lossy=False)
    if head.startswith(b"RIFF") and head[8:12] == b"WEBP":
        # Lossy WebP keeps its frames in "VP8 " chunks, lossless in "VP8L" (after a "VP8X" header if extended).
        chunks = data[12:65536]
        return Kind("WEBP", lossy=b"VP8 " in chunks and b"VP8L" not in chunks)
    text = head.lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if text.startswith((b"<svg", b"<?xml", b"<!doctype svg")) or b"<svg" in data[:1024].lower():
        return Kind("SVG", lossy=False)
    if head[4:12] in (b"ftypheic", b"ftypheix", b"ftypmif1", b"ftyphevc", b"ftypavif"):
        return Kind("HEIC", lossy=True)
    if head.startswith((b"II*\x00", b"MM\x00*")):
        return Kind("TIFF", lossy=False)
    if head.startswith(b"BM"):
        return Kind("BMP", lossy=False)
    if head.startswith((b"\x01\x00\x00\x00", b"\xd7\xcd\xc6\x9a")):
        return Kind("EMF or WMF", lossy=False)
    return None


TAKEN = ("PNG", "JPEG", "GIF", "WEBP")
REFUSED_KINDS = {
    "SVG": ("it is an SVG drawing, which can carry script", SAVE_AS_PNG),
    "HEIC": ("it is an HEIC photo (an iPhone's own format), which handouts do not take",
             "save it as JPEG (on the iPhone: Settings > Camera > Formats > Most Compatible; or share it by "
             "email, which sends a JPEG) and use that"),
    "TIFF": ("it is a TIFF picture, which handouts do not take", SAVE_AS_PNG),
    "BMP": ("it is a BMP picture, which handouts do not take", SAVE_AS_PNG),
    "EMF or WMF": ("it is a Windows drawing (EMF or WMF), which handouts do not take", SAVE_AS_PNG),
}


def original_key(data: bytes) -> str:
    """The name a picture's descriptions are kept under: the start of its original bytes' SHA-256."""
    return hashlib.sha256(data).hexdigest()[:16]


def clean(data: bytes, width_in: float | None = None, where: str = "") -> Picture:
    """The picture in ``data``, decoded and written again with nothing but its pixels and size.

    ``width_in`` is how wide the source showed it (a Word document says);
    without it, the picture's own resolution says, else 96 pixels an inch.
    Raises :class:`PictureRefused` for a kind of file handouts do not take,
    one over the size limits (told from its header, before decoding), and
    one that is damaged or cut short.
    """
    from PIL import Image, ImageFile

    if len(data) > MAX_FILE_BYTES:
        raise PictureRefused(f"the picture file is {len(data):,} bytes, over the {MAX_FILE_BYTES:,}-byte limit",
                             TOO_LARGE_FIX)
    kind = sniff(data)
    if kind is None:
        raise PictureRefused("it is not a picture handouts take (PNG, JPEG, GIF or WebP)", SAVE_AS_PNG)
    if kind.name not in TAKEN:
        raise PictureRefused(*REFUSED_KINDS[kind.name])
    try:
        with warnings.catch_warnings():
            # Pillow's own bomb check warns below twice its limit; ours refuses first, from the header.
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            # The format's own reader, called directly, reads the header alone and checks nothing;
            # Image.open would refuse a huge size itself, without saying what it was.
            image = _opener(kind.name)(io.BytesIO(data))
            columns, rows = image.size
            if columns * rows > MAX_PIXELS:
                raise PictureRefused(
                    f"it declares {columns:,} x {rows:,} pixels ({columns * rows / 1e6:,.0f} megapixels), over "
                    f"the {MAX_PIXELS / 1e6:.0f}-megapixel limit", TOO_LARGE_FIX)
            if columns < 1 or rows < 1:
                raise PictureRefused("it declares no pixels", DAMAGED_FIX)
            dpi = _dpi(image)
            orientation = _orientation(image)
            if kind.name == "JPEG":
                # A large photo is decoded at a fraction of its size straight from its DCT data: much faster,
                # and its memory is a quarter or less.
                image.draft(image.mode if image.mode in ("RGB", "L", "CMYK") else "RGB", (MAX_SIDE, MAX_SIDE))
            image.seek(0)
            # WeasyPrint, once imported, tells Pillow to show truncated pictures as far as they go
            # (ImageFile.LOAD_TRUNCATED_IMAGES); a picture handed to a patient must be whole.
            lenient = ImageFile.LOAD_TRUNCATED_IMAGES
            ImageFile.LOAD_TRUNCATED_IMAGES = False
            try:
                image.load()
            finally:
                ImageFile.LOAD_TRUNCATED_IMAGES = lenient
            picture = _pixels(image, orientation)
    except PictureRefused:
        raise
    except (OSError, SyntaxError, ValueError, EOFError, Image.DecompressionBombError) as error:
        log.debug("picture refused: %s", error)
        raise PictureRefused("it is damaged or cut short, so it cannot be shown", DAMAGED_FIX) from None
    shown_columns = rows if orientation in (5, 6, 7, 8) else columns
    if width_in is None or width_in <= 0:
        width_in = shown_columns / (dpi or CSS_PIXELS_PER_INCH)
    width_in = round(width_in, 2)
    photo = kind.lossy and "A" not in picture.mode
    return _encoded(picture, "image/jpeg" if photo else "image/png", width_in, JPEG_QUALITY,
                    key=original_key(data), where=where)


def _opener(name: str):  # type: ignore[no-untyped-def]
    from PIL import GifImagePlugin, JpegImagePlugin, PngImagePlugin, WebPImagePlugin

    return {"PNG": PngImagePlugin.PngImageFile, "JPEG": JpegImagePlugin.JpegImageFile,
            "GIF": GifImagePlugin.GifImageFile, "WEBP": WebPImagePlugin.WebPImageFile}[name]


def _dpi(image) -> float | None:  # type: ignore[no-untyped-def]
    """The horizontal resolution the file states, when it is one a picture could have."""
    value = image.info.get("dpi")
    try:
        dpi = float(value[0]) if value else None
    except (TypeError, ValueError, IndexError):
        return None
    return dpi if dpi is not None and PLAUSIBLE_DPI[0] <= dpi <= PLAUSIBLE_DPI[1] else None


def _orientation(image) -> int:  # type: ignore[no-untyped-def]
    """The EXIF orientation (1-8): how the camera was held, which the pixels must be turned by."""
    try:
        value = int(image.getexif().get(0x0112, 1))
    except (TypeError, ValueError, OSError, SyntaxError):
        return 1
    return value if 1 <= value <= 8 else 1


def _pixels(image, orientation: int):  # type: ignore[no-untyped-def]
    """The pixels alone, at most MAX_SIDE on the longer side, turned upright, in sRGB, in a fresh image."""
    from PIL import Image, ImageCms

    icc = image.info.get("icc_profile")
    if image.mode in ("P", "PA"):
        image = image.convert("RGBA" if "transparency" in image.info or image.mode == "PA" else "RGB")
    if max(image.size) > MAX_SIDE:
        scale = MAX_SIDE / max(image.size)
        size = (max(1, round(image.size[0] * scale)), max(1, round(image.size[1] * scale)))
        working = image if image.mode in ("RGB", "RGBA", "L", "LA", "CMYK") else image.convert("RGBA")
        image = working.resize(size, Image.Resampling.LANCZOS, reducing_gap=3.0)
    alpha = None
    if image.mode in ("RGBA", "LA", "RGBa", "La"):
        alpha = image.getchannel("A")
        if alpha.getextrema() == (255, 255):
            alpha = None  # fully opaque: a photo saved with an alpha channel it does not use
        image = image.convert("RGB" if image.mode.startswith("RGB") else "L")
    if icc:
        try:
            source = ImageCms.ImageCmsProfile(io.BytesIO(icc))
            image = ImageCms.profileToProfile(image, source, _srgb(), outputMode="RGB",
                                              renderingIntent=ImageCms.Intent.PERCEPTUAL)
        except (ImageCms.PyCMSError, OSError, ValueError, TypeError):
            log.info("a picture's colour profile could not be read; its colours are taken as sRGB")
    if image.mode != "RGB":
        image = image.convert("RGB")
    if alpha is not None:
        image.putalpha(alpha if alpha.size == image.size else alpha.resize(image.size))
    transpose = {2: Image.Transpose.FLIP_LEFT_RIGHT, 3: Image.Transpose.ROTATE_180,
                 4: Image.Transpose.FLIP_TOP_BOTTOM, 5: Image.Transpose.TRANSPOSE,
                 6: Image.Transpose.ROTATE_270, 7: Image.Transpose.TRANSVERSE,
                 8: Image.Transpose.ROTATE_90}.get(orientation)
    if transpose is not None:
        image = image.transpose(transpose)
    # A new image takes none of the old one's information (EXIF, XMP, IPTC, comments, profile).
    fresh = Image.new(image.mode, image.size)
    fresh.paste(image)
    return fresh


@lru_cache(maxsize=1)
def _srgb():  # type: ignore[no-untyped-def]
    from PIL import ImageCms

    return ImageCms.createProfile("sRGB")


def _encoded(image, mime: str, width_in: float, quality: int, key: str = "",  # type: ignore[no-untyped-def]
             where: str = "") -> Picture:
    buffer = io.BytesIO()
    dpi = image.size[0] / width_in if width_in > 0 else CSS_PIXELS_PER_INCH
    if mime == "image/jpeg":
        image.save(buffer, "JPEG", quality=quality, optimize=True, dpi=(round(dpi), round(dpi)))
    else:
        image.save(buffer, "PNG", optimize=False, compress_level=6, dpi=(dpi, dpi))
    data = buffer.getvalue()
    return Picture(data=data, mime=mime, width=image.size[0], height=image.size[1],  # type: ignore[arg-type]
                   width_in=width_in, digest=hashlib.sha256(data).hexdigest(), key=key, where=where)


def _decoded(picture: Picture):  # type: ignore[no-untyped-def]
    """A picture made by :func:`clean`, decoded again (it is known to be safe)."""
    from PIL import Image

    image = Image.open(io.BytesIO(picture.data), formats=["PNG", "JPEG"])
    image.load()
    return image


@lru_cache(maxsize=64)
def _screen_copy(picture: Picture) -> Picture:
    from PIL import Image

    image = _decoded(picture)
    if image.size[0] > SCREEN_WIDTH:
        height = max(1, round(image.size[1] * SCREEN_WIDTH / image.size[0]))
        image = image.resize((SCREEN_WIDTH, height), Image.Resampling.LANCZOS)
    fresh = Image.new(image.mode, image.size)
    fresh.paste(image)
    return _encoded(fresh, picture.mime, picture.width_in, SCREEN_JPEG_QUALITY, key=picture.key,
                    where=picture.where)


def for_screen(picture: Picture) -> Picture:
    """The copy of a picture the page, the EPUB and the DAISY book carry: at most 1,600 pixels wide.

    A picture already that narrow is carried as it is.
    """
    if picture.width <= SCREEN_WIDTH:
        return picture
    return _screen_copy(picture)


def thumbnail(picture: Picture) -> Picture:
    """A small copy for staff to see which picture they describe (at most 320 pixels on its longer side)."""
    from PIL import Image

    image = _decoded(picture)
    image.thumbnail((THUMBNAIL_SIDE, THUMBNAIL_SIDE), Image.Resampling.LANCZOS)
    fresh = Image.new(image.mode, image.size)
    fresh.paste(image)
    return _encoded(fresh, picture.mime, picture.width_in, SCREEN_JPEG_QUALITY)


def data_uri(picture: Picture) -> str:
    """The picture as a ``data:`` address, so a page carries it inside itself."""
    return f"data:{picture.mime};base64,{base64.b64encode(picture.data).decode('ascii')}"


def extension(picture: Picture) -> str:
    return "jpg" if picture.mime == "image/jpeg" else "png"


# ---------------------------------------------------------------- print


# The text area of each paper (inches): 1-inch margins, 1.1 inches at the foot for the page number.
TEXT_AREA = {"letter": (6.5, 8.9), "a4": (6.27, 9.59)}
# Room kept on the page for a caption under the picture, and the lines around it.
CAPTION_ROOM_IN = 2.0


def print_size(picture: Picture, paper: str = "letter") -> tuple[float, float]:
    """How large (width, height in inches) the large print shows a picture.

    At least as wide as the source showed it, and as wide as the text
    when its pixels are sharp enough for that (150 an inch), never wider than
    the text, and never so tall that it, with a caption, cannot fit on one page.
    """
    text_width, text_height = TEXT_AREA.get(paper, TEXT_AREA["letter"])
    sharp = picture.width / SHARP_PIXELS_PER_INCH
    width = min(text_width, max(picture.width_in, min(text_width, sharp)))
    height = width * picture.height / picture.width
    tallest = text_height - CAPTION_ROOM_IN
    if height > tallest:
        width, height = tallest * picture.width / picture.height, tallest
    return round(width, 3), round(height, 3)


def describe(image_alt: str, lang: str) -> str:
    """What a reader who cannot see a picture meets: "Picture: <description>", or that it has none."""
    from .locale import gettext_for

    _ = gettext_for(lang)
    return _(PICTURE_LABEL) % {"description": image_alt} if image_alt else _(NO_DESCRIPTION)


# ---------------------------------------------------------------- descriptions kept beside an article

DESCRIPTIONS_SUFFIX = ".pictures.yml"
DESCRIPTIONS_HEADER = (
    "# Descriptions of this article's pictures, written in the staff web app; the article's own come second.\n"
    "# Each picture is named by the start of the SHA-256 of its file as it came.\n")


@dataclass(frozen=True)
class Description:
    """What staff said of one picture: its description, or that it is decorative."""

    text: str = ""
    decorative: bool = False


def descriptions_path(article: Path, slug: str) -> Path:
    """Where the descriptions kept for the article at ``article`` live: SLUG.pictures.yml beside it."""
    return article.with_name(slug + DESCRIPTIONS_SUFFIX)


def read_descriptions(path: Path) -> dict[str, Description]:
    """The descriptions kept at ``path`` (none when there is no file). Raises ValueError for a damaged one."""
    import yaml

    if not path.is_file():
        return {}
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    pictures = data.get("pictures") if isinstance(data, dict) else None
    if not isinstance(pictures, dict):
        raise ValueError("it must hold 'pictures:' with one entry for each picture")
    found = {}
    for key, entry in pictures.items():
        if not isinstance(entry, dict):
            raise ValueError(f"the entry {key!r} must give 'description:' or 'decorative: true'")
        text = " ".join(str(entry.get("description") or "").split())
        found[str(key)] = Description(text=text, decorative=bool(entry.get("decorative", False)))
    return found


def descriptions_text(descriptions: dict[str, Description]) -> str:
    """The file that keeps ``descriptions``."""
    import yaml

    entries = {key: ({"decorative": True} if entry.decorative else {"description": entry.text})
               for key, entry in sorted(descriptions.items()) if entry.decorative or entry.text}
    return DESCRIPTIONS_HEADER + yaml.safe_dump({"pictures": entries}, allow_unicode=True, sort_keys=True,
                                                width=1_000_000)
