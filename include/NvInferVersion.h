//! \file NvInferVersion.h
//! Version macros. Kiln advertises the TensorRT API level it implements (7.2.x) so that programs
//! that print or test NV_TENSORRT_* keep working, and carries its own version beside it.

#ifndef NV_INFER_VERSION_H
#define NV_INFER_VERSION_H

#define NV_TENSORRT_MAJOR 7 //!< API major version implemented.
#define NV_TENSORRT_MINOR 2 //!< API minor version implemented.
#define NV_TENSORRT_PATCH 1 //!< API patch version implemented.
#define NV_TENSORRT_BUILD 6 //!< API build number implemented.

#define NV_TENSORRT_SONAME_MAJOR 7 //!< Shared object library major version number.
#define NV_TENSORRT_SONAME_MINOR 2 //!< Shared object library minor version number.
#define NV_TENSORRT_SONAME_PATCH 1 //!< Shared object library patch version number.

#define KILN_VERSION_MAJOR 0 //!< Kiln's own major version.
#define KILN_VERSION_MINOR 1 //!< Kiln's own minor version.
#define KILN_VERSION_PATCH 0 //!< Kiln's own patch version.
#define KILN_VERSION_STRING "0.1.0"

#endif // NV_INFER_VERSION_H
