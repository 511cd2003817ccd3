#ifndef DIGITS_INT8_KERNELS_H
#define DIGITS_INT8_KERNELS_H
#include <stdint.h>

/// One convolution (groups 1) on u8 activations (u = q + 128) in HWC layout, channels contiguous.
/// Padding is already in memory (a border holding the input zero point), so the kernel never bounds-checks.
/// Weights are packed per block of 16 output channels: [oc_blocks][kernel_h][groups][16 lanes][4 bytes], where a
/// kernel row's kernel_w × in_channels input bytes (contiguous in HWC) are split into `groups` runs of 4. Lane
/// 2c holds channel c of the block and lane 2c + 1 channel c + 8 (the requantization's even/odd split); the
/// bias is in lane order, multiplier/rounding/shift in channel order.
typedef struct {
    const uint8_t *input;        ///< input byte of tap (0, 0), channel 0, for output (0, 0)
    const int8_t *weights;
    const int32_t *bias;         ///< [oc_blocks × 16] in lane order: bias' − 128·Σw (u8 activations)
    const int64_t *multiplier;   ///< [oc_blocks × 16]
    const int64_t *rounding;     ///< [oc_blocks × 16]: 2^(shift − 1)
    const int64_t *shift;        ///< [oc_blocks × 16]
    uint8_t *output;             ///< output (0, 0), channel 0
    int64_t in_row_stride, in_pixel_stride;
    int64_t out_row_stride, out_pixel_stride;
    int32_t stride_y, stride_x, kernel_h, groups;
    int32_t out_h, out_w, out_channels;
    int32_t out_zero, out_min, out_max;   ///< u8 form: zero point + 128, qmin + 128, qmax + 128
    int32_t pairs;                        ///< 1: weights packed paired (see digits_conv_pairs_vnni)
} digits_conv_args;

/// A dense layer: `groups` runs of 4 input bytes, weights [unit_blocks][groups][16][4]; same epilogue as conv.
typedef struct {
    const uint8_t *input;
    const int8_t *weights;
    const int32_t *bias;
    const int64_t *multiplier;
    const int64_t *rounding;
    const int64_t *shift;
    uint8_t *output;
    int32_t groups, units;
    int32_t out_zero, out_min, out_max;
} digits_dense_args;

/// Two-input residual add over rows of `row_bytes` contiguous bytes (HWC rows, borders skipped by the strides).
typedef struct {
    const uint8_t *input0, *input1;
    uint8_t *output;
    int64_t row_stride0, row_stride1, out_row_stride;
    int32_t rows, row_bytes;
    int32_t zero0, zero1;
    int64_t multiplier0, multiplier1, shift;
    int32_t out_zero, out_min, out_max;
} digits_add2_args;

/// A max pool window walk; `input` and `output` point at (0, 0) of the tensors' interiors.
typedef struct {
    const uint8_t *input;
    uint8_t *output;
    int64_t in_row_stride, out_row_stride;
    int32_t channels, in_h, in_w, out_h, out_w;
    int32_t kernel_h, kernel_w, stride_y, stride_x, pad_top, pad_left;
} digits_pool_args;

/// Global average pool of a `height` × `width` × `channels` HWC interior (`input` at (0, 0)) into `channels`
/// bytes: the per-channel sum minus count·zero, requantized by (multiplier, shift) and clamped like a conv.
#define DIGITS_GLOBAL_POOL_MAX_CHANNELS 1024
typedef struct {
    const uint8_t *input;
    uint8_t *output;
    int64_t row_stride;
    int32_t height, width, channels, zero;
    int64_t multiplier, shift;
    int32_t out_zero, out_min, out_max;
} digits_global_pool_args;

/// Baseline-CPU code: callable on every kernel path. `channels` ≤ DIGITS_GLOBAL_POOL_MAX_CHANNELS.
void digits_global_average_pool(const digits_global_pool_args *args);

/// AVX-512 VNNI (vpdpbusd). Call only when the CPU has avx512f, avx512bw, avx512vl and avx512_vnni: the bodies
/// are compiled for those features (per-function target attributes) and would raise SIGILL elsewhere.
void digits_conv_vnni(const digits_conv_args *args);
void digits_dense_vnni(const digits_dense_args *args);
/// A convolution (groups 1, not paired) followed by its only reader, a 2×2 stride-2 max pool without padding:
/// `out_h`, `out_w` are the convolution's output size (even), `output` and its strides the pooled tensor's. The
/// pool takes the maximum of the accumulators before the (monotone) requantization: the same bytes as the two
/// layers one after the other. Returns 0, doing nothing, when the layer does not qualify.
int digits_conv_pool_vnni(const digits_conv_args *args);
/// The same dense layer on `count` images at once (input and output of image n at inputs[n], outputs[n]; `args`'s
/// own input/output are ignored): count ≤ 4 loads each weight vector once for all images, else one
/// digits_dense_vnni per image.
void digits_dense_group_vnni(const digits_dense_args *args, const uint8_t *const *inputs, uint8_t *const *outputs,
                             int32_t count);
