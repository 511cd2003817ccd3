#!/usr/bin/env python3
"""Development stand-in for `digits serve`: serves Sources/Serving/Public/ and answers the JSON API with
responses shaped exactly like the real server's, so the page and scripts/browser-test.py can be worked on
without building the Swift server.

It is a dev tool, not a model: it decodes the PNG (stdlib zlib), crops the ink, scales it to 20x20 inside
28x28 like MNIST, and "recognises" it by the nearest class mean of the committed MNIST test set
(Data/mnist). Good enough for clean 1s and 7s; the real server runs the int8 network.

Usage: python3 scripts/mock_server.py [--port 8080] [--host 127.0.0.1] [--save DIR]
--save DIR keeps every image posted (as NNNN-predict.png / NNNN-read.png), to run them through `digits predict`.
Headers sent like the real server's: Content-Security-Policy: default-src 'self', X-Content-Type-Options.
"""
import argparse
import gzip
import json
import math
import os
import struct
import time
import uuid
import zlib
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlsplit, parse_qs

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), ".."))
PUBLIC = os.path.join(ROOT, "Sources", "Serving", "Public")
MAX_BODY = 8 * 1024 * 1024
MAX_PIXELS = 40_000_000
MIME = {".html": "text/html; charset=utf-8", ".js": "text/javascript; charset=utf-8",
        ".css": "text/css; charset=utf-8", ".svg": "image/svg+xml", ".png": "image/png",
        ".json": "application/json", ".ico": "image/x-icon"}
PNG_SIG = b"\x89PNG\r\n\x1a\n"


class ApiError(Exception):
    def __init__(self, status, code, message):
        super().__init__(message)
        self.status, self.code, self.message = status, code, message


# ---------- PNG decoding (8/16-bit, every colour type, no interlace) ----------

