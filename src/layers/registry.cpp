// makeParams: default parameters per layer kind, generated from ir/layer_kinds.def.
#include "layers/activation.h"
#include "layers/concatenation.h"
#include "layers/constant.h"
#include "layers/convolution.h"
#include "layers/deconvolution.h"
#include "layers/element_wise.h"
#include "layers/fully_connected.h"
#include "layers/gather.h"
#include "layers/identity.h"
#include "layers/lrn.h"
#include "layers/matrix_multiply.h"
#include "layers/padding.h"
#include "layers/parametric_relu.h"
#include "layers/pooling.h"
#include "layers/reduce.h"
#include "layers/resize.h"
#include "layers/scale.h"
#include "layers/select.h"
#include "layers/shape.h"
#include "layers/shuffle.h"
#include "layers/slice.h"
#include "layers/softmax.h"
#include "layers/top_k.h"
#include "layers/unary.h"

namespace kiln::ir
{

std::unique_ptr<LayerParams> makeParams(LayerKind kind)
{
    switch (kind)
    {
#define KILN_LAYER_KIND(Name, Type)                                                                                    \
    case LayerKind::k##Name: return std::make_unique<layers::Name##Params>();
#include "ir/layer_kinds.def"
#undef KILN_LAYER_KIND
    case LayerKind::kCount: break;
    }
    return nullptr;
}

} // namespace kiln::ir
