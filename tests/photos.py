"""Pictures for the tests, made as phones and programs make them: with GPS, camera, XMP, IPTC, comments, profiles.

Nothing here is a committed binary: each picture is drawn with Pillow when a
test asks for it. A phone photo is a solid colour with a white square in its
top-left corner as stored, so a test can tell whether its EXIF orientation was
applied, and it carries a colour profile whose red and green primaries are
swapped, so a test can tell whether its colours were converted to sRGB.
"""

from __future__ import annotations

import io
import struct
import zlib
from pathlib import Path

GPS_LATITUDE = (51.0, 30.0, 26.64)
CAMERA = ("Apple", "iPhone 15 Pro")
SECRET_COMMENT = b"patient: Jane Doe, bed 12"
XMP = (b'<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">'
       b'<rdf:Description xmlns:photoshop="http://ns.adobe.com/photoshop/1.0/" photoshop:City="Springfield"/>'
       b"</rdf:RDF></x:xmpmeta>")
IPTC_CAPTION = b"Ward 7, Jane Doe"


def _s15(value: float) -> bytes:
    return struct.pack(">i", round(value * 65536))


def swapped_primaries_profile() -> bytes:
    """An ICC v2 RGB display profile like sRGB's, but with its red and green primaries swapped.

    A pixel (200, 0, 0) in this profile is a green; converted to sRGB it must
    come out green, which shows the conversion was made.
    """
    def xyz(x: float, y: float, z: float) -> bytes:
        return b"XYZ " + bytes(4) + _s15(x) + _s15(y) + _s15(z)

    curve = b"curv" + bytes(4) + struct.pack(">I", 1) + struct.pack(">H", 0x0233) + bytes(2)  # gamma 2.2
    text = b"swapped red and green\0"
    # textDescriptionType: the ASCII text, then empty Unicode and ScriptCode parts.
    desc = b"desc" + bytes(4) + struct.pack(">I", len(text)) + text + bytes(8) + bytes(3) + bytes(67)
    red, green, blue = (0.4361, 0.2225, 0.0139), (0.3851, 0.7169, 0.0971), (0.1431, 0.0606, 0.7141)
    tags = [(b"desc", desc), (b"wtpt", xyz(0.9642, 1.0, 0.8249)), (b"rXYZ", xyz(*green)), (b"gXYZ", xyz(*red)),
            (b"bXYZ", xyz(*blue)), (b"rTRC", curve), (b"gTRC", curve), (b"bTRC", curve),
            (b"cprt", b"text" + bytes(4) + b"no copyright\0")]
    table_size = 4 + 12 * len(tags)
    offset = 128 + table_size
    table, data = struct.pack(">I", len(tags)), b""
    for signature, body in tags:
        body += bytes(-len(body) % 4)
        table += signature + struct.pack(">II", offset + len(data), len(body))
        data += body
    size = 128 + table_size + len(data)
    header = (struct.pack(">I", size) + bytes(4) + struct.pack(">I", 0x02100000) + b"mntr" + b"RGB " + b"XYZ "
              + bytes(12) + b"acsp" + bytes(4) + bytes(4) + bytes(4) + bytes(4) + bytes(8) + bytes(4)
              + _s15(0.9642) + _s15(1.0) + _s15(0.8249) + bytes(4) + bytes(16) + bytes(28))
    assert len(header) == 128
    return header + table + data


def phone_exif(orientation: int = 6):  # type: ignore[no-untyped-def]
    """EXIF as a phone writes it: camera make and model, the time, where it was taken, how it was held."""
    from PIL import Image

    exif = Image.Exif()
    exif[0x010F], exif[0x0110] = CAMERA
    exif[0x0112] = orientation
    exif[0x0132] = "2026:11:30 09:41:00"
    exif[0x8825] = {1: "N", 2: GPS_LATITUDE, 3: "W", 4: (0.0, 7.0, 39.0), 5: 0, 6: 35.0}
    return exif


def with_iptc(jpeg: bytes) -> bytes:
    """A JPEG with an IPTC caption (an APP13 "Photoshop 3.0" segment), as photo desks write one."""
    record = b"\x1c\x02\x78" + struct.pack(">H", len(IPTC_CAPTION)) + IPTC_CAPTION
    resource = b"8BIM" + struct.pack(">H", 0x0404) + b"\0\0" + struct.pack(">I", len(record)) + record
    resource += bytes(len(resource) % 2)
    body = b"Photoshop 3.0\0" + resource
    # After the JFIF and EXIF segments, where Photoshop puts it (readers look for JFIF or EXIF first).
    at = 2
    while jpeg[at] == 0xFF and 0xE0 <= jpeg[at + 1] <= 0xEF:
        at += 2 + struct.unpack(">H", jpeg[at + 2:at + 4])[0]
    return jpeg[:at] + b"\xff\xed" + struct.pack(">H", len(body) + 2) + body + jpeg[at:]


