// scale.cpu.vector.avx2: the Scale layer y = (x·scale + shift) ^ power on FLOAT for kUNIFORM,
// kCHANNEL (any channelAxis) and kELEMENTWISE, each weight optional. x·scale + shift runs 8 at a
// time (one fused multiply-add, so it may differ from the reference's two roundings by an ulp);
// the power, when present, is std::pow element by element, as in the reference.
//
// Element i uses weight (i / inner) % channels (layers/scale.h): for kUNIFORM and kCHANNEL a run
// of `inner` elements shares one weight; for kELEMENTWISE a run of `channels` elements uses the
// weight vector. The output is split into element ranges over the threads.
#pragma once

#include "kernels/tactic.h"

#include <memory>

namespace kiln::kernels::cpu
{

struct ScaleJob
{
    const float* x{nullptr};
    float* y{nullptr};
    const float* scale{nullptr}; //!< null: 1
    const float* shift{nullptr}; //!< null: 0
    const float* power{nullptr}; //!< null: 1
    bool perElement{false};      //!< kELEMENTWISE: weights vary along a run
    int64_t inner{1};            //!< elements per run of one weight (not perElement)
    int64_t channels{1};         //!< weights
};

namespace avx2
{
//! Elements [begin, end) of \p job.
void runScale(const ScaleJob& job, int64_t begin, int64_t end);
} // namespace avx2

std::unique_ptr<Tactic> makeScaleVectorAvx2();

} // namespace kiln::kernels::cpu
