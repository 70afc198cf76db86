#include "kernels/cpu/activation_vector.h"
#include "kernels/cpu/depthwise_conv.h"
#include "kernels/cpu/elementwise_vector.h"
#include "kernels/cpu/families.h"
#include "kernels/cpu/pointwise_chain_vector.h"
#include "kernels/cpu/pooling_direct.h"
#include "kernels/cpu/reformat_parallel.h"
#include "kernels/cpu/scale_vector.h"
#include "kernels/cpu/softmax_vector.h"

namespace kiln::kernels::cpu
{

void registerPointwiseTactics(TacticRegistrar& registrar)
{
    registrar.add(makeDepthwiseConvolutionAvx2());
    registrar.add(makePoolingDirectAvx2());
    registrar.add(makeElementWiseVectorAvx2());
    registrar.add(makeActivationVectorAvx2());
    registrar.add(makeScaleVectorAvx2());
    registrar.add(makeSoftMaxVectorAvx2());
    registrar.add(makeReformatParallel());
    registrar.add(makePointwiseChainVectorAvx2());
}

} // namespace kiln::kernels::cpu
