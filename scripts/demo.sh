#!/usr/bin/env bash
# Kiln's main job on a fresh machine: install dependencies, build, then build engines with the
# kiln tool and run and benchmark them (LeNet with the MNIST kit's trained weights, and a
# ResNet-18-shaped network).
set -euo pipefail
cd "$(dirname "$0")/.."
DATA=${KILN_DATA_DIR:-../shared/data}
BUILD=${KILN_BUILD_DIR:-build}
scripts/install_deps.sh
cmake -S . -B "$BUILD" -DCMAKE_BUILD_TYPE=Release -DKILN_DATA_DIR="$(realpath "$DATA")" >/dev/null
cmake --build "$BUILD" -j"$(nproc)" --target kiln
KILN="$BUILD/tools/kiln/kiln"
mkdir -p "$BUILD/demo"
echo "== LeNet from the MNIST kit's weights, implicit batch"
"$KILN" build --zoo lenet --weights "$DATA/mnist/mnistapi.wts" --implicit --batch 10 --saveEngine "$BUILD/demo/lenet.engine"
"$KILN" run --loadEngine "$BUILD/demo/lenet.engine" --pgm "$DATA/mnist/3.pgm" --mean "$DATA/mnist/mnist_mean.binaryproto" --outputDir "$BUILD/demo"
"$KILN" bench --loadEngine "$BUILD/demo/lenet.engine" --batch 10 --iterations 50
echo "== ResNet-18-shaped network (random weights), 224x224, explicit batch"
"$KILN" bench --zoo resnet18 --iterations 3 --warmup 1 --no-profile
"$KILN" build --zoo resnet18 --input-size 112 --saveEngine "$BUILD/demo/resnet18.engine"
"$KILN" bench --loadEngine "$BUILD/demo/resnet18.engine" --iterations 5 --warmup 1
