#include "kernels/cpu/families.h"

namespace kiln::kernels::cpu
{

void registerOnednnTactics(TacticRegistrar& /*registrar*/)
{
}

} // namespace kiln::kernels::cpu
