#!/usr/bin/env bash
# Training throughput of every shipped spec: one epoch of the 55,000 training images (release build, all
# cores), reported as images/s by `digits train`. Needs the MNIST training files (see `digits data fetch`).
# Usage: Benchmarks/training-speed.sh [DATA_DIR] [THREADS]
set -euo pipefail
cd "$(dirname "$0")/.."
data="${1:-../shared/data/mnist}"
threads="${2:-$(nproc)}"
swift build -c release --product digits >/dev/null
out="$(mktemp -d)"
trap 'rm -rf "$out"' EXIT
echo "commit $(git rev-parse --short HEAD), $(nproc) cores, --threads $threads"
for spec in seed lenet5 convpool resnet best; do
    line="$(.build/release/digits train "Specs/$spec.spec" --data "$data" --epochs 1 --threads "$threads" \
        --out "$out/$spec.safetensors" 2>/dev/null | grep '^epoch 1:')"
    echo "$spec: ${line#*; lr *, }"
done
