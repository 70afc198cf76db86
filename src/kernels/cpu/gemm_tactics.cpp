#include "kernels/cpu/families.h"

namespace kiln::kernels::cpu
{

void registerGemmTactics(TacticRegistrar& /*registrar*/)
{
}

} // namespace kiln::kernels::cpu
