// One factory per pass file in optimizer/passes/; the pass table (pass_manager.cpp) calls them.
#pragma once

#include "optimizer/pass.h"

#include <memory>

namespace kiln::optimizer::passes
{

std::unique_ptr<Pass> makeDeadLayers();             //!< dead_layers.cpp
std::unique_ptr<Pass> makeConstantFolding();        //!< constant_folding.cpp
std::unique_ptr<Pass> makeShuffleSimplification();  //!< shuffle_simplification.cpp
std::unique_ptr<Pass> makeConvFcFusion();           //!< conv_fc_fusion.cpp
std::unique_ptr<Pass> makeElementwiseChainFusion(); //!< elementwise_chain_fusion.cpp

} // namespace kiln::optimizer::passes
