#!/usr/bin/env python3
"""Writes the tiny PNG fixtures for ImagingTests with pypng (an encoder independent of libpng) and
expected-luma.json with the luminance each must decode to.

Expected values follow the decoder's documented rules: 16-bit samples rounded to 8 bits (v / 257),
sub-8-bit gray scaled to 0…255, luma = (299 R + 587 G + 114 B + 500) // 1000, alpha composited on white.

Usage: pip install pypng==0.20220715.0 && python3 scripts/make_png_fixtures.py
"""
import json
import os
import random

import png

OUT = os.path.join(os.path.dirname(__file__), "..", "Tests", "ImagingTests", "Fixtures")
random.seed(7)


def to8(value, depth):
    return round(value * 255 / ((1 << depth) - 1))


def luma_rgb(r, g, b):
    return (299 * r + 587 * g + 114 * b + 500) // 1000


def over_white_gray(gray, alpha):
    return (gray * alpha + 255 * (255 - alpha) + 127) // 255


def over_white_rgb(r, g, b, alpha):
    return ((299 * r + 587 * g + 114 * b) * alpha + 255000 * (255 - alpha) + 127500) // 255000


def rand_rows(width, height, channels, depth):
    top = (1 << depth) - 1
    rows = []
    for _ in range(height):
        row = [random.randint(0, top) for _ in range(width * channels)]
        rows.append(row)
    # Make sure the extremes appear.
    rows[0][0] = 0
    rows[-1][-1] = top
    return rows


expected = {}


def save(name, width, height, rows, luma, **writer_args):
    path = os.path.join(OUT, name)
    with open(path, "wb") as f:
        png.Writer(width, height, **writer_args).write(f, rows)
    expected[name] = {"width": width, "height": height, "luma": luma}


def gray(name, width, height, depth, interlace=False):
    rows = rand_rows(width, height, 1, depth)
    luma = [to8(v, depth) for row in rows for v in row]
    save(name, width, height, rows, luma, greyscale=True, bitdepth=depth, interlace=interlace)


def gray_alpha(name, width, height, depth):
    rows = rand_rows(width, height, 2, depth)
    luma = []
    for row in rows:
        for x in range(width):
            luma.append(over_white_gray(to8(row[2 * x], depth), to8(row[2 * x + 1], depth)))
    save(name, width, height, rows, luma, greyscale=True, alpha=True, bitdepth=depth)


def rgb(name, width, height, depth, alpha=False, interlace=False):
    channels = 4 if alpha else 3
    rows = rand_rows(width, height, channels, depth)
    luma = []
    for row in rows:
        for x in range(width):
            p = [to8(v, depth) for v in row[channels * x:channels * x + channels]]
            luma.append(over_white_rgb(*p) if alpha else luma_rgb(*p))
    save(name, width, height, rows, luma, greyscale=False, alpha=alpha, bitdepth=depth, interlace=interlace)


def palette(name, width, height, depth, with_alpha):
    count = 1 << depth
    entries = []
    for i in range(count):
        color = (random.randint(0, 255), random.randint(0, 255), random.randint(0, 255))
        entries.append(color + ((random.randint(0, 255),) if with_alpha and i < count - 1 else ((255,) if with_alpha else ())))
    rows = rand_rows(width, height, 1, depth)
    luma = []
    for row in rows:
        for index in row:
            e = entries[index]
            luma.append(over_white_rgb(*e) if with_alpha else luma_rgb(*e))
    save(name, width, height, rows, luma, palette=entries, bitdepth=depth)


gray("gray1.png", 11, 3, 1)
gray("gray2.png", 5, 3, 2)
gray("gray4.png", 7, 2, 4)
gray("gray8-interlaced.png", 10, 9, 8, interlace=True)
gray("gray16.png", 3, 3, 16)
gray_alpha("gray-alpha8.png", 4, 3, 8)
gray_alpha("gray-alpha16.png", 3, 2, 16)
rgb("rgb8.png", 4, 3, 8)
rgb("rgb16-interlaced.png", 9, 9, 16, interlace=True)
rgb("rgba8.png", 4, 3, 8, alpha=True)
rgb("rgba16.png", 3, 2, 16, alpha=True)
palette("palette1.png", 9, 2, 1, with_alpha=False)
palette("palette2-trns.png", 5, 2, 2, with_alpha=True)
palette("palette4.png", 6, 3, 4, with_alpha=False)
palette("palette8-trns.png", 5, 4, 8, with_alpha=True)

with open(os.path.join(OUT, "expected-luma.json"), "w") as f:
    json.dump(expected, f, indent=1, sort_keys=True)
    f.write("\n")
