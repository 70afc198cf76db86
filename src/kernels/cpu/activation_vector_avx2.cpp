#include "kernels/cpu/activation_vector.h"
#include "kernels/cpu/vector_math_avx2.h"

namespace kiln::kernels::cpu::avx2
{

void runActivation(const ActivationJob& job, int64_t begin, int64_t end)
{
    activateRow(job.type, job.alpha, job.beta, job.y + begin, job.x + begin, nullptr, end - begin);
}

} // namespace kiln::kernels::cpu::avx2