/// ≤ 8 output channels, weights packed "paired": channel c in lanes 2c and 2c + 1 (pixel x and x + 1), the bias
/// likewise, multiplier/rounding/shift for channels 0–7 repeated in entries 8–15.
void digits_conv_pairs_vnni(const digits_conv_args *args);
void digits_add2_vnni(const digits_add2_args *args);
/// 2×2 windows, stride 2, no padding (every window fully inside); AVX-512BW.
void digits_max_pool_2x2_vnni(const digits_pool_args *args);

/// Drops the re-laid-out weights that the AVX2 kernels cached for layers whose packed weights lie in
/// [base, base + byte_count). Call before freeing a weight blob that is not static (PlanRunner does); no kernel
/// may be running on those weights.
void digits_forget_weights(const void *base, int64_t byte_count);

/// `iterations` × 24 independent 512-bit vpdpbusd (64 MACs each); for measuring the peak. VNNI CPUs only.
int32_t digits_vnni_peak_loop(int64_t iterations);
/// `iterations` × 7 independent 256-bit vpmaddwd + vpaddd (16 MACs each); the AVX2 path's peak. AVX2 CPUs only.
int32_t digits_avx2_peak_loop(int64_t iterations);

/// AVX2 (+FMA CPUs): the same packed weights and integers as the VNNI kernels, products via vpmaddwd on
/// widened int16 (exact; vpmaddubsw would saturate). Call only when the CPU has avx2.
void digits_conv_avx2(const digits_conv_args *args);
/// The same convolution by integer Winograd (F(3×3, 3×3) or F(2×2, 3×3) at stride 1; at stride 2 from 32 input
/// channels, 2×2 tiles over the even part of the output and the direct kernels for an odd last row and column)
/// when it is 3×3 with a multiple of 16 input channels (bit-exact; see winograd_avx2.c): returns 0, doing
/// nothing, for any other layer.
int digits_conv_winograd_avx2(const digits_conv_args *args);
/// 1 when digits_conv_winograd_avx2 would take the layer by its shape (it may still decline at run time, when
/// the transformed weights' bound fails).
int digits_winograd_avx2_takes(const digits_conv_args *args);
/// A convolution followed by its only reader, a 2×2 stride-2 max pool without padding, as digits_conv_pool_vnni
/// (output and its strides: the pooled tensor's; out_h, out_w: the convolution's, even), by the one-channel or
/// the tap-pair kernel with the window maxima taken over the accumulators, one requantization per pooled
/// output. Returns 0, doing nothing, for layers Winograd takes (they run faster unfused) and others that do
/// not qualify; the caller then runs the convolution and the pool.
int digits_conv_pool_avx2(const digits_conv_args *args);
/// The fused forms of the one-channel and tap-pair kernels (digits_conv_pool_avx2 chooses): 0 when they decline.
int digits_conv_pool_single_input_avx2(const digits_conv_args *args);
int digits_conv_pool_tap_pairs_avx2(const digits_conv_args *args);
/// The same convolution for a one-channel input into at most 8 channels, stride 1 across (pixels in the lanes, one
/// register per channel): returns 0, doing nothing, for other layers.
int digits_conv_few_channels_avx2(const digits_conv_args *args);
/// The same convolution for a one-channel input (taps paired for vpmaddwd, 6 pixels × 16 channels per tile):
/// returns 0, doing nothing, for other layers and rows over 1,024 input columns (a layer packed "paired" runs
/// from its even lanes, one pixel at a time).
int digits_conv_single_input_avx2(const digits_conv_args *args);
/// The same convolution for two or more input channels, kernel-row bytes taken in int16 pairs (6 pixels × 16
/// channels per tile): returns 0, doing nothing, for paired layers and when an output row's input rows exceed
/// its 32 KB stack buffer.
int digits_conv_tap_pairs_avx2(const digits_conv_args *args);
void digits_dense_avx2(const digits_dense_args *args);
void digits_add2_avx2(const digits_add2_args *args);
/// 2×2 windows, stride 2, no padding; returns 0 (and does nothing) when a row exceeds its 4 KB row buffers.
int digits_max_pool_2x2_avx2(const digits_pool_args *args);
/// 1 when this build contains the AVX2 kernels (x86-64 with clang), else 0.
int digits_avx2_compiled(void);

/// 1 when this build contains the VNNI kernels (x86-64 with a compiler that supports them), else 0.
int digits_vnni_compiled(void);

#endif
