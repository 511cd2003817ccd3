#!/bin/sh
# Every compiled model against the int8 reference interpreter on all 10,000 MNIST test images, on every kernel
# path this CPU has (AVX-512 VNNI, AVX2, portable). Prints a SHA-256 of all logits (image order, int8 bytes) per
# model and path: equal hashes across paths and machines mean equal bits. Exits non-zero on any difference.
# Takes ~20 minutes on 2 cores (the interpreter is plain loops). Usage, from anywhere:
#   scripts/check-bitexact.sh [MODEL...] [--images N]
set -eu
cd "$(dirname "$0")/.."
swift build -c release --product digits >/dev/null
exec .build/release/digits verify "$@"
