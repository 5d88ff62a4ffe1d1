#!/usr/bin/env python3
"""Questions about X screenshots (xwd -root dumps of a TrueColor screen),
for tests that check what a game shows:

  screen.py window SHOT          the bounding box of the non-black pixels: X Y W H
  screen.py mean SHOT X Y W H    the mean brightness (0-255) of a region
  screen.py differ A B X Y W H   the fraction of a region's pixels that differ
  screen.py png SHOT OUT         the dump as a PNG, to look at by eye
"""
import struct
import sys
import zlib


class Shot:
    def __init__(self, path):
        data = open(path, 'rb').read()
        if len(data) < 100:
            raise SystemExit(f"{path}: not an X window dump")
        hdr = struct.unpack('>25I', data[:100])
        hsize, width, height, byte_order = hdr[0], hdr[4], hdr[5], hdr[7]
        bpp, self.bpl, masks, ncolors = hdr[11], hdr[12], hdr[14:17], hdr[19]
        if bpp not in (24, 32):
            raise SystemExit(f"{path}: {bpp} bits per pixel, expected 24 or 32")
        self.data, self.width, self.height, self.masks = data, width, height, masks
        self.base, self.step = hsize + ncolors * 12, bpp // 8
        self.order = 'little' if byte_order == 0 else 'big'

    def rgb(self, x, y):
        at = self.base + y * self.bpl + x * self.step
        v = int.from_bytes(self.data[at:at + self.step], self.order)
        r, g, b = self.masks
        return (v & r) >> 16, (v & g) >> 8, v & b

    def region(self, x, y, w, h):
        return [self.rgb(i, j) for j in range(y, y + h) for i in range(x, x + w)]


def window(shot):
    xs, ys = [], []
    for y in range(0, shot.height, 2):
        for x in range(0, shot.width, 2):
            if sum(shot.rgb(x, y)) > 30:
                xs.append(x)
                ys.append(y)
    if not xs:
        return "0 0 0 0"
    return f"{min(xs)} {min(ys)} {max(xs) - min(xs) + 2} {max(ys) - min(ys) + 2}"


def mean(shot, box):
    px = shot.region(*box)
    return f"{sum(sum(p) for p in px) / (3 * len(px)):.1f}"


def differ(a, b, box):
    pa, pb = a.region(*box), b.region(*box)
    return f"{sum(p != q for p, q in zip(pa, pb)) / len(pa):.4f}"


def png(shot, out):
    w, h = shot.width, shot.height
    rows = b''.join(b'\0' + bytes(c for x in range(w) for c in shot.rgb(x, y)) for y in range(h))

    def chunk(kind, body):
        return struct.pack('>I', len(body)) + kind + body + struct.pack('>I', zlib.crc32(kind + body))
    open(out, 'wb').write(b'\x89PNG\r\n\x1a\n' + chunk(b'IHDR', struct.pack('>IIBBBBB', w, h, 8, 2, 0, 0, 0)) +
                          chunk(b'IDAT', zlib.compress(rows)) + chunk(b'IEND', b''))


def main(argv):
    if len(argv) < 3:
        raise SystemExit(__doc__)
    cmd, args = argv[1], argv[2:]
    if cmd == 'window':
        print(window(Shot(args[0])))
    elif cmd == 'mean' and len(args) == 5:
        print(mean(Shot(args[0]), [int(a) for a in args[1:]]))
    elif cmd == 'differ' and len(args) == 6:
        print(differ(Shot(args[0]), Shot(args[1]), [int(a) for a in args[2:]]))
    elif cmd == 'png' and len(args) == 2:
        png(Shot(args[0]), args[1])
    else:
        raise SystemExit(__doc__)


if __name__ == '__main__':
    main(sys.argv)
