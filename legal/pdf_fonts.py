"""The certificate's fonts for the directly written PDF: DejaVu Serif (regular, italic,
bold) and DejaVu Sans (regular, bold) from the system, found once through fontconfig.

Each face is subset once per process to a fixed repertoire (Latin-1, Latin Extended-A,
the typographic quotes and dashes, currency signs) and embedded in every certificate as
a Type0 font (CIDFontType2, Identity-H) with its widths and a ToUnicode map, so the text
can be searched and copied. The subset carries no timestamp: the same bytes in every
process. Text with a character outside the repertoire cannot be set with these fonts;
`fonts_cover` says so beforehand."""

import functools
import hashlib
import io
import subprocess
import zlib
from dataclasses import dataclass

import pydyf
from fontTools import subset
from fontTools.ttLib import TTFont

FACES = {
    "serif": "DejaVu Serif:style=Book",
    "serif-italic": "DejaVu Serif:style=Italic",
    "serif-bold": "DejaVu Serif:style=Bold",
    "sans": "DejaVu Sans:style=Book",
    "sans-bold": "DejaVu Sans:style=Bold",
}
# Dashes, quotes, bullet, ellipsis, per mille, angle quotes, narrow no-break space,
# fraction slash, numero, trade mark; then currency signs (euro, pound, won, rupee...).
PUNCTUATION = [0x2010, 0x2011, 0x2012, 0x2013, 0x2014, 0x2018, 0x2019, 0x201A, 0x201C]
PUNCTUATION += [0x201D, 0x201E, 0x2020, 0x2021, 0x2022, 0x2026, 0x2030, 0x2039, 0x203A]
PUNCTUATION += [0x202F, 0x2044, 0x2116, 0x2122]
CURRENCIES = [0x20A1, 0x20A4, 0x20A6, 0x20A9, 0x20AA, 0x20AB, 0x20AC, 0x20B1, 0x20B4]
CURRENCIES += [0x20B9, 0x20BA, 0x20BD]
REPERTOIRE = frozenset([*range(0x20, 0x7F), *range(0xA0, 0x180), *PUNCTUATION, *CURRENCIES])


@dataclass(frozen=True)
class Face:
    """One subset face: its font program and, per character, glyph id and advance
    (in thousandths of the font size)."""

    name: str
    program: bytes
    glyphs: dict[str, int]
    advances: dict[str, float]
    ascent: float
    descent: float
    cap_height: float
    bbox: tuple[int, int, int, int]

    def width(self, text: str, size: float, spacing: float = 0.0) -> float:
        """The advance of `text` at `size` points, with `spacing` after each character."""
        return sum(self.advances[c] for c in text) * size / 1000 + spacing * len(text)

    def encode(self, text: str) -> bytes:
        """`text` as a PDF hex string of two-byte glyph ids (Identity-H)."""
        return b"<" + "".join(f"{self.glyphs[c]:04x}" for c in text).encode() + b">"


@functools.cache
def font_file(key: str) -> str:
    """The system file of face `key` (one of FACES), found through fontconfig. The
    challenges' preview images are drawn with the same files."""
    found = subprocess.run(
        ["fc-match", "--format=%{file}", FACES[key]], capture_output=True, text=True, check=True
    )
    return found.stdout


def _subset_tag(program: bytes) -> str:
    """Six capital letters naming the subset, as PDF readers expect of a subset font."""
    return "".join(chr(65 + byte % 26) for byte in hashlib.sha256(program).digest()[:6])


def _subset(path: str) -> tuple[TTFont, bytes]:
    font = TTFont(path, recalcTimestamp=False)
    options = subset.Options()
    options.hinting = False
    options.layout_features = []
    options.name_IDs = [1, 2, 6]
    options.drop_tables += ["FFTM"]
    subsetter = subset.Subsetter(options=options)
    subsetter.populate(unicodes=REPERTOIRE)
    subsetter.subset(font)
    buffer = io.BytesIO()
    font.save(buffer)
    return TTFont(io.BytesIO(buffer.getvalue()), recalcTimestamp=False), buffer.getvalue()


