"""The embedded DejaVu font of invoice PDFs: each face parsed once per process, its
program cut for each document from the raw ``glyf`` table, without fontTools.

fpdf2 parses a TrueType font per ``add_font`` and re-subsets it with fontTools for every
document (~90 ms per invoice with DejaVu Sans). Here each face is parsed once per process
(:class:`FontFace`); every document gets a light copy of the parsed ``TTFFont`` (shared
metrics, its own subset map and descriptor), and the embedded font program is cut from the
raw ``glyf`` table with a few byte copies by :class:`InvoiceOutputProducer`, which fpdf2
takes through its public ``output(output_producer_class=...)`` hook. This leans on fpdf2's
private helpers (``_build_cmap_blocks``, ``_tt_font_widths``, ``OutputProducer._add_fonts``):
they are all in this module, so an fpdf2 upgrade is checked here.
"""

from __future__ import annotations

import copy
import struct
import threading
from collections.abc import Iterable
from pathlib import Path

from fpdf import FPDF
from fpdf.fonts import SubsetMap, TTFFont
from fpdf.output import (
    CIDSystemInfo,
    OutputProducer,
    PDFArray,
    PDFContentStream,
    PDFFont,
    PDFFontStream,
    _build_cmap_blocks,
    _tt_font_widths,
)
from fpdf.syntax import Name

FONT_DIR = Path(__file__).resolve().parent / "fonts"
FONT_FAMILY = "dejavusans"
FONT_FILES = {"": FONT_DIR / "DejaVuSans.ttf", "B": FONT_DIR / "DejaVuSans-Bold.ttf"}
PT = 25.4 / 72  # mm per point

# ---------------------------------------------------------------------------------------
# Fonts: parsed once per process, shared by every document.
# ---------------------------------------------------------------------------------------

# Tables copied into each embedded font program (besides those rebuilt per document).
_KEPT_TABLES = ("OS/2", "cvt ", "fpgm", "gasp", "prep")
_ARG_1_AND_2_ARE_WORDS = 0x0001
_WE_HAVE_A_SCALE = 0x0008
_MORE_COMPONENTS = 0x0020
_WE_HAVE_AN_X_AND_Y_SCALE = 0x0040
_WE_HAVE_A_TWO_BY_TWO = 0x0080


def _sfnt_tables(data: bytes) -> dict[str, bytes]:
    (num_tables,) = struct.unpack_from(">H", data, 4)
    tables = {}
    for i in range(num_tables):
        tag, _checksum, offset, length = struct.unpack_from(">4sIII", data, 12 + 16 * i)
        tables[tag.decode("latin-1")] = data[offset : offset + length]
    return tables


def _sfnt_checksum(data: bytes) -> int:
    data += b"\0" * (-len(data) % 4)
    return sum(struct.unpack(f">{len(data) // 4}I", data)) & 0xFFFFFFFF


def _build_sfnt(tables: dict[str, bytes]) -> bytes:
    """A TrueType file from its tables, with checksums and head.checkSumAdjustment."""
    tags = sorted(tables)
    count = len(tags)
    entry_selector = count.bit_length() - 1
    search_range = 16 << entry_selector
    header = struct.pack(
        ">IHHHH", 0x00010000, count, search_range, entry_selector, count * 16 - search_range
    )
    directory = []
    body = []
    offset = 12 + 16 * count
    head_offset = 0
    for tag in tags:
        table = tables[tag]
        if tag == "head":
            head_offset = offset
        directory.append(
            struct.pack(">4sIII", tag.encode("latin-1"), _sfnt_checksum(table), offset, len(table))
        )
        padded = table + b"\0" * (-len(table) % 4)
        body.append(padded)
        offset += len(padded)
    font = bytearray(header + b"".join(directory) + b"".join(body))
    adjustment = (0xB1B0AFBA - _sfnt_checksum(bytes(font))) & 0xFFFFFFFF
    struct.pack_into(">I", font, head_offset + 8, adjustment)
    return bytes(font)


