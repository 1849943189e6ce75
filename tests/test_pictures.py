"""Pictures made safe: nothing private kept, upright, in sRGB, only the kinds taken, bombs refused from the header."""

from __future__ import annotations

import io
import json
import subprocess
import sys
from pathlib import Path

import pytest
from photos import (
    cut_short,
    declared_png,
    exif_of,
    phone_exif,
    phone_photo,
    png_with_metadata,
    private_traces,
)
from PIL import Image

from pipeline import pictures
from pipeline.pictures import (
    Description,
    PictureRefused,
    clean,
    descriptions_text,
    for_screen,
    print_size,
    read_descriptions,
)

ROOT = Path(__file__).resolve().parent.parent


def opened(data: bytes) -> Image.Image:
    image = Image.open(io.BytesIO(data))
    image.load()
    return image


# ---------------------------------------------------------------- nothing private kept


def test_a_phone_photo_loses_its_gps_camera_time_xmp_iptc_comment_and_profile() -> None:
    original = phone_photo()
    assert {"EXIF", "xmp", "comment", "icc_profile", "IPTC", "camera model"} <= set(private_traces(original))
    picture = clean(original)
    assert private_traces(picture.data) == []
    assert exif_of(picture.data) == {}
    assert picture.mime == "image/jpeg"


def test_a_png_loses_its_text_xmp_exif_and_profile_and_keeps_its_transparency() -> None:
    original = png_with_metadata()
    assert {"EXIF", "XML:com.adobe.xmp", "Comment", "icc_profile"} <= set(private_traces(original))
    picture = clean(original)
    assert private_traces(picture.data) == []
    image = opened(picture.data)
    assert picture.mime == "image/png" and image.mode == "RGBA"
    assert image.getpixel((0, 0))[3] == 0 and image.getpixel((5, 5))[3] == 255


def test_the_exif_orientation_is_applied_to_the_pixels() -> None:
    # Stored 1200 x 900 with a white square top left; orientation 6 shows it turned a quarter clockwise.
    picture = clean(phone_photo(1200, 900, orientation=6))
    image = opened(picture.data)
    assert image.size == (900, 1200) == (picture.width, picture.height)
    assert image.getpixel((image.width - 10, 10)) == (255, 255, 255)  # the square is now top right
    assert image.getpixel((10, 10)) != (255, 255, 255)
    upright = opened(clean(phone_photo(1200, 900, orientation=1)).data)
    assert upright.size == (1200, 900) and upright.getpixel((10, 10)) == (255, 255, 255)


def test_colours_are_converted_to_srgb_from_the_profile() -> None:
    # In the photo's own profile, red and green are swapped: its "red" pixels are green to the eye.
    red, green, blue = opened(clean(phone_photo(colour=(200, 0, 0))).data).getpixel((450, 900))
    assert green > 150 and red < 40 and blue < 40
    without = opened(clean(phone_photo(colour=(200, 0, 0), profile=False)).data).getpixel((450, 900))
    assert without[0] > 150 and without[1] < 40  # no profile: taken as sRGB, left as it is


def test_the_size_shown_in_the_source_travels_as_the_resolution_and_nothing_else() -> None:
    picture = clean(phone_photo(1200, 900), width_in=3.0)
    assert picture.width_in == 3.0
    again = clean(picture.data)  # the resolution written says the same width
    assert again.width_in == pytest.approx(3.0, abs=0.02)
    assert clean(phone_photo(1200, 900)).width_in == round(900 / 72, 2)  # the phone's 72 dpi, shown upright


def test_a_large_photo_is_made_at_most_2000_pixels_on_its_longer_side() -> None:
    picture = clean(phone_photo(4032, 3024, orientation=1))
    assert (picture.width, picture.height) == (2000, 1500)


@pytest.mark.parametrize("kind, save", [
    ("GIF", {"format": "GIF", "save_all": True}),
    ("WEBP lossless", {"format": "WEBP", "lossless": True}),
    ("WEBP lossy", {"format": "WEBP", "quality": 80}),
])
def test_gif_and_webp_are_taken_and_a_gif_gives_its_first_frame(kind: str, save: dict) -> None:
    frames = [Image.new("RGB", (120, 80), colour) for colour in ((0, 128, 0), (200, 0, 0))]
    buffer = io.BytesIO()
    frames[0].save(buffer, append_images=frames[1:], exif=phone_exif(1), **save)
    picture = clean(buffer.getvalue())
    image = opened(picture.data)
    assert image.size == (120, 80) and private_traces(picture.data) == []
    red, green, _ = image.convert("RGB").getpixel((60, 40))
    assert green > 100 and red < 40  # the first frame's green
    assert picture.mime == ("image/jpeg" if kind == "WEBP lossy" else "image/png")


# ---------------------------------------------------------------- refused


@pytest.mark.parametrize("data, problem, fix", [
    (b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>',
     "SVG drawing, which can carry script", "save it as PNG"),
    (b"<svg xmlns='http://www.w3.org/2000/svg'/>", "SVG drawing", "Save as Picture > PNG"),
    (b"\0\0\0\x18ftypheic" + bytes(40), "HEIC photo", "save it as JPEG"),
    (b"II*\0" + bytes(60), "TIFF picture", "save it as PNG"),
    (b"BM" + bytes(60), "BMP picture", "save it as PNG"),
    (b"%PDF-1.7\n" + bytes(60), "not a picture handouts take (PNG, JPEG, GIF or WebP)", "save it as PNG"),
])
def test_only_png_jpeg_gif_and_webp_are_taken(data: bytes, problem: str, fix: str) -> None:
    with pytest.raises(PictureRefused) as refused:
        clean(data)
    assert problem in refused.value.problem and fix in refused.value.fix


