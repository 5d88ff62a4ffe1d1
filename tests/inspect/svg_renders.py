#!/usr/bin/env python3
"""Check that an SVG document really renders, in headless Chromium.

    python3 tests/inspect/svg_renders.py FILE.svg [MIN_SHAPES]

1. The browser's XML parser takes the document as SVG: it is loaded with
   DOMParser as image/svg+xml (strict, unlike SVG inline in HTML), with no
   <parsererror>, an <svg> root in the SVG namespace, a non-empty box, and
   at least MIN_SHAPES (default 1) rect, text and path elements.
2. A screenshot of the file as the browser shows it is not blank: the PNG
   is decoded here (zlib and struct, no imaging library) and its non-white
   pixels counted.

Prints one line, "ok ..." or "not ok ...: reason", and exits 0 or 1.
"""
import html
import json
import os
import re
import signal
import struct
import subprocess
import sys
import tempfile
import zlib

CHROMIUM = "/usr/bin/chromium"
TIMEOUT = 60
MIN_INK = 50  # non-white pixels a drawing has at the least

# Parses the SVG text with the browser's XML parser, puts it in the page to
# measure it, and leaves the findings as JSON in #result for --dump-dom.
PAGE = """<!DOCTYPE html>
<html><head><meta charset="utf-8"></head><body><pre id="result">no result</pre>
<script>
const text = %s;
const r = {};
try {
  const doc = new DOMParser().parseFromString(text, "image/svg+xml");
  const errors = doc.getElementsByTagName("parsererror");
  r.parsererror = errors.length ? errors[0].textContent.slice(0, 200) : null;
  const root = doc.documentElement;
  r.root = root.localName;
  r.ns = root.namespaceURI;
  if (!r.parsererror && root.localName === "svg") {
    const svg = document.importNode(root, true);
    document.body.appendChild(svg);
    const box = svg.getBoundingClientRect();
    r.width = box.width;
    r.height = box.height;
    for (const tag of ["rect", "text", "path", "title"])
      r[tag] = svg.getElementsByTagName(tag).length;
    svg.remove();
  }
} catch (e) {
  r.exception = String(e);
}
document.getElementById("result").textContent = JSON.stringify(r);
</script></body></html>
"""


class NotOk(Exception):
    pass


def chromium(args, profile):
    """Run headless Chromium with args; its stdout. Time-limited: on
    timeout its whole process group is killed."""
    cmd = [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu",
           "--disable-dev-shm-usage", "--no-first-run", "--hide-scrollbars",
           "--user-data-dir=" + profile] + args
    p = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                         start_new_session=True)
    try:
        out, err = p.communicate(timeout=TIMEOUT)
    except subprocess.TimeoutExpired:
        os.killpg(p.pid, signal.SIGKILL)
        p.communicate()
        raise NotOk("chromium took more than %d s" % TIMEOUT)
    if p.returncode != 0:
        tail = err.decode(errors="replace").strip().splitlines()[-1:]
        raise NotOk("chromium exited with %d: %s" % (p.returncode, " ".join(tail)))
    return out.decode(errors="replace")


def parse_in_browser(text, work):
    literal = json.dumps(text).replace("</", "<\\/")
    page = os.path.join(work, "page.html")
    with open(page, "w", encoding="utf-8") as f:
        f.write(PAGE % literal)
    dom = chromium(["--dump-dom", "file://" + page], os.path.join(work, "profile1"))
    m = re.search(r'<pre id="result">(.*?)</pre>', dom, re.S)
    if not m:
        raise NotOk("the page reported nothing")
    try:
        return json.loads(html.unescape(m.group(1)))
    except ValueError:
        raise NotOk("the page reported: %s" % m.group(1)[:200])


def check_parse(r, min_shapes):
    if r.get("exception"):
        raise NotOk("script error: %s" % r["exception"])
    if r.get("parsererror"):
        # Chromium wraps the parser's message in words for a page
        message = re.sub(r"^This page contains the following errors:|Below is a rendering.*$",
                         "", " ".join(r["parsererror"].split()))
        raise NotOk("XML parse error: %s" % message.strip())
    if r.get("root") != "svg" or r.get("ns") != "http://www.w3.org/2000/svg":
        raise NotOk("root element is <%s> in namespace %s, not <svg> in the SVG namespace"
                    % (r.get("root"), r.get("ns")))
    if not r.get("width") or not r.get("height"):
        raise NotOk("the drawing has no size")
    shapes = r["rect"] + r["text"] + r["path"]
    if shapes < min_shapes:
        raise NotOk("%d shapes, expected at least %d" % (shapes, min_shapes))
    return shapes


def paeth(a, b, c):
    p = a + b - c
    pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
    if pa <= pb and pa <= pc:
        return a
    return b if pb <= pc else c


