#!/usr/bin/env bash
# Kiln's main job on a fresh machine: install dependencies, build, write real ONNX models (seeded
# random weights, ONNX Runtime references), then build, run and benchmark them with the kiln tool
# and print how Kiln's outputs and speed compare with ONNX Runtime's; the MNIST kit's Caffe and UFF
# models go through the Caffe and UFF parsers.
set -euo pipefail
cd "$(dirname "$0")/.."
DATA=${KILN_DATA_DIR:-../shared/data}
BUILD=${KILN_BUILD_DIR:-build}
scripts/install_deps.sh
cmake -S . -B "$BUILD" -DCMAKE_BUILD_TYPE=Release -DKILN_DATA_DIR="$(realpath "$DATA")" >/dev/null
cmake --build "$BUILD" -j"$(nproc)" --target kiln
KILN="$BUILD/tools/kiln/kiln"
MODELS="$BUILD/onnx_models"
mkdir -p "$BUILD/demo"
echo "== Writing ONNX models (ResNet-50/18, MobileNetV2, SqueezeNet, BERT, dynamic batch) and ONNX Runtime references"
python3 tests/onnx/models/make_models.py "$MODELS"
echo "== ResNet-50-style model: build an engine, run it, compare with ONNX Runtime"
"$KILN" build --onnx "$MODELS/resnet50/model.onnx" --saveEngine "$BUILD/demo/resnet50.engine"
"$KILN" run --loadEngine "$BUILD/demo/resnet50.engine" --loadInputs "input:$MODELS/resnet50/input_input.npy" \
  --outputDir "$BUILD/demo"
python3 scripts/onnx_demo.py "$MODELS" --model resnet50 --kiln-outputs "$BUILD/demo"
echo "== Dynamic batch: one engine for batch 1..8 (profile from the command line), run at batch 4"
"$KILN" build --onnx "$MODELS/dynamic_batch/model.onnx" --minShapes x:1x3x32x32 --optShapes x:4x3x32x32 \
  --maxShapes x:8x3x32x32 --saveEngine "$BUILD/demo/dynamic.engine"
"$KILN" run --loadEngine "$BUILD/demo/dynamic.engine" --shapes x:4x3x32x32 \
  --loadInputs "x:$MODELS/dynamic_batch/input_x_b4.npy" --outputDir "$BUILD/demo"
echo "== The MNIST kit through the Caffe parser (sampleMNIST's files) and the UFF parser (sampleUffMNIST's)"
MNIST="$DATA/mnist"
"$KILN" build --deploy "$MNIST/mnist.prototxt" --model "$MNIST/mnist.caffemodel" --output prob \
  --saveEngine "$BUILD/demo/mnist_caffe.engine"
"$KILN" run --loadEngine "$BUILD/demo/mnist_caffe.engine" --pgm "$MNIST/3.pgm" --mean "$MNIST/mnist_mean.binaryproto" \
  --outputDir "$BUILD/demo"
"$KILN" build --uff "$MNIST/lenet5.uff" --uffInput in,1,28,28 --output out --saveEngine "$BUILD/demo/mnist_uff.engine"
"$KILN" run --loadEngine "$BUILD/demo/mnist_uff.engine" --pgm "$MNIST/7.pgm" --invert --outputDir "$BUILD/demo"
echo "== Every model through kiln run, compared with ONNX Runtime"
python3 scripts/onnx_demo.py "$MODELS" --kiln "$KILN" --work "$BUILD/demo/all"
echo "== Latency, Kiln vs ONNX Runtime in the same run"
python3 bench/onnx_vs_ort.py "$MODELS" --kiln "$KILN" --iterations 5 --warmup 1
