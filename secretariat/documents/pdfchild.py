"""Reads one PDF's text with pypdf, in a child process that `pdftext` starts and caps.

Run as a script (no Django, no project import): the PDF on standard input, the text
budget, the largest content a page may unpack to and the memory limit as arguments;
one JSON answer on standard output: {"text": ...} or {"refused": why, ...}.
"""

from __future__ import annotations

import io
import json
import resource
import sys


def main(argv: list[str]) -> dict:
    text_budget, page_cap, memory, seconds = map(int, argv)
    resource.setrlimit(resource.RLIMIT_AS, (memory, memory))
    resource.setrlimit(resource.RLIMIT_CPU, (seconds, seconds + 1))
    data = sys.stdin.buffer.read()

    # lazy: read only once the limits above hold, so pypdf's own loading is within them
    from pypdf import PdfReader, filters
    from pypdf.errors import LimitReachedError

    # pypdf's own limit on one decoded stream (75 MB by default), read from its module.
    filters.ZLIB_MAX_OUTPUT_LENGTH = filters.LZW_MAX_OUTPUT_LENGTH = page_cap + 1
    number = 0
    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted and not reader.decrypt(""):
            return {"refused": "encrypted"}
        pages = []
        for number, page in enumerate(reader.pages, 1):
            # Parsing costs pypdf some microseconds and tens of bytes per byte of a page's
            # drawing instructions: they are measured (decoded, at C speed) first.
            if _content_size(page, page_cap) > page_cap:
                return {"refused": "page_too_large", "page": number}
            pages.append(page.extract_text() or "")
            text_budget -= len(pages[-1])
            if text_budget < 0:
                return {"refused": "too_much_text"}
    except LimitReachedError:
        return {"refused": "page_too_large", "page": number}
    except MemoryError:
        return {"refused": "memory"}
    except Exception as exc:  # a child for one untrusted file: any failure is the file's
        return {"refused": "unreadable", "reason": str(exc)[:300] or type(exc).__name__}
    return {"text": "\n\n".join(pages)}


def _content_size(page, cap: int) -> int:
    """Bytes of drawing instructions the page unpacks to, its forms (XObjects) included;
    stops counting past `cap`."""
    total, seen = 0, set()
    streams = _resolved(page.get("/Contents"))
    streams = list(streams) if isinstance(streams, list) else [streams]
    resources = [page.get("/Resources")]
    while streams or resources:
        if streams:
            stream = _resolved(streams.pop())
            if stream is not None and hasattr(stream, "get_data"):
                total += len(stream.get_data())
            if total > cap:
                return total
            continue
        xobjects = _resolved((_resolved(resources.pop()) or {}).get("/XObject")) or {}
        for reference in xobjects.values():
            form = _resolved(reference)
            key = getattr(reference, "idnum", id(form))
            if key in seen or form is None or form.get("/Subtype") != "/Form":
                continue
            seen.add(key)
            streams.append(form)
            resources.append(form.get("/Resources"))
    return total


def _resolved(obj):
    return obj.get_object() if obj is not None and hasattr(obj, "get_object") else obj


if __name__ == "__main__":
    try:
        answer = main(sys.argv[1:])
    except MemoryError:
        answer = {"refused": "memory"}
    sys.stdout.write(json.dumps(answer))