def unfilter(data, width, height, bpp):
    """The raw pixel rows of a non-interlaced PNG's inflated image data."""
    stride = width * bpp
    rows, prev, pos = [], bytearray(stride), 0
    for _ in range(height):
        kind, line = data[pos], bytearray(data[pos + 1:pos + 1 + stride])
        pos += 1 + stride
        for i in range(stride):
            a = line[i - bpp] if i >= bpp else 0
            c = prev[i - bpp] if i >= bpp else 0
            if kind == 1:
                line[i] = (line[i] + a) & 0xff
            elif kind == 2:
                line[i] = (line[i] + prev[i]) & 0xff
            elif kind == 3:
                line[i] = (line[i] + ((a + prev[i]) >> 1)) & 0xff
            elif kind == 4:
                line[i] = (line[i] + paeth(a, prev[i], c)) & 0xff
            elif kind != 0:
                raise NotOk("PNG row filter %d unknown" % kind)
        rows.append(line)
        prev = line
    return rows


def read_png(path):
    """(width, height, channels, rows) of an 8-bit greyscale or RGB(A) PNG."""
    with open(path, "rb") as f:
        data = f.read()
    if data[:8] != b"\x89PNG\r\n\x1a\n":
        raise NotOk("the screenshot is not a PNG")
    pos, idat, header = 8, [], None
    while pos + 8 <= len(data):
        length, kind = struct.unpack(">I4s", data[pos:pos + 8])
        body = data[pos + 8:pos + 8 + length]
        if kind == b"IHDR":
            header = struct.unpack(">IIBBBBB", body)
        elif kind == b"IDAT":
            idat.append(body)
        pos += 12 + length
    if not header:
        raise NotOk("the screenshot has no PNG header")
    width, height, depth, colour, _, _, interlace = header
    channels = {0: 1, 2: 3, 4: 2, 6: 4}.get(colour)
    if depth != 8 or not channels or interlace:
        raise NotOk("PNG of depth %d, colour type %d, interlace %d is not read here"
                    % (depth, colour, interlace))
    rows = unfilter(zlib.decompress(b"".join(idat)), width, height, channels)
    return width, height, channels, rows


def ink(rows, channels):
    """Pixels that are not white (nor transparent)."""
    colour = 3 if channels >= 3 else 1
    count = 0
    for row in rows:
        for i in range(0, len(row), channels):
            if channels in (2, 4) and row[i + channels - 1] == 0:
                continue
            if min(row[i:i + colour]) < 245:
                count += 1
    return count


def screenshot(path, r, work):
    # the window the drawing's own size, within reason
    w = min(max(int(r["width"] + 0.5), 100), 4000)
    h = min(max(int(r["height"] + 0.5), 100), 4000)
    shot = os.path.join(work, "shot.png")
    chromium(["--screenshot=" + shot, "--window-size=%d,%d" % (w, h),
              "file://" + os.path.abspath(path)], os.path.join(work, "profile2"))
    if not os.path.exists(shot):
        raise NotOk("chromium wrote no screenshot")
    width, height, channels, rows = read_png(shot)
    pixels = ink(rows, channels)
    if pixels < MIN_INK:
        raise NotOk("the screenshot is blank (%d non-white pixels of %d)"
                    % (pixels, width * height))
    return width, height, pixels


def check(path, min_shapes):
    if not os.path.exists(CHROMIUM):
        raise NotOk("%s is not installed" % CHROMIUM)
    try:
        with open(path, "rb") as f:
            text = f.read().decode("utf-8")
    except OSError as e:
        raise NotOk("cannot read: %s" % e.strerror)
    except UnicodeDecodeError as e:
        raise NotOk("not UTF-8 at byte %d" % e.start)
    with tempfile.TemporaryDirectory(prefix="svg-renders-") as work:
        r = parse_in_browser(text, work)
        shapes = check_parse(r, min_shapes)
        width, height, pixels = screenshot(path, r, work)
    return "%d shapes (%d rect, %d text, %d path, %d title), %dx%d screenshot, %d%% inked" % (
        shapes, r["rect"], r["text"], r["path"], r["title"], width, height,
        100 * pixels // (width * height))


def main():
    if len(sys.argv) not in (2, 3) or (len(sys.argv) == 3 and not sys.argv[2].isdigit()):
        print("usage: svg_renders.py FILE.svg [MIN_SHAPES]", file=sys.stderr)
        return 2
    path = sys.argv[1]
    min_shapes = int(sys.argv[2]) if len(sys.argv) == 3 else 1
    try:
        print("ok %s: %s" % (path, check(path, min_shapes)))
        return 0
    except NotOk as e:
        print("not ok %s: %s" % (path, e))
        return 1


if __name__ == "__main__":
    sys.exit(main())