@functools.cache
def face(key: str) -> Face:
    """The subset face `key` (one of FACES), loaded on first use."""
    font, program = _subset(font_file(key))
    scale = 1000 / font["head"].unitsPerEm
    glyphs, advances = {}, {}
    for code, glyph in font.getBestCmap().items():
        glyphs[chr(code)] = font.getGlyphID(glyph)
        advances[chr(code)] = font["hmtx"][glyph][0] * scale
    head = font["head"]
    return Face(
        name=_subset_tag(program) + "+" + font["name"].getDebugName(6),
        program=program,
        glyphs=glyphs,
        advances=advances,
        ascent=font["hhea"].ascent * scale,
        descent=-font["hhea"].descent * scale,
        cap_height=font["glyf"][font.getBestCmap()[ord("H")]].yMax * scale,
        bbox=tuple(round(v * scale) for v in (head.xMin, head.yMin, head.xMax, head.yMax)),
    )


def fonts_cover(text: str) -> bool:
    """Whether every face can set every character of `text`."""
    return all(set(text) <= face(key).glyphs.keys() for key in FACES)


def _to_unicode(chosen: Face) -> bytes:
    pairs = sorted((gid, ord(c)) for c, gid in chosen.glyphs.items())
    lines = [
        b"/CIDInit /ProcSet findresource begin 12 dict begin begincmap",
        b"/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def",
        b"/CMapName /Adobe-Identity-UCS def /CMapType 2 def",
        b"1 begincodespacerange <0000> <ffff> endcodespacerange",
    ]
    for start in range(0, len(pairs), 100):
        chunk = pairs[start : start + 100]
        lines.append(f"{len(chunk)} beginbfchar".encode())
        lines += [f"<{gid:04x}> <{code:04x}>".encode() for gid, code in chunk]
        lines.append(b"endbfchar")
    lines.append(b"endcmap CMapName currentdict /CMap defineresource pop end end")
    return b"\n".join(lines)


def _widths(chosen: Face) -> bytes:
    """The /W array: each run of consecutive glyph ids as `first [w1 w2 ...]`."""
    by_gid = sorted({chosen.glyphs[c]: round(chosen.advances[c]) for c in chosen.glyphs}.items())
    runs: list[tuple[int, list[int]]] = []
    for gid, advance in by_gid:
        if runs and runs[-1][0] + len(runs[-1][1]) == gid:
            runs[-1][1].append(advance)
        else:
            runs.append((gid, [advance]))
    return (
        b"["
        + b" ".join(b"%d [%s]" % (first, " ".join(map(str, ws)).encode()) for first, ws in runs)
        + b"]"
    )


@dataclass(frozen=True)
class Embedding:
    """What every PDF embedding a face repeats, compressed once."""

    program: bytes
    to_unicode: bytes
    widths: bytes


@functools.cache
def _embedding(key: str) -> Embedding:
    chosen = face(key)
    return Embedding(
        program=zlib.compress(chosen.program, 9),
        to_unicode=zlib.compress(_to_unicode(chosen), 9),
        widths=_widths(chosen),
    )


def font_embed(document: pydyf.PDF, key: str) -> pydyf.Dictionary:
    """Add face `key` to `document` and return its Type0 font dictionary."""
    chosen, embedding = face(key), _embedding(key)
    deflated = {"Filter": "/FlateDecode"}
    program = pydyf.Stream([embedding.program], {**deflated, "Length1": len(chosen.program)})
    to_unicode = pydyf.Stream([embedding.to_unicode], deflated)
    italic = "italic" in key
    base = "/" + chosen.name
    descriptor = pydyf.Dictionary(
        {
            "Type": "/FontDescriptor",
            "FontName": base,
            "Flags": 4 + 64 * italic,
            "FontBBox": pydyf.Array(chosen.bbox),
            "ItalicAngle": -11 * italic,
            "Ascent": round(chosen.ascent),
            "Descent": -round(chosen.descent),
            "CapHeight": round(chosen.cap_height),
            "StemV": 80,
        }
    )
    descendant = pydyf.Dictionary(
        {
            "Type": "/Font",
            "Subtype": "/CIDFontType2",
            "BaseFont": base,
            "CIDSystemInfo": pydyf.Dictionary(
                {
                    "Registry": pydyf.String("Adobe"),
                    "Ordering": pydyf.String("Identity"),
                    "Supplement": 0,
                }
            ),
            "W": embedding.widths,
            "CIDToGIDMap": "/Identity",
        }
    )
    font = pydyf.Dictionary({"Type": "/Font", "Subtype": "/Type0", "BaseFont": base})
    font["Encoding"] = "/Identity-H"
    for item in (program, to_unicode, descriptor, descendant, font):
        document.add_object(item)
    font["ToUnicode"] = to_unicode.reference
    descriptor["FontFile2"] = program.reference
    descendant["FontDescriptor"] = descriptor.reference
    font["DescendantFonts"] = pydyf.Array([descendant.reference])
    return font
