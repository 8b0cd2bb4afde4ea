"""A minimal text extractor for the PDFs reportlab writes, since no PDF reader is installed.

It inflates the streams, maps each embedded font subset's codes through its ToUnicode CMap,
and decodes the ``(…) Tj`` strings of the page content in order.
"""

from __future__ import annotations

import base64
import re
import zlib


def _objects(data: bytes) -> dict[int, tuple[bytes, bytes]]:
    """Object number → (dictionary, decoded stream), slicing each stream by its /Length."""
    objects: dict[int, tuple[bytes, bytes]] = {}
    for match in re.finditer(rb"(\d+) 0 obj\s*<<", data):
        start = match.end()
        stream_at = data.find(b"stream", start)
        end_at = data.find(b"endobj", start)
        content = b""
        header = data[start:end_at]
        if stream_at != -1 and stream_at < end_at:
            header = data[start:stream_at]
            length = re.search(rb"/Length (\d+)", header)
            assert length
            begin = stream_at + len(b"stream")
            begin += 2 if data[begin : begin + 2] == b"\r\n" else 1
            content = data[begin : begin + int(length.group(1))]
            end_at = data.find(b"endobj", begin + len(content))
            if b"ASCII85Decode" in header:
                content = base64.a85decode(content.strip(), adobe=True)
            if b"FlateDecode" in header:
                content = zlib.decompress(content)
        objects[int(match.group(1))] = (header, content)
    return objects


def _cmap(content: bytes) -> dict[int, str]:
    mapping: dict[int, str] = {}
    for section in re.findall(rb"beginbfchar(.*?)endbfchar", content, re.S):
        for src, dst in re.findall(rb"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>", section):
            mapping[int(src, 16)] = bytes.fromhex(dst.decode()).decode("utf-16-be")
    return mapping


def _unescape(raw: bytes) -> bytes:
    out = bytearray()
    i = 0
    while i < len(raw):
        ch = raw[i]
        if ch == 0x5C:  # backslash
            nxt = raw[i + 1 : i + 2]
            if nxt.isdigit():
                octal = re.match(rb"[0-7]{1,3}", raw[i + 1 : i + 4])
                assert octal
                out.append(int(octal.group(0), 8))
                i += 1 + len(octal.group(0))
                continue
            out += {b"n": b"\n", b"r": b"\r", b"t": b"\t"}.get(nxt, nxt)
            i += 2
            continue
        out.append(ch)
        i += 1
    return bytes(out)


def pdf_text(data: bytes) -> str:
    objects = _objects(data)
    # Font resource name → code map, via the font object's ToUnicode reference.
    fonts: dict[bytes, dict[int, str]] = {}
    for _number, (body, _content) in objects.items():
        for name, ref in re.findall(rb"/(F\d+(?:\+\d+)?) (\d+) 0 R", body):
            font_body = objects.get(int(ref), (b"", b""))[0]
            uni = re.search(rb"/ToUnicode (\d+) 0 R", font_body)
            if uni:
                fonts[name] = _cmap(objects[int(uni.group(1))][1])
            else:
                fonts.setdefault(name, {})
    text: list[str] = []
    token = re.compile(rb"/(F\d+(?:\+\d+)?) [\d.]+ Tf|\(((?:\\.|[^\\)])*)\) Tj|(T\*|Td|TD|ET)")
    for _number, (body, content) in objects.items():
        if b"/Length" not in body or b"BT" not in content:
            continue
        current: dict[int, str] = {}
        for match in token.finditer(content):
            if match.group(1):
                current = fonts.get(match.group(1), {})
            elif match.group(3):
                text.append("\n")
            else:
                raw = _unescape(match.group(2))
                text.append("".join(current.get(b, chr(b)) for b in raw))
    return "".join(text)
