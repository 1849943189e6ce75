"""The Traditional-character label catalogs (Taiwan, Hong Kong), written from the Simplified one.

``make catalogs`` runs this after the Simplified catalog (``handout.po``) is
updated: each label is converted character by character with zhconv's
regional tables; no word is translated. Run: ``python -m pipeline.languages.zh.traditional``.
"""

from __future__ import annotations

from pathlib import Path

HERE = Path(__file__).resolve().parent
REGIONS = (("zh_TW", "zh-tw"), ("zh_HK", "zh-hk"), ("zh_Hant", "zh-hant"))


def write_catalogs() -> list[Path]:
    import zhconv
    from babel.messages.pofile import read_po, write_po

    written = []
    for name, variant in REGIONS:
        with (HERE / "handout.po").open("rb") as handle:
            catalog = read_po(handle, locale="zh")
        for message in catalog:
            if message.id:
                message.string = zhconv.convert(message.string, variant)
        target = HERE / f"{name}.po"
        with target.open("wb") as handle:
            write_po(handle, catalog, sort_output=True)
        written.append(target)
    return written


if __name__ == "__main__":
    for path in write_catalogs():
        print(path)
