"""`make bench` part ``pictures``: the seed built with three phone photos against the same seed without them.

The photos are made here as a phone saves them (4032 x 3024 JPEGs of about
2.5 MB, sideways with an EXIF orientation, GPS, camera, XMP, IPTC, a comment
and a colour profile), so the build does all a real one does: decode, turn,
convert to sRGB, strip, scale for print and screen, and carry them in the PDF,
the page, the EPUB and the DAISY book. Both articles are built in every format,
round after round, so other load on the machine falls on both alike.
"""

from __future__ import annotations

import io
import statistics
from collections.abc import Callable
from pathlib import Path

# Where the photos stand: after the paragraph that starts with each of these words.
PLACES = ("Ketamine has", "Ketamine treatment", "Ketamine’s potential")


def phone_photo(seed: int, width: int = 4032, height: int = 3024) -> bytes:
    """A JPEG with a phone's size, noise and metadata (the noise keeps it as large as a real photo)."""
    import numpy as np
    from PIL import Image

    rng = np.random.default_rng(seed)
    y, x = np.mgrid[0:height, 0:width]
    colour = rng.integers(40, 220, 3)
    base = np.stack([x / width * c + y / height * (255 - c) for c in colour], axis=-1)
    base += rng.normal(0, 6, base.shape)
    image = Image.fromarray(np.clip(base, 0, 255).astype("uint8"))
    exif = Image.Exif()
    exif[0x010F], exif[0x0110], exif[0x0112] = "PhoneMaker", "Phone 15", 6  # make, model, orientation
    exif.get_ifd(0x8825).update({1: "N", 2: (51.0, 30.0, 0.0), 3: "W", 4: (0.0, 7.0, 0.0)})  # GPS
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=90, exif=exif, comment=b"patient room 4")
    return buffer.getvalue()


def with_pictures(seed: Path, folder: Path) -> tuple[Path, Path]:
    """The seed as it is and with three described photos in its own folder: (without, with)."""
    plain, pictured = folder / "without", folder / "with"
    for where in (plain, pictured / "pictures"):
        where.mkdir(parents=True, exist_ok=True)
    text = seed.read_text(encoding="utf-8")
    (plain / seed.name).write_text(text, encoding="utf-8")
    lines = text.splitlines()
    for number, start in enumerate(PLACES, 1):
        (pictured / "pictures" / f"photo-{number}.jpg").write_bytes(phone_photo(number))
        at = next(i for i, line in enumerate(lines) if line.startswith(start) and not line.startswith("#"))
        lines.insert(at + 1, f"\n![Photo {number}: a clinic room with a chair by the window]"
                             f"(pictures/photo-{number}.jpg)")
    (pictured / seed.name).write_text("\n".join(lines) + "\n", encoding="utf-8")
    return plain / seed.name, pictured / seed.name


def pictures(work: Path, seed: Path, measured_build: Callable[[list[str]], tuple[float, dict]],
             row: Callable[..., None], runs: int) -> None:
    """Time and peak memory of the seed's full build with the photos, against without them."""
    without, with_ = with_pictures(seed, work / "pictured")
    times: dict[Path, list[float]] = {without: [], with_: []}
    peaks: dict[Path, list[float]] = {without: [], with_: []}
    for _ in range(max(1, runs // 2)):
        for article in (without, with_):
            elapsed, usage = measured_build(["build", str(article), "--out", str(article.parent / "out"), "--force"])
            times[article].append(elapsed)
            peaks[article].append(usage["self_peak_mb"])
    ours, base = statistics.median(times[with_]), statistics.median(times[without])
    megabytes = sum(path.stat().st_size for path in (with_.parent / "pictures").iterdir()) / 1e6
    row(f"full build of the seed with three 12-megapixel phone photos ({megabytes:.1f} MB) vs the same seed "
        f"without them, every format (median of {len(times[with_])}; peak memory {max(peaks[with_]):.0f} MB "
        f"vs {max(peaks[without]):.0f} MB)", ours, base, ours / base, "report", None)