def _name_table(name: bytes, keep_ids: Iterable[int] = range(7)) -> bytes:
    """The 'name' table reduced to copyright, family, style, id, full name, version, PS name."""
    _fmt, count, storage = struct.unpack_from(">HHH", name, 0)
    keep = set(keep_ids)
    records = []
    strings = bytearray()
    for i in range(count):
        platform, encoding, language, name_id, length, offset = struct.unpack_from(
            ">6H", name, 6 + 12 * i
        )
        if name_id not in keep:
            continue
        text = name[storage + offset : storage + offset + length]
        records.append((platform, encoding, language, name_id, len(text), len(strings)))
        strings += text
    head = struct.pack(">HHH", 0, len(records), 6 + 12 * len(records))
    return head + b"".join(struct.pack(">6H", *r) for r in records) + bytes(strings)


def _cmap_format4(unicode_to_gid: dict[int, int]) -> bytes:
    """A (3, 1) format 4 'cmap' with one segment per character (BMP only)."""
    segments = sorted((u, g) for u, g in unicode_to_gid.items() if u < 0xFFFF)
    segments.append((0xFFFF, 0))
    count = len(segments)
    ends = [u for u, _ in segments]
    starts = ends
    deltas = [(g - u) & 0xFFFF for u, g in segments[:-1]] + [1]
    entry_selector = count.bit_length() - 1
    search_range = 2 << entry_selector
    length = 16 + 8 * count
    sub = struct.pack(
        f">7H{count}HH{count}H{count}H{count}H",
        4, length, 0, 2 * count, search_range, entry_selector, 2 * count - search_range,
        *ends, 0, *starts, *deltas, *([0] * count),
    )  # fmt: skip
    return struct.pack(">HHHHI", 0, 1, 3, 1, 12) + sub


