// Weights re-laid out for a particular kernel, made once per layer on first use and kept while the weights live:
// a layer's packed weights pointer identifies it — the compiled models' blobs are static, and an owner of a
// blob that goes away (PlanRunner) calls digits_forget_weights first, so a later blob at the same address is
// never served another layer's re-laid-out weights. Private to CInt8Kernels (digits_forget_weights is public).
#ifndef DIGITS_WEIGHT_CACHE_H
#define DIGITS_WEIGHT_CACHE_H
#include "int8_kernels.h"

/// Which re-layout: one cache serves every kernel that needs one.
typedef enum {
    weight_layout_winograd = 1,   ///< F(2×2, 3×3)
    weight_layout_single_input = 2,
    weight_layout_tap_pairs = 3,
    weight_layout_winograd3 = 4,   ///< F(3×3, 3×3)
    weight_layout_winograd_stride2 = 5,   ///< stride 2, 2×2 tiles
    weight_layout_few_channels = 6,
} weight_layout;

/// Builds the layout for `args`: returns an aligned_alloc'd block (freed never) or NULL when the layer does not
/// qualify; may set `*info` to a small number the kernel needs back (for example a kernel width).
typedef void *(*weight_builder)(const digits_conv_args *args, int *info);

/// The cached block for (args->weights, layout), built on first use under a lock; NULL (also cached) when the
/// builder refused or the table is full. Safe from any number of threads.
const void *digits_cached_weights(const digits_conv_args *args, weight_layout layout, weight_builder build, int *info);

#endif
