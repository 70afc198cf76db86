// reformat.cpu.parallel: the Reformat layer (layers/reformat.h) between row-major and a
// channel-blocked layout, one (batch item, channel block) slab per task on the thread pool, in
// tiles of cells so that both sides are read and written in cache-line runs.
#pragma once

#include "kernels/tactic.h"

namespace kiln::kernels::cpu
{

std::unique_ptr<Tactic> makeReformatParallel();

} // namespace kiln::kernels::cpu