class FontFace:
    """One TrueType face, parsed once: fpdf2's metrics plus the raw glyph table."""

    def __init__(self, style: str, path: Path) -> None:
        self.style = style
        self.fontkey = FONT_FAMILY + style
        # fpdf2 needs an FPDF only to read len(fonts) and render_color_fonts.
        self.template = TTFFont(FPDF(), path, self.fontkey, style)
        self.template.ttfont.close()
        self.cmap: dict[int, str] = self.template.cmap
        self.cw = self.template.cw
        self.missing_width: float = self.template.desc.missing_width
        data = path.read_bytes()
        tables = _sfnt_tables(data)
        head, maxp, hhea = tables["head"], tables["maxp"], tables["hhea"]
        (num_glyphs,) = struct.unpack_from(">H", maxp, 4)
        (long_loca,) = struct.unpack_from(">h", head, 50)
        loca = tables["loca"]
        if long_loca:
            offsets = struct.unpack_from(f">{num_glyphs + 1}I", loca)
        else:
            offsets = tuple(2 * o for o in struct.unpack_from(f">{num_glyphs + 1}H", loca))
        glyf = tables["glyf"]
        self.glyphs: list[bytes] = [glyf[offsets[g] : offsets[g + 1]] for g in range(num_glyphs)]
        (n_metrics,) = struct.unpack_from(">H", hhea, 34)
        hmtx = tables["hmtx"]
        metrics = list(struct.iter_unpack(">Hh", hmtx[: 4 * n_metrics]))
        last_advance = metrics[-1][0]
        lsbs = struct.unpack_from(f">{num_glyphs - n_metrics}h", hmtx, 4 * n_metrics)
        metrics.extend((last_advance, lsb) for lsb in lsbs)
        self.metrics = metrics
        self.head = tables["head"]
        self.hhea = hhea
        self.maxp = maxp
        self.post3 = struct.pack(">I", 0x00030000) + tables["post"][4:32]
        self.name = _name_table(tables["name"])
        self.kept = {tag: tables[tag] for tag in _KEPT_TABLES if tag in tables}
        self._components: dict[int, tuple[tuple[int, int], ...]] = {}
        self._units: dict[str, float] = {}

    def components(self, gid: int) -> tuple[tuple[int, int], ...]:
        """(byte position, glyph id) of each component of a composite glyph."""
        found = self._components.get(gid)
        if found is not None:
            return found
        data = self.glyphs[gid]
        result = []
        if len(data) >= 10 and struct.unpack_from(">h", data, 0)[0] < 0:
            pos = 10
            while True:
                flags, component = struct.unpack_from(">HH", data, pos)
                result.append((pos + 2, component))
                pos += 4 + (4 if flags & _ARG_1_AND_2_ARE_WORDS else 2)
                if flags & _WE_HAVE_A_SCALE:
                    pos += 2
                elif flags & _WE_HAVE_AN_X_AND_Y_SCALE:
                    pos += 4
                elif flags & _WE_HAVE_A_TWO_BY_TWO:
                    pos += 8
                if not flags & _MORE_COMPONENTS:
                    break
        found = tuple(result)
        self._components[gid] = found
        return found

    def document_font(self, index: int) -> TTFFont:
        """A TTFFont for one document: shared metrics, its own subset and descriptor."""
        font = copy.copy(self.template)
        font.i = index
        font.desc = copy.copy(self.template.desc)
        font.missing_glyphs = []
        font.biggest_size_pt = 0
        font.subset = SubsetMap(font)
        return font

    def font_program(
        self, gids: Iterable[int], unicode_to_gid: dict[int, int]
    ) -> tuple[bytes, dict[int, int]]:
        """The TrueType program of glyphs ``gids`` (plus .notdef and composite parts),
        renumbered from 0; returns it and the old -> new glyph id map."""
        keep: set[int] = set()
        stack = [0, *gids]
        while stack:
            gid = stack.pop()
            if gid in keep:
                continue
            keep.add(gid)
            stack.extend(component for _, component in self.components(gid))
        order = sorted(keep)
        new_id = {old: new for new, old in enumerate(order)}
        glyf = bytearray()
        loca = [0]
        hmtx = []
        for old in order:
            data = self.glyphs[old]
            parts = self.components(old)
            if parts:
                patched = bytearray(data)
                for pos, component in parts:
                    struct.pack_into(">H", patched, pos, new_id[component])
                data = bytes(patched)
            glyf += data
            glyf += b"\0" * (-len(data) % 4)
            loca.append(len(glyf))
            hmtx.append(struct.pack(">Hh", *self.metrics[old]))
        head = bytearray(self.head)
        struct.pack_into(">I", head, 8, 0)
        struct.pack_into(">h", head, 50, 1)
        hhea = bytearray(self.hhea)
        struct.pack_into(">H", hhea, 34, len(order))
        maxp = bytearray(self.maxp)
        struct.pack_into(">H", maxp, 4, len(order))
        tables = dict(self.kept)
        tables.update(
            {
                "head": bytes(head),
                "hhea": bytes(hhea),
                "maxp": bytes(maxp),
                "hmtx": b"".join(hmtx),
                "loca": struct.pack(f">{len(loca)}I", *loca),
                "glyf": bytes(glyf),
                "post": self.post3,
                "name": self.name,
                "cmap": _cmap_format4(
                    {u: new_id[g] for u, g in unicode_to_gid.items() if g in new_id}
                ),
            }
        )
        return _build_sfnt(tables), new_id

    def units(self, text: str) -> float:
        """Advance width of ``text`` in 1/1000 em (no kerning, as fpdf2 draws it)."""
        cached = self._units.get(text)
        if cached is None:
            get, missing = self.cw.get, self.missing_width
            cached = sum(get(ord(c), missing) for c in text)
            if len(self._units) > 100_000:
                self._units.clear()
            self._units[text] = cached
        return cached

    def width(self, text: str, size_pt: float) -> float:
        """Width of ``text`` in mm at ``size_pt``."""
        return self.units(text) * size_pt / 1000 * PT


_faces: dict[str, FontFace] = {}  # by style
_faces_by_key: dict[str, FontFace] = {}  # by fpdf2 font key
_faces_lock = threading.Lock()


def font_face(style: str) -> FontFace:
    """The face of ``style`` ("" or "B"), parsed on first use."""
    face = _faces.get(style)
    if face is None:
        with _faces_lock:
            face = _faces.get(style)
            if face is None:
                face = FontFace(style, FONT_FILES[style])
                _faces_by_key[face.fontkey] = face
                _faces[style] = face
    return face


