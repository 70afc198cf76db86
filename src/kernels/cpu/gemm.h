// Kiln's packed single-precision GEMM: C[M×N] = A[M×K] · B[K×N] (+ bias per row or per column,
// + a residual matrix, then an activation), the engine of the convolution, fully connected and
// matrix multiply tactics of this family (kernels/cpu/conv_*, fully_connected_*, matrix_multiply_*).
//
// Layout: row-major with leading dimensions; a transposed operand is read through its packing, so
// op(A) = Aᵀ and op(B) = Bᵀ cost nothing extra in the product itself.
//
// Algorithm (GotoBLAS/BLIS style): the output is cut into tasks of up to kGemmNC columns (all rows,
// unless there are too few tasks for the workers: then fewer columns, then fewer rows), K into
// slices of kGemmKC. For each task and slice, B is packed once into panels of kGemmNR columns and
// reused by every kGemmMC-row block of A (packed into panels of kGemmMR rows; k-major inside a
// panel, zero-padded at the edges), and a register-blocked micro-kernel (AVX2/FMA 6×16, or a
// portable one) multiplies one A panel by one B panel. Workers pull tasks from a shared counter and
// pack into their own slice of the caller's workspace. The epilogue (bias, residual, activation) is
// applied while the last K slice's tile is still in registers.
//
// An operand that does not change between runs (weights) is packed once with gemmPackA/gemmPackB
// into memory of gemmPackedASize/gemmPackedBSize floats; a run then reads it in place. B may also be
// produced by a caller's pack function (im2col written straight into packed panels).
//
// Usage (FC: Y[rows×K] = X[rows×V] · Wᵀ, W packed once):
//   std::vector<float> packed(gemmPackedBSize(V, K));             // prepare(): engine allocator
//   gemmPackB(w, V, /*transposed=*/true, V, K, packed.data());
//   GemmDesc d; d.m = rows; d.n = K; d.k = V; d.biasKind = GemmBias::kPerColumn;
//   d.single.a = {x, V, false}; d.single.b.packed = packed.data();
//   d.single.c = y; d.single.ldc = K; d.single.bias = b;
//   std::vector<uint8_t> ws(gemmWorkspaceSize(d.m, d.n, d.k, true, false, pool.size())); // workspaceSize()
//   gemm(d, pool, ws.data(), ws.size());                                                // run(): no allocation
#pragma once

#include "backends/cpu/thread_pool.h"
#include "common/status.h"
#include "layers/epilogue.h"

#include <cstddef>
#include <cstdint>

namespace kiln::kernels::cpu
{

//! Micro-kernel tile and cache blocking (floats). MR×NR is the register tile; an A block is at most
//! MC×KC (L2), a B micro-panel KC×NR (L1), a B block KC×NC.
constexpr int32_t kGemmMR = 6;
constexpr int32_t kGemmNR = 16;
constexpr int32_t kGemmKC = 256;
constexpr int32_t kGemmMC = 96;
constexpr int32_t kGemmNC = 256;

enum class GemmBias : int32_t
{
    kNone,
    kPerRow,    //!< bias[i] added to row i (convolution: one per output map)
    kPerColumn, //!< bias[j] added to column j (fully connected: one per output)
};

//! Which micro-kernel runs: the best one the CPU has, or a given one (tests).
enum class GemmIsa : int32_t
{
    kAuto,
    kPortable,
    kAvx2,
};

//! Writes the packed B panels of rows [k0, k0 + kc) and columns [j0, j0 + nc) to \p dst: panel p
//! (columns j0 + p·NR ...) at dst + p·NR·kc, element (k, c) of a panel at [k·NR + c], columns past
//! the matrix set to zero. \p data is GemmB::data of the product (e.g. the image of one batch entry
//! and group), \p context GemmB::packContext (what all entries share). Called concurrently from
//! several workers with different ranges.
using GemmPackFn = void (*)(
    const void* context, const float* data, int64_t k0, int64_t kc, int64_t j0, int64_t nc, float* dst);

//! The left operand: element (i, k) is data[i·ld + k], or data[k·ld + i] when transposed; or, when
//! \p packed is set, a matrix packed by gemmPackA (data is then ignored).
struct GemmA
{
    const float* data{nullptr};
    int64_t ld{0};
    bool transposed{false};
    const float* packed{nullptr};
};

//! The right operand: element (k, j) is data[k·ld + j], or data[j·ld + k] when transposed; or packed
//! by gemmPackB; or produced by \p pack (given \p packContext and data) when that is set.
struct GemmB
{
    const float* data{nullptr};
    int64_t ld{0};
    bool transposed{false};
    const float* packed{nullptr};
    GemmPackFn pack{nullptr};
    const void* packContext{nullptr};
};

//! The matrices of one product.
struct GemmMatrices
{
    GemmA a;
    GemmB b;
    float* c{nullptr};
    int64_t ldc{0};
    const float* bias{nullptr};     //!< M (per row) or N (per column) values; nullptr for none
    const float* residual{nullptr}; //!< M×N matrix added before the activation; nullptr for none
    int64_t ldr{0};
};

//! A GEMM, or a batch of GEMMs of the same shape (e.g. one per image and group): \p at, when set,
//! gives the matrices of batch entry b (called from the workers, must be cheap and thread-safe);
//! otherwise \p single is the only product.
struct GemmDesc
{
    int64_t m{0};
    int64_t n{0};
    int64_t k{0};
    int64_t batch{1};
    GemmBias biasKind{GemmBias::kNone};
    //! The activation to apply (its hasResidual flag is ignored: a residual pointer is what counts).
    layers::Epilogue epilogue;
    GemmMatrices single;
    GemmMatrices (*at)(const void* context, int64_t b){nullptr};
    const void* atContext{nullptr};
    GemmIsa isa{GemmIsa::kAuto};
};

//! Floats a packed M×K left operand takes.
int64_t gemmPackedASize(int64_t m, int64_t k);
//! Packs op(A) (M×K; element (i, k) at a[i·lda + k], or a[k·lda + i] when transposed) for gemm().
void gemmPackA(const float* a, int64_t lda, bool transposed, int64_t m, int64_t k, float* dst);
//! Floats a packed K×N right operand takes.
int64_t gemmPackedBSize(int64_t k, int64_t n);
//! Packs op(B) (K×N; element (k, j) at b[k·ldb + j], or b[j·ldb + k] when transposed) for gemm().
void gemmPackB(const float* b, int64_t ldb, bool transposed, int64_t k, int64_t n, float* dst);

//! Bytes of workspace gemm() needs for an M×N×K product on up to \p threads workers; \p packA /
//! \p packB say whether that operand is packed during the run (not pre-packed).
size_t gemmWorkspaceSize(int64_t m, int64_t n, int64_t k, bool packA, bool packB, int32_t threads);

//! Computes \p desc on \p pool. Uses as many workers as the workspace has room for (at least one);
//! an error if it has room for none. Never allocates.
Status gemm(const GemmDesc& desc, backends::cpu::ThreadPool& pool, void* workspace, size_t workspaceSize);

//! True when this CPU runs the AVX2/FMA micro-kernel.
bool gemmHasAvx2();

} // namespace kiln::kernels::cpu
