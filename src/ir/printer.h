// The IR printer: a readable dump of a Graph, one line per layer in topological order (creation
// order when the graph has a cycle), used by KILN_DUMP_PASSES and in test failure messages:
//
//   graph 'network' (explicit batch): 2 inputs, 1 output, 3 layers
//     input  'x' FLOAT [-1,3,8,8]
//     conv1 [Convolution] nbOutputMaps=4 ... weights{kernel=FLOAT[108] bias=FLOAT[4]}  ('x' [-1,3,8,8]) -> ('conv1 output' [-1,4,6,6])
//     output 'conv1 output'
//
// Tensor dims come from shape inference with the declared input dims (-1 where dynamic) when it
// succeeds, else they are left out.
#pragma once

#include "ir/graph.h"

#include <string>

namespace kiln::ir
{

//! "name=value" for every field of \p params, separated by spaces.
std::string printFields(const LayerParams& params);

//! The whole graph, one line per input, layer and output, each ending with '\n'.
std::string printGraph(const Graph& graph);

} // namespace kiln::ir