def phone_photo(width: int = 1200, height: int = 900, colour: tuple[int, int, int] = (200, 0, 0),
                orientation: int = 6, profile: bool = True) -> bytes:
    """A JPEG as a phone saves it: EXIF with GPS, camera and orientation, XMP, IPTC, a comment, a profile.

    Stored sideways (``width`` x ``height``, orientation 6: turn 90 degrees
    clockwise to show), with a white square in its stored top-left corner.
    """
    from PIL import Image, ImageDraw

    image = Image.new("RGB", (width, height), colour)
    ImageDraw.Draw(image).rectangle((0, 0, width // 5, height // 5), fill=(255, 255, 255))
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=92, exif=phone_exif(orientation), xmp=XMP, comment=SECRET_COMMENT,
               icc_profile=swapped_primaries_profile() if profile else None, dpi=(72, 72))
    return with_iptc(buffer.getvalue())


def png_with_metadata(width: int = 400, height: int = 300) -> bytes:
    """A PNG with text chunks, XMP, EXIF (eXIf) and a colour profile, as editing programs write one."""
    from PIL import Image, PngImagePlugin

    info = PngImagePlugin.PngInfo()
    info.add_text("Comment", SECRET_COMMENT.decode())
    info.add_itxt("XML:com.adobe.xmp", XMP.decode())
    image = Image.new("RGBA", (width, height), (0, 0, 200, 255))
    image.putpixel((0, 0), (0, 0, 200, 0))  # one transparent pixel: a picture with an alpha channel it uses
    buffer = io.BytesIO()
    image.save(buffer, "PNG", pnginfo=info, exif=phone_exif(1), icc_profile=swapped_primaries_profile())
    return buffer.getvalue()


def _chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)


def declared_png(width: int, height: int, whole: bool = False) -> bytes:
    """A small PNG file whose header declares ``width`` x ``height`` pixels (a decompression bomb's way).

    With ``whole``, every row is really there (black, so it packs about a thousand to one): decoding it
    takes the memory its size says.
    """
    if whole:
        packer, row = zlib.compressobj(9), b"\x00" * (1 + 3 * width)
        rows = b"".join(packer.compress(row) for _ in range(height)) + packer.flush()
    else:
        rows = zlib.compress(b"\x00" * 4096)
    return (b"\x89PNG\r\n\x1a\n" + _chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
            + _chunk(b"IDAT", rows) + _chunk(b"IEND", b""))


def cut_short(data: bytes) -> bytes:
    """The first half of a picture file, as an interrupted copy leaves it."""
    return data[: len(data) // 2]


def exif_of(data: bytes) -> dict:
    """Every EXIF tag a picture file carries, GPS and camera ones included (empty when none)."""
    from PIL import Image

    with Image.open(io.BytesIO(data)) as image:
        exif = image.getexif()
        found = dict(exif)
        found.update({f"gps:{k}": v for k, v in exif.get_ifd(0x8825).items()})
        found.update({f"exif:{k}": v for k, v in exif.get_ifd(0x8769).items()})
        return found


def private_traces(data: bytes) -> list[str]:
    """What of a phone's or editor's metadata a picture file still carries, by name (none: [])."""
    from PIL import Image

    found = []
    with Image.open(io.BytesIO(data)) as image:
        info = image.info
        if exif_of(data):
            found.append("EXIF")
        for key in ("xmp", "XML:com.adobe.xmp", "comment", "Comment", "icc_profile", "exif", "photoshop"):
            if info.get(key):
                found.append(key)
    for needle, name in ((b"Exif\0\0", "EXIF bytes"), (b"x:xmpmeta", "XMP bytes"), (b"Photoshop 3.0", "IPTC"),
                         (SECRET_COMMENT, "comment bytes"), (CAMERA[1].encode(), "camera model"),
                         (IPTC_CAPTION, "IPTC caption"), (b"Springfield", "XMP city")):
        if needle in data:
            found.append(name)
    return found


def write(folder: Path, name: str, data: bytes) -> Path:
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return path
