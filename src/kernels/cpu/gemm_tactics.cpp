#include "kernels/cpu/families.h"
#include "kernels/cpu/gemm_tactics.h"

namespace kiln::kernels::cpu
{

void registerGemmTactics(TacticRegistrar& registrar)
{
    registrar.add(makeConvIm2colGemmTactic());
    registrar.add(makeConvDirectTactic());
    registrar.add(makeFullyConnectedGemmTactic());
    registrar.add(makeMatrixMultiplyGemmTactic());
}

} // namespace kiln::kernels::cpu