def test_a_picture_cut_short_is_refused_with_what_to_do() -> None:
    # WeasyPrint, imported by the PDF, tells Pillow to take truncated pictures; the reader must not.
    import weasyprint  # noqa: F401

    for data in (cut_short(phone_photo()), cut_short(png_with_metadata()), b"\x89PNG\r\n\x1a\n" + bytes(30)):
        with pytest.raises(PictureRefused, match="damaged or cut short") as refused:
            clean(data)
        assert "save it again" in refused.value.fix


def test_a_png_that_declares_60000_by_60000_pixels_is_refused_from_its_header() -> None:
    with pytest.raises(PictureRefused) as refused:
        clean(declared_png(60_000, 60_000))
    assert refused.value.problem == ("it declares 60,000 x 60,000 pixels (3,600 megapixels), over the "
                                     "40-megapixel limit")
    assert "at most 6000 pixels" in refused.value.fix


@pytest.mark.parametrize("size, whole", [((60_000, 60_000), False), ((9_000, 9_000), True)])
def test_refusing_a_huge_png_costs_almost_no_memory(size: tuple[int, int], whole: bool) -> None:
    """Measured in a fresh process: its peak resident memory before and after refusing the file.

    The 9,000 x 9,000 PNG has all its rows (243 MB decoded) and is under Pillow's own bomb limit, so only
    our check from the header keeps it from being decoded.
    """
    script = (
        "import json, resource, sys\n"
        "sys.path[:0] = [sys.argv[1], sys.argv[1] + '/tests']\n"
        "from photos import declared_png\n"
        "from pipeline.pictures import PictureRefused, clean\n"
        "data = declared_png(int(sys.argv[2]), int(sys.argv[3]), whole=sys.argv[4] == 'whole')\n"
        "clean(declared_png(10, 10, whole=True))\n"  # Pillow's decoders loaded before the measure
        "before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss\n"
        "try:\n    clean(data)\nexcept PictureRefused as refused:\n    print(refused.problem, file=sys.stderr)\n"
        "print(json.dumps([before, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss]))\n")
    done = subprocess.run([sys.executable, "-c", script, str(ROOT), str(size[0]), str(size[1]),
                           "whole" if whole else "header"], capture_output=True, text=True, check=True)
    before, after = json.loads(done.stdout)
    assert "megapixel limit" in done.stderr
    assert (after - before) / 1024 < 5, f"peak grew by {(after - before) / 1024:.1f} MB"


def test_a_picture_just_under_the_limit_is_decoded_and_one_just_over_is_not() -> None:
    with pytest.raises(PictureRefused, match="40,001,000 pixels|40,001 x 1,000"):
        clean(declared_png(40_001, 1_000))
    image = Image.new("L", (8000, 5000), 255)  # 40 megapixels exactly: taken
    buffer = io.BytesIO()
    image.save(buffer, "PNG")
    assert clean(buffer.getvalue()).width == 2000


# ---------------------------------------------------------------- the sizes outputs use


def test_the_screen_copy_is_at_most_1600_pixels_wide_and_smaller() -> None:
    picture = clean(phone_photo(4032, 3024, orientation=1))
    shown = for_screen(picture)
    assert (shown.width, shown.height) == (1600, 1200) and len(shown.data) < len(picture.data)
    assert private_traces(shown.data) == []
    small = clean(phone_photo(800, 600, orientation=1))
    assert for_screen(small) is small


def test_print_size_at_least_as_in_the_source_up_to_the_text_and_never_blurred() -> None:
    # Sharp enough for the whole text width (6.5 in on Letter): as wide as the text.
    assert print_size(clean(phone_photo(2000, 1000, orientation=1)))[0] == 6.5
    # 450 pixels are sharp up to 3 in (150 an inch): shown 3 in wide, more than the 1.5 in of the source...
    small = clean(phone_photo(450, 300, orientation=1), width_in=1.5)
    assert print_size(small)[0] == 3.0
    # ...but never narrower than the source showed it, even if that is less sharp.
    assert print_size(clean(phone_photo(450, 300, orientation=1), width_in=4.0))[0] == 4.0
    # A tall picture is made to fit one page with room for a caption (8.9 - 2 in on Letter).
    width, height = print_size(clean(phone_photo(1000, 4000, orientation=1)))
    assert height == 6.9 and width == pytest.approx(6.9 / 4, abs=0.01)
    assert print_size(clean(phone_photo(2000, 1000, orientation=1)), "a4")[0] == 6.27


# ---------------------------------------------------------------- descriptions kept beside the article


def test_descriptions_are_kept_and_read_back(tmp_path: Path) -> None:
    kept = {"0123456789abcdef": Description("A meter showing 5.4"), "fedcba9876543210": Description(decorative=True),
            "00000000000000aa": Description()}
    path = tmp_path / "a.pictures.yml"
    path.write_text(descriptions_text(kept), encoding="utf-8")
    assert read_descriptions(path) == {key: value for key, value in kept.items() if key != "00000000000000aa"}
    assert read_descriptions(tmp_path / "none.yml") == {}
    path.write_text("pictures: [1, 2]\n", encoding="utf-8")
    with pytest.raises(ValueError):
        read_descriptions(path)


def test_the_key_is_the_original_files_and_the_digest_the_clean_ones() -> None:
    original = phone_photo()
    picture = clean(original)
    assert picture.key == pictures.original_key(original) != pictures.original_key(picture.data)
    assert len(picture.digest) == 64 and picture.digest == pictures.hashlib.sha256(picture.data).hexdigest()
