#include "kernels/cpu/families.h"
#include "kernels/cpu/onednn/onednn_tactics.h"

namespace kiln::kernels::cpu
{

void registerOnednnTactics(TacticRegistrar& registrar)
{
    // Until the builder times its candidates it takes the first supported one: the blocked
    // variants first, as they are the faster ones on the usual CNN shapes (many channels).
    registrar.add(onednn::makeConvolutionTactic(true));
    registrar.add(onednn::makeConvolutionTactic(false));
    registrar.add(onednn::makeFullyConnectedTactic());
    registrar.add(onednn::makeMatrixMultiplyTactic());
    registrar.add(onednn::makePoolingTactic(true));
    registrar.add(onednn::makePoolingTactic(false));
}

} // namespace kiln::kernels::cpu
