#include "kernels/cpu/families.h"

namespace kiln::kernels::cpu
{

void registerPointwiseTactics(TacticRegistrar& /*registrar*/)
{
}

} // namespace kiln::kernels::cpu