class InvoiceOutputProducer(OutputProducer):
    """fpdf2's producer, embedding our shared fonts without fontTools subsetting."""

    def _add_fonts(self, image_objects_per_index, gfxstate_objs_per_name, pattern_objs_per_name):
        fonts = self.fpdf.fonts  # a dict owned by fpdf2's resource catalog
        shared = {key: fonts.pop(key) for key in list(fonts) if key in _faces_by_key}
        try:
            result = super()._add_fonts(
                image_objects_per_index, gfxstate_objs_per_name, pattern_objs_per_name
            )
        finally:
            fonts.update(shared)
        for key, font in sorted(shared.items(), key=lambda item: item[1].i):
            # only TTF faces are shared (fpdf2's fonts dict is typed for core fonts too)
            result[font.i] = self._add_shared_font(_faces_by_key[key], font)  # type: ignore[arg-type]
        return result

    def _add_shared_font(self, face: FontFace, font: TTFFont) -> PDFFont:
        # (glyph, code in the PDF, glyph id in the face); fpdf2 reserves code 0 for a
        # ".notdef" entry whose glyph_id is not a glyph id.
        used = [
            (glyph, code, 0 if glyph.glyph_name == ".notdef" else glyph.glyph_id)
            for glyph, code in font.subset.items()
            if glyph is not None
        ]
        SubsetMap.pick.cache_clear()  # fpdf2 clears these caches after each document too
        SubsetMap.get_glyph.cache_clear()
        unicode_to_gid = {  # a used glyph's unicode is a tuple (fpdf2 types it int | tuple)
            glyph.unicode[0]: gid  # type: ignore[index]
            for glyph, _, gid in used
            if len(glyph.unicode) == 1 and gid  # type: ignore[arg-type]
        }
        program, new_id = face.font_program((gid for _, _, gid in used), unicode_to_gid)
        tag = "TB" + "".join(chr(ord("A") + (font.i // 26**k) % 26) for k in range(4))
        font_name = f"{tag}+{font.name}"

        composite = PDFFont(subtype="Type0", base_font=font_name, encoding="Identity-H")
        self._add_pdf_obj(composite, "fonts")
        cid_font = PDFFont(
            subtype="CIDFontType2",
            base_font=font_name,
            d_w=font.desc.missing_width,
            w=_tt_font_widths(font),
        )
        self._add_pdf_obj(cid_font, "fonts")
        composite.descendant_fonts = PDFArray([cid_font])

        bf_chars = [
            f"<{code:04X}> <{''.join(chr(u).encode('utf-16-be').hex().upper() for u in chars)}>\n"
            for glyph, code, gid in used
            if isinstance(chars := glyph.unicode, tuple) and chars and gid
        ]
        to_unicode = PDFContentStream(
            (
                "/CIDInit /ProcSet findresource begin\n12 dict begin\nbegincmap\n"
                "/CIDSystemInfo\n<</Registry (Adobe)\n/Ordering (UCS)\n/Supplement 0\n>> def\n"
                "/CMapName /Adobe-Identity-UCS def\n/CMapType 2 def\n"
                "1 begincodespacerange\n<0000> <FFFF>\nendcodespacerange\n"
                f"{_build_cmap_blocks(bf_chars, 'bfchar')}"
                "endcmap\nCMapName currentdict /CMap defineresource pop\nend\nend"
            ).encode("latin-1"),
            compress=True,
        )
        self._add_pdf_obj(to_unicode, "fonts")
        composite.to_unicode = to_unicode

        system_info = CIDSystemInfo()
        self._add_pdf_obj(system_info, "fonts")
        cid_font.c_i_d_system_info = system_info

        descriptor = font.desc
        descriptor.font_name = Name(font_name)
        self._add_pdf_obj(descriptor, "fonts")
        cid_font.font_descriptor = descriptor

        top = max((code for _, code, _ in used), default=0)
        cid_to_gid = bytearray(2 * (top + 1))
        for _, code, gid in used:
            struct.pack_into(">H", cid_to_gid, 2 * code, new_id[gid])
        cid_to_gid_obj = PDFContentStream(contents=bytes(cid_to_gid), compress=True)
        self._add_pdf_obj(cid_to_gid_obj, "fonts")
        cid_font.c_i_d_to_g_i_d_map = cid_to_gid_obj

        font_file = PDFFontStream(contents=program)
        self._add_pdf_obj(font_file, "fonts")
        descriptor.font_file2 = font_file  # type: ignore[attr-defined]  # as fpdf2 sets it
        return composite


__all__ = [
    "FONT_DIR",
    "FONT_FAMILY",
    "FONT_FILES",
    "PT",
    "FontFace",
    "InvoiceOutputProducer",
    "font_face",
]
