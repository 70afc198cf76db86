#!/usr/bin/env bash
# Installs a build tree into a temporary prefix and builds a consumer project against it with
# find_package(Kiln) and, separately, with plain -lnvinfer.
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD=${1:-build}
PREFIX=$(mktemp -d)
trap 'rm -rf "$PREFIX"' EXIT
cmake --install "$BUILD" --prefix "$PREFIX" >/dev/null
mkdir -p "$PREFIX/consumer"
cat > "$PREFIX/consumer/CMakeLists.txt" <<'CMAKE'
cmake_minimum_required(VERSION 3.18)
project(consumer CXX)
find_package(Kiln REQUIRED)
add_executable(consumer main.cpp)
target_link_libraries(consumer PRIVATE Kiln::nvinfer)
CMAKE
cat > "$PREFIX/consumer/main.cpp" <<'CPP'
#include "NvInfer.h"
#include <cstdio>
class Logger : public nvinfer1::ILogger
{
    void log(Severity s, const char* m) override { if (s <= Severity::kWARNING) std::printf("%s\n", m); }
} gLogger;
int main()
{
    nvinfer1::IBuilder* builder = nvinfer1::createInferBuilder(gLogger);
    nvinfer1::INetworkDefinition* net = builder->createNetworkV2(1U << static_cast<uint32_t>(nvinfer1::NetworkDefinitionCreationFlag::kEXPLICIT_BATCH));
    nvinfer1::ITensor* x = net->addInput("x", nvinfer1::DataType::kFLOAT, nvinfer1::Dims2{1, 3});
    net->markOutput(*net->addActivation(*x, nvinfer1::ActivationType::kRELU)->getOutput(0));
    nvinfer1::IBuilderConfig* config = builder->createBuilderConfig();
    nvinfer1::ICudaEngine* engine = builder->buildEngineWithConfig(*net, *config);
    float in[3] = {-1, 2, -3}, out[3] = {};
    void* bindings[2] = {in, out};
    nvinfer1::IExecutionContext* ctx = engine->createExecutionContext();
    const bool ok = ctx->executeV2(bindings) && out[0] == 0 && out[1] == 2 && out[2] == 0;
    ctx->destroy(); engine->destroy(); config->destroy(); net->destroy(); builder->destroy();
    std::printf(ok ? "consumer OK\n" : "consumer FAILED\n");
    return ok ? 0 : 1;
}
CPP
cmake -S "$PREFIX/consumer" -B "$PREFIX/consumer/build" -DCMAKE_PREFIX_PATH="$PREFIX" >/dev/null
cmake --build "$PREFIX/consumer/build" >/dev/null
LD_LIBRARY_PATH="$PREFIX/lib" "$PREFIX/consumer/build/consumer"
g++ -std=c++11 -fno-rtti "$PREFIX/consumer/main.cpp" -I"$PREFIX/include" -L"$PREFIX/lib" -lnvinfer -o "$PREFIX/plain"
LD_LIBRARY_PATH="$PREFIX/lib" "$PREFIX/plain"