def decode_png(data):
    """Returns (width, height, luma rows as list of lists 0..255) with alpha composited on white."""
    if not data.startswith(PNG_SIG):
        raise ApiError(415, "unsupported_media_type", "not a PNG: the body does not start with the PNG signature")
    pos, idat, ihdr, palette, trns = 8, [], None, None, None
    while pos + 8 <= len(data):
        length, kind = struct.unpack(">I4s", data[pos:pos + 8])
        chunk = data[pos + 8:pos + 8 + length]
        if len(chunk) != length:
            raise ApiError(422, "unreadable_image", "truncated PNG: a chunk ends after the data")
        pos += 12 + length
        if kind == b"IHDR":
            ihdr = struct.unpack(">IIBBBBB", chunk)
        elif kind == b"PLTE":
            palette = [tuple(chunk[i:i + 3]) for i in range(0, len(chunk), 3)]
        elif kind == b"tRNS":
            trns = chunk
        elif kind == b"IDAT":
            idat.append(chunk)
        elif kind == b"IEND":
            break
    if ihdr is None:
        raise ApiError(422, "unreadable_image", "corrupt PNG: no IHDR chunk")
    width, height, depth, ctype, _, _, interlace = ihdr
    if width * height > MAX_PIXELS:
        raise ApiError(422, "image_too_large", f"PNG too large: {width}x{height} is over the limit of 40 megapixels")
    if interlace or depth not in (8, 16) and not (ctype == 3 and depth in (1, 2, 4)):
        raise ApiError(422, "unreadable_image", "the mock decodes only non-interlaced 8/16-bit PNGs")
    channels = {0: 1, 2: 3, 3: 1, 4: 2, 6: 4}[ctype]
    bpp = max(1, channels * depth // 8)
    stride = (width * channels * depth + 7) // 8
    try:
        raw = zlib.decompress(b"".join(idat))
    except zlib.error as err:
        raise ApiError(422, "unreadable_image", f"corrupt PNG: IDAT: {err}")
    if len(raw) < (stride + 1) * height:
        raise ApiError(422, "unreadable_image", "truncated PNG: the image data ends early")
    rows, prev = [], bytearray(stride)
    for y in range(height):
        f = raw[y * (stride + 1)]
        line = bytearray(raw[y * (stride + 1) + 1:(y + 1) * (stride + 1)])
        for i in range(stride):
            a = line[i - bpp] if i >= bpp else 0
            b = prev[i]
            c = prev[i - bpp] if i >= bpp else 0
            if f == 1:
                line[i] = (line[i] + a) & 255
            elif f == 2:
                line[i] = (line[i] + b) & 255
            elif f == 3:
                line[i] = (line[i] + ((a + b) >> 1)) & 255
            elif f == 4:
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                line[i] = (line[i] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
        rows.append(line)
        prev = line
    out = []
    for line in rows:
        if depth == 16:
            line = line[0::2]
        row = []
        if ctype == 3:
            per = 8 // depth
            for x in range(width):
                byte = line[x // per] if depth < 8 else line[x]
                idx = (byte >> (8 - depth * (x % per + 1))) & ((1 << depth) - 1) if depth < 8 else byte
                r, g, b = palette[idx] if palette and idx < len(palette) else (0, 0, 0)
                alpha = trns[idx] if trns and idx < len(trns) else 255
                y_ = (299 * r + 587 * g + 114 * b + 500) // 1000
                row.append((y_ * alpha + 255 * (255 - alpha) + 127) // 255)
        else:
            for x in range(width):
                px = line[x * channels:(x + 1) * channels]
                if channels in (1, 2):
                    y_ = px[0]
                else:
                    y_ = (299 * px[0] + 587 * px[1] + 114 * px[2] + 500) // 1000
                alpha = px[-1] if channels in (2, 4) else 255
                row.append((y_ * alpha + 255 * (255 - alpha) + 127) // 255)
        out.append(row)
    return width, height, out


# ---------- Preprocessing (a simplified version of Imaging's) ----------

def ink_map(width, height, rows):
    border = [rows[0][x] for x in range(width)] + [rows[-1][x] for x in range(width)] + \
             [rows[y][0] for y in range(height)] + [rows[y][-1] for y in range(height)]
    paper = sorted(border)[len(border) // 2]
    ink = [[abs(v - paper) for v in row] for row in rows]
    peak = max(max(r) for r in ink)
    if peak < 40:
        raise ApiError(422, "no_digit", "no digit found: the image has no ink (contrast below 40)")
    threshold = peak * 0.4
    return ink, threshold


def to_mnist(ink, threshold, x0, y0, x1, y1):
    """Crops [x0,x1)x[y0,y1) of the ink map to a 28x28 MNIST-style digit (255 = ink)."""
    w, h = x1 - x0, y1 - y0
    scale = 20.0 / max(w, h)
    ow, oh = max(1, round(w * scale)), max(1, round(h * scale))
    grid = [[0.0] * 28 for _ in range(28)]
    ox, oy = (28 - ow) // 2, (28 - oh) // 2
    for j in range(oh):
        sy0, sy1 = y0 + int(j / scale), max(y0 + int(j / scale) + 1, y0 + int((j + 1) / scale))
        for i in range(ow):
            sx0, sx1 = x0 + int(i / scale), max(x0 + int(i / scale) + 1, x0 + int((i + 1) / scale))
            total, count = 0, 0
            for yy in range(sy0, min(sy1, y1)):
                row = ink[yy]
                for xx in range(sx0, min(sx1, x1)):
                    total += 255 if row[xx] >= threshold else 0
                    count += 1
            grid[oy + j][ox + i] = total / max(count, 1)
    mass = sum(sum(r) for r in grid) or 1.0
    cy = sum(y * sum(r) for y, r in enumerate(grid)) / mass
    cx = sum(x * v for r in grid for x, v in enumerate(r)) / mass
    dx, dy = round(14 - cx), round(14 - cy)
    out = [0] * 784
    for y in range(28):
        for x in range(28):
            sy, sx = y - dy, x - dx
            if 0 <= sy < 28 and 0 <= sx < 28:
                out[y * 28 + x] = int(round(grid[sy][sx]))
    peak = max(out) or 1
    return [min(255, v * 255 // peak) for v in out]


def ink_box(ink, threshold, x0, x1, height):
    ys = [y for y in range(height) if any(v >= threshold for v in ink[y][x0:x1])]
    xs = [x for x in range(x0, x1) if any(ink[y][x] >= threshold for y in range(height))]
    if not ys or not xs:
        return None
    return xs[0], ys[0], xs[-1] + 1, ys[-1] + 1


def segments(ink, threshold, width, height):
    """Splits a row of digits at empty columns."""
    cols = [any(ink[y][x] >= threshold for y in range(height)) for x in range(width)]
    spans, start = [], None
    for x, on in enumerate(cols + [False]):
        if on and start is None:
            start = x
        elif not on and start is not None:
            spans.append((start, x))
            start = None
    boxes = [ink_box(ink, threshold, a, b, height) for a, b in spans]
    boxes = [b for b in boxes if b]
    if not boxes:
        return []
    biggest = max((b[2] - b[0]) * (b[3] - b[1]) for b in boxes)
    return [b for b in boxes if (b[2] - b[0]) * (b[3] - b[1]) >= 0.04 * biggest]


# ---------- "Model": nearest class mean of the MNIST test set ----------

def load_means(limit=3000):
    base = os.path.join(ROOT, "Data", "mnist")
    with gzip.open(os.path.join(base, "t10k-images-idx3-ubyte.gz")) as f:
        images = f.read()
    with gzip.open(os.path.join(base, "t10k-labels-idx1-ubyte.gz")) as f:
        labels = f.read()[8:]
    sums = [[0] * 784 for _ in range(10)]
    for n in range(limit):
        img = images[16 + n * 784:16 + (n + 1) * 784]
        s = sums[labels[n]]
        for i, v in enumerate(img):
            if v:
                s[i] += v
    means = []
    for s in sums:
        norm = math.sqrt(sum(v * v for v in s)) or 1.0
        means.append([v / norm for v in s])
    return means


MEANS = None


def classify(pixels, top):
    norm = math.sqrt(sum(v * v for v in pixels)) or 1.0
    sims = [sum(m[i] * pixels[i] for i in range(784) if pixels[i]) / norm for m in MEANS]
    exps = [math.exp(40 * (s - max(sims))) for s in sims]
    total = sum(exps)
    probs = [round(e / total, 6) for e in exps]
    digit = max(range(10), key=lambda d: probs[d])
    ranked = sorted(range(10), key=lambda d: -probs[d])[:top]
    return {"digit": digit, "confidence": probs[digit], "probabilities": probs,
            "top": [{"digit": d, "probability": probs[d]} for d in ranked]}


# ---------- HTTP ----------

MODEL = {"model": "mock", "model_sha256": "0" * 64}
SAVE_DIR = None
SAVED = [0]


def save_upload(kind, png):
    if SAVE_DIR:
        SAVED[0] += 1
        with open(os.path.join(SAVE_DIR, f"{SAVED[0]:04d}-{kind}.png"), "wb") as f:
            f.write(png)


def image_from_request(handler, body):
    ctype = handler.headers.get("Content-Type", "")
    if ctype.startswith("multipart/form-data"):
        boundary = ctype.split("boundary=")[-1].strip('"').encode()
        for part in body.split(b"--" + boundary):
            head, _, content = part.partition(b"\r\n\r\n")
            if b'name="image"' in head:
                return content.rsplit(b"\r\n", 1)[0]
        raise ApiError(400, "bad_request", "multipart body has no field named 'image'")
    if not ctype.startswith("image/png"):
        raise ApiError(415, "unsupported_media_type", f"expected Content-Type image/png or multipart/form-data, found '{ctype}'")
    return body


def predict(png, top):
    t0 = time.perf_counter()
    width, height, rows = decode_png(png)
    t1 = time.perf_counter()
    ink, threshold = ink_map(width, height, rows)
    box = ink_box(ink, threshold, 0, width, height)
    if box is None:
        raise ApiError(422, "no_digit", "no digit found")
    pixels = to_mnist(ink, threshold, *box)
    t2 = time.perf_counter()
    result = classify(pixels, top)
    t3 = time.perf_counter()
    result.update({"input": {"width": 28, "height": 28, "pixels": pixels},
                   "ink_box": {"x": box[0], "y": box[1], "width": box[2] - box[0], "height": box[3] - box[1]},
                   "latency_ms": {"decode": (t1 - t0) * 1e3, "preprocess": (t2 - t1) * 1e3,
                                  "inference": (t3 - t2) * 1e3, "total": (t3 - t0) * 1e3}})
    return result


def read(png, top):
    t0 = time.perf_counter()
    width, height, rows = decode_png(png)
    t1 = time.perf_counter()
    ink, threshold = ink_map(width, height, rows)
    boxes = segments(ink, threshold, width, height)
    if not boxes:
        raise ApiError(422, "no_digit", "no digits found")
    inputs = [to_mnist(ink, threshold, *b) for b in boxes]
    t2 = time.perf_counter()
    digits = []
    for b, pixels in zip(boxes, inputs):
        d = classify(pixels, top)
        d["input"] = {"width": 28, "height": 28, "pixels": pixels}
        d["box"] = {"x": b[0], "y": b[1], "width": b[2] - b[0], "height": b[3] - b[1]}
        digits.append(d)
    t3 = time.perf_counter()
    return {"text": "".join(str(d["digit"]) for d in digits),
            "confidence": min(d["confidence"] for d in digits), "digits": digits,
            "latency_ms": {"decode": (t1 - t0) * 1e3, "preprocess": (t2 - t1) * 1e3,
                           "inference": (t3 - t2) * 1e3, "total": (t3 - t0) * 1e3}}


class Handler(BaseHTTPRequestHandler):
    server_version = "digits-mock"

    def send(self, status, body, ctype, extra=None):
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Content-Security-Policy", "default-src 'self'")
        self.send_header("X-Content-Type-Options", "nosniff")
        for k, v in (extra or {}).items():
            self.send_header(k, v)
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def send_json(self, status, obj, extra=None):
        self.send(status, json.dumps(obj).encode(), "application/json", extra)

    def do_GET(self):
        path = urlsplit(self.path).path
        if path in ("/healthz", "/readyz"):
            return self.send_json(200, {"status": "ok"})
        if path == "/api/v1/models":
            return self.send_json(200, {"served": "mock", "models": [
                {"name": "mock", "macs": 7840, "parameters": 7840, "weights_sha256": "0" * 64}],
                "limits": {"max_body_bytes": MAX_BODY}})
        if path == "/api/v1/openapi.json":
            return self.send_json(200, {"openapi": "3.1.0", "info": {"title": "Digits (mock)", "version": "0"}})
        name = "index.html" if path == "/" else path.lstrip("/")
        full = os.path.abspath(os.path.join(PUBLIC, name))
        if not full.startswith(PUBLIC + os.sep) or not os.path.isfile(full):
            return self.send_json(404, {"error": "not_found", "message": f"no such path {path}", "request_id": "mock"})
        with open(full, "rb") as f:
            data = f.read()
        self.send(200, data, MIME.get(os.path.splitext(full)[1], "application/octet-stream"))

    do_HEAD = do_GET

    def do_POST(self):
        rid = uuid.uuid4().hex[:16]
        url = urlsplit(self.path)
        try:
            length = int(self.headers.get("Content-Length", "0"))
            if length > MAX_BODY:
                raise ApiError(413, "payload_too_large", f"the body is {length} bytes, over the limit of {MAX_BODY}")
            body = self.rfile.read(length)
            top = int(parse_qs(url.query).get("top", ["3"])[0])
            if url.path == "/api/v1/predict":
                png = image_from_request(self, body)
                save_upload("predict", png)
                result = predict(png, top)
            elif url.path == "/api/v1/read":
                png = image_from_request(self, body)
                save_upload("read", png)
                result = read(png, top)
            else:
                raise ApiError(404, "not_found", f"no such route POST {url.path}")
        except ApiError as err:
            return self.send_json(err.status, {"error": err.code, "message": err.message, "request_id": rid})
        except ValueError as err:
            return self.send_json(400, {"error": "bad_request", "message": str(err), "request_id": rid})
        out = dict(MODEL)
        out.update(result)
        out["request_id"] = rid
        self.send_json(200, out)

    def log_message(self, fmt, *args):
        pass


def main():
    global MEANS, SAVE_DIR
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8080)
    parser.add_argument("--save", metavar="DIR", help="keep every posted image in DIR")
    args = parser.parse_args()
    if args.save:
        os.makedirs(args.save, exist_ok=True)
        SAVE_DIR = args.save
    MEANS = load_means()
    server = ThreadingHTTPServer((args.host, args.port), Handler)
    print(f"mock server on http://{args.host}:{args.port}/ serving {os.path.relpath(PUBLIC)}", flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass


if __name__ == "__main__":
    main()
