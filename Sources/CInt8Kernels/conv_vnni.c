// AVX-512 VNNI microkernels. Only these functions carry the AVX-512 target attribute; the rest of the program is
// compiled for the baseline CPU, so nothing here runs unless the caller checked CPUID first (KernelPath).
#include "int8_kernels.h"

#if defined(__x86_64__) && defined(__clang__)
#include <immintrin.h>

#define VNNI __attribute__((target("avx512f,avx512bw,avx512vl,avx512vnni")))
#define INLINE __attribute__((always_inline)) static inline

int digits_vnni_compiled(void) { return 1; }

/// The per-channel requantization constants of one block of 16 channels, loaded once per tile: 64-bit
/// multiplier, rounding term and shift for channels 0–7 (`*0`) and 8–15 (`*1`).
typedef struct { __m512i m0, m1, r0, r1, s0, s1; } requant_block;

INLINE VNNI requant_block load_requant(const int64_t *m, const int64_t *r, const int64_t *s) {
    requant_block b = { _mm512_loadu_si512(m), _mm512_loadu_si512(m + 8), _mm512_loadu_si512(r),
                        _mm512_loadu_si512(r + 8), _mm512_loadu_si512(s), _mm512_loadu_si512(s + 8) };
    return b;
}

/// acc (16 × int32) → 16 u8 outputs with one exact 64-bit rounding per lane (docs/quantization.md §2).
/// The packing puts channel c in accumulator lane 2c (c < 8) or 2(c − 8) + 1, so vpmuldq on the even lanes and on
/// the odd lanes shifted down yields channels 0–7 and 8–15 in order, with no shuffles. The 64-bit results
/// saturate to int16 (an interval containing [−255, 255], so invisible after the final clamp).
INLINE VNNI __m128i requantize16(__m512i acc, const requant_block *q, __m256i zero, __m256i lo, __m256i hi) {
    __m512i even = _mm512_mul_epi32(acc, q->m0);
    __m512i odd = _mm512_mul_epi32(_mm512_srli_epi64(acc, 32), q->m1);
    even = _mm512_srav_epi64(_mm512_add_epi64(even, q->r0), q->s0);
    odd = _mm512_srav_epi64(_mm512_add_epi64(odd, q->r1), q->s1);
    __m256i v = _mm256_inserti128_si256(_mm256_castsi128_si256(_mm512_cvtsepi64_epi16(even)),
                                        _mm512_cvtsepi64_epi16(odd), 1);
    v = _mm256_min_epi16(_mm256_max_epi16(_mm256_adds_epi16(v, zero), lo), hi);
    return _mm256_cvtepi16_epi8(v);
}

/// The accumulators of P output pixels of one row × NB blocks of 16 output channels, all in registers.
/// PX: the byte distance between horizontally adjacent output pixels' inputs (stride_x × in_channels) when it is
/// a compile-time constant, else 0. A constant lets all P pixels address off one register (no spills).
INLINE VNNI void conv_accumulate(const digits_conv_args *a, int oy, int ox, int ob, const int P, const int NB,
                                 const int PX, __m512i acc[16][4]) {
#pragma clang loop unroll(full)
    for (int nb = 0; nb < NB; nb++) {
        __m512i b = _mm512_loadu_si512(a->bias + (ob + nb) * 16);
#pragma clang loop unroll(full)
        for (int p = 0; p < P; p++) acc[p][nb] = b;
    }
    const int64_t px = PX ? PX : (int64_t)a->stride_x * a->in_pixel_stride;
    const uint8_t *base = a->input + (int64_t)oy * a->stride_y * a->in_row_stride + (int64_t)ox * px;
    const int groups = a->groups;
    const int64_t blockStride = (int64_t)a->kernel_h * groups * 64;
    for (int ky = 0; ky < a->kernel_h; ky++) {
        const uint8_t *row = base + ky * a->in_row_stride;
        const int8_t *w = a->weights + (int64_t)ob * blockStride + (int64_t)ky * groups * 64;
        for (int g = 0; g < groups; g++) {
            __m512i wv[4];
#pragma clang loop unroll(full)
            for (int nb = 0; nb < NB; nb++) wv[nb] = _mm512_load_si512(w + nb * blockStride + g * 64);
#pragma clang loop unroll(full)
            for (int p = 0; p < P; p++) {
                int32_t x;
                __builtin_memcpy(&x, row + p * px + g * 4, 4);
                __m512i xv = _mm512_set1_epi32(x);
#pragma clang loop unroll(full)
                for (int nb = 0; nb < NB; nb++) acc[p][nb] = _mm512_dpbusd_epi32(acc[p][nb], xv, wv[nb]);
            }
        }
    }
}

/// Requantizes P pixels × NB blocks of accumulators and stores them from `out` on (pixel stride
/// `a->out_pixel_stride`; the last block masked to the channels that exist).
INLINE VNNI void store_tile(const digits_conv_args *a, uint8_t *out, int ob, const int P, const int NB,
                            __m512i acc[16][4]) {
    const __m256i zero = _mm256_set1_epi16((short)a->out_zero);
    const __m256i lo = _mm256_set1_epi16((short)a->out_min), hi = _mm256_set1_epi16((short)a->out_max);
#pragma clang loop unroll(full)
    for (int nb = 0; nb < NB; nb++) {
        const int oc = (ob + nb) * 16;
        const int remaining = a->out_channels - oc;
        const __mmask16 mask = remaining >= 16 ? (__mmask16)0xFFFF : (__mmask16)((1u << remaining) - 1);
        const requant_block rq = load_requant(a->multiplier + oc, a->rounding + oc, a->shift + oc);
#pragma clang loop unroll(full)
        for (int p = 0; p < P; p++)
            _mm_mask_storeu_epi8(out + p * a->out_pixel_stride + oc, mask, requantize16(acc[p][nb], &rq, zero, lo, hi));
    }
}

/// P output pixels of one row × NB blocks of 16 output channels: accumulate, requantize, store.
INLINE VNNI void conv_tile(const digits_conv_args *a, int oy, int ox, int ob, const int P, const int NB, const int PX) {
    __m512i acc[16][4];
    conv_accumulate(a, oy, ox, ob, P, NB, PX, acc);
    store_tile(a, a->output + (int64_t)oy * a->out_row_stride + (int64_t)ox * a->out_pixel_stride, ob, P, NB, acc);
}

// Register budget (32 zmm): P × NB accumulators + NB weight vectors + 1 broadcast.
#define TILE_SWITCH(NB, PMAX, PX)                                                                     \
    static inline __attribute__((always_inline)) VNNI void conv_tile_##NB##_##PX(const digits_conv_args *a, int oy, \
                                                                                int ox, int ob, int width) { \
        switch (width) {                                                                              \
        case 1: conv_tile(a, oy, ox, ob, 1, NB, PX); break;                                           \
        case 2: conv_tile(a, oy, ox, ob, 2, NB, PX); break;                                           \
        case 3: conv_tile(a, oy, ox, ob, 3, NB, PX); break;                                           \
        case 4: conv_tile(a, oy, ox, ob, 4, NB, PX); break;                                           \
        case 5: if (PMAX >= 5) conv_tile(a, oy, ox, ob, 5, NB, PX); break;                            \
        case 6: if (PMAX >= 6) conv_tile(a, oy, ox, ob, 6, NB, PX); break;                            \
        case 7: if (PMAX >= 7) conv_tile(a, oy, ox, ob, 7, NB, PX); break;                            \
        case 8: if (PMAX >= 8) conv_tile(a, oy, ox, ob, 8, NB, PX); break;                            \
        case 9: if (PMAX >= 9) conv_tile(a, oy, ox, ob, 9, NB, PX); break;                            \
        case 10: if (PMAX >= 10) conv_tile(a, oy, ox, ob, 10, NB, PX); break;                         \
        case 11: if (PMAX >= 11) conv_tile(a, oy, ox, ob, 11, NB, PX); break;                         \
        case 12: if (PMAX >= 12) conv_tile(a, oy, ox, ob, 12, NB, PX); break;                         \
        case 13: if (PMAX >= 13) conv_tile(a, oy, ox, ob, 13, NB, PX); break;                         \
        case 14: if (PMAX >= 14) conv_tile(a, oy, ox, ob, 14, NB, PX); break;                         \
        case 15: if (PMAX >= 15) conv_tile(a, oy, ox, ob, 15, NB, PX); break;                         \
        case 16: if (PMAX >= 16) conv_tile(a, oy, ox, ob, 16, NB, PX); break;                         \
        default: break;                                                                               \
        }                                                                                             \
    }

// A row is cut into the fewest tiles of at most PMAX pixels, of near-equal widths (14 → 7 + 7, not 12 + 2): a
// narrow tile reloads the weights for few dot products.
#define TILES(NB, PMAX, PX)                                                                           \
    static VNNI void conv_row_##NB##_##PX(const digits_conv_args *a, int oy, int ob) {                \
        const int tiles = (a->out_w + PMAX - 1) / PMAX;                                               \
        int ox = 0;                                                                                   \
        for (int t = 0; t < tiles; t++) {                                                             \
            const int width = a->out_w / tiles + (t < a->out_w % tiles);                              \
            conv_tile_##NB##_##PX(a, oy, ox, ob, width);                                              \
            ox += width;                                                                              \
        }                                                                                             \
    }

// Every channel-block count with the pixel distances of the usual layers (1-channel input at stride 1 and
// 2; 16, 32, 64 channels at stride 1) as constants, and a runtime fallback (0).
#define TILES_FOR(PX) TILE_SWITCH(1, 16, PX) TILE_SWITCH(2, 12, PX) TILES(1, 16, PX) TILES(2, 12, PX)
TILES_FOR(0)
TILES_FOR(1)
TILES_FOR(2)
TILES_FOR(16)
TILES_FOR(32)
TILES_FOR(64)

// Every output row (HEIGHT of them) in pairs of channel blocks, then the odd one: ROW_##NB##_##PX(a, y, ob).
// Pairs, not quads: 2 blocks × 7 pixels beat 4 × (5, 5, 4) on best's 64-channel 14×14 convolution (17.3 → 16.9 µs)
// and were equal or faster on every other shipped layer (session 4, Benchmarks/README.md).
#define ROWS_OF_BLOCKS(NAME, ROW, PX, HEIGHT)                                                         \
    static VNNI void NAME##_##PX(const digits_conv_args *a) {                                         \
        const int blocks = (a->out_channels + 15) / 16;                                               \
        for (int y = 0; y < (HEIGHT); y++) {                                                          \
            int ob = 0;                                                                               \
            for (; ob + 2 <= blocks; ob += 2) ROW##_2_##PX(a, y, ob);                                 \
            if (ob < blocks) ROW##_1_##PX(a, y, ob);                                                  \
        }                                                                                             \
    }
#define ROWS(PX) ROWS_OF_BLOCKS(conv_rows, conv_row, PX, a->out_h)
ROWS(0)
ROWS(1)
ROWS(2)
ROWS(16)
ROWS(32)
ROWS(64)

VNNI void digits_conv_vnni(const digits_conv_args *a) {
    switch (a->stride_x * a->in_pixel_stride) {
    case 1: conv_rows_1(a); break;
    case 2: conv_rows_2(a); break;
    case 16: conv_rows_16(a); break;
    case 32: conv_rows_32(a); break;
    case 64: conv_rows_64(a); break;
    default: conv_rows_0(a); break;
    }
}

/// A convolution whose only reader is a 2×2, stride-2 max pool, fused: the pool takes the maximum of the four
/// int32 accumulators of each window and requantizes once. Exact because requantization followed by the clamp is
/// a non-decreasing function of the accumulator (M ≥ 0), so max(f(a), f(b)) = f(max(a, b)) — and it requantizes
/// a quarter of the outputs. Q pooled pixels = 2Q convolution pixels per row; the window's top-row maxima wait in
/// `part` while the bottom row is computed. `a->output` and its strides describe the pooled tensor.
INLINE VNNI void conv_pool_tile(const digits_conv_args *a, int py, int qx, int ob, const int Q, const int NB,
                                const int PX) {
    __m512i part[16][4];
#pragma clang loop unroll(full)
    for (int r = 0; r < 2; r++) {
        __m512i acc[16][4];
        conv_accumulate(a, 2 * py + r, 2 * qx, ob, 2 * Q, NB, PX, acc);
#pragma clang loop unroll(full)
        for (int q = 0; q < Q; q++) {
#pragma clang loop unroll(full)
            for (int nb = 0; nb < NB; nb++) {
                const __m512i m = _mm512_max_epi32(acc[2 * q][nb], acc[2 * q + 1][nb]);
                part[q][nb] = r == 0 ? m : _mm512_max_epi32(part[q][nb], m);
            }
        }
    }
    store_tile(a, a->output + (int64_t)py * a->out_row_stride + (int64_t)qx * a->out_pixel_stride, ob, Q, NB, part);
}

// Pooled pixels per tile: QMAX = half the plain tile's PMAX (the same accumulator budget per row).
#define POOL_TILE_SWITCH(NB, QMAX, PX)                                                                \
    static inline __attribute__((always_inline)) VNNI void conv_pool_tile_##NB##_##PX(                \
        const digits_conv_args *a, int py, int qx, int ob, int width) {                              \
        switch (width) {                                                                              \
        case 1: conv_pool_tile(a, py, qx, ob, 1, NB, PX); break;                                      \
        case 2: conv_pool_tile(a, py, qx, ob, 2, NB, PX); break;                                      \
        case 3: conv_pool_tile(a, py, qx, ob, 3, NB, PX); break;                                      \
        case 4: if (QMAX >= 4) conv_pool_tile(a, py, qx, ob, 4, NB, PX); break;                       \
        case 5: if (QMAX >= 5) conv_pool_tile(a, py, qx, ob, 5, NB, PX); break;                       \
        case 6: if (QMAX >= 6) conv_pool_tile(a, py, qx, ob, 6, NB, PX); break;                       \
        case 7: if (QMAX >= 7) conv_pool_tile(a, py, qx, ob, 7, NB, PX); break;                       \
        case 8: if (QMAX >= 8) conv_pool_tile(a, py, qx, ob, 8, NB, PX); break;                       \
        default: break;                                                                               \
        }                                                                                             \
    }                                                                                                 \
    static VNNI void conv_pool_row_##NB##_##PX(const digits_conv_args *a, int py, int ob) {           \
        const int width = a->out_w / 2;                                                               \
        const int tiles = (width + QMAX - 1) / QMAX;                                                  \
        int qx = 0;                                                                                   \
        for (int t = 0; t < tiles; t++) {                                                             \
            const int w = width / tiles + (t < width % tiles);                                        \
            conv_pool_tile_##NB##_##PX(a, py, qx, ob, w);                                             \
            qx += w;                                                                                  \
        }                                                                                             \
    }

#define POOL_ROWS(PX)                                                                                 \
    POOL_TILE_SWITCH(1, 8, PX) POOL_TILE_SWITCH(2, 6, PX)                                             \
    ROWS_OF_BLOCKS(conv_pool_rows, conv_pool_row, PX, a->out_h / 2)
POOL_ROWS(0)
POOL_ROWS(1)
POOL_ROWS(16)
POOL_ROWS(32)
POOL_ROWS(64)

VNNI int digits_conv_pool_vnni(const digits_conv_args *a) {
    if (a->pairs || a->out_h % 2 != 0 || a->out_w % 2 != 0) return 0;
    switch (a->stride_x * a->in_pixel_stride) {
    case 1: conv_pool_rows_1(a); break;
    case 16: conv_pool_rows_16(a); break;
    case 32: conv_pool_rows_32(a); break;
    case 64: conv_pool_rows_64(a); break;
    default: conv_pool_rows_0(a); break;
    }
    return 1;
}

/// ≤ 8 output channels: two horizontally adjacent pixels per register (even lanes: pixel x, odd lanes: pixel
/// x + 1, same weights in both), halving the dot products and the requantizations of narrow layers.
INLINE VNNI void conv_pair_tile(const digits_conv_args *a, int oy, int ox, const int Q, const int PX) {
    const int64_t px = PX ? PX : (int64_t)a->stride_x * a->in_pixel_stride;
    __m512i acc[8];
    const __m512i b = _mm512_loadu_si512(a->bias);
#pragma clang loop unroll(full)
    for (int q = 0; q < Q; q++) acc[q] = b;
    const uint8_t *base = a->input + (int64_t)oy * a->stride_y * a->in_row_stride + (int64_t)ox * px;
    const int groups = a->groups;
    for (int ky = 0; ky < a->kernel_h; ky++) {
        const uint8_t *row = base + ky * a->in_row_stride;
        const int8_t *w = a->weights + (int64_t)ky * groups * 64;
        for (int g = 0; g < groups; g++) {
            const __m512i wv = _mm512_load_si512(w + g * 64);
#pragma clang loop unroll(full)
            for (int q = 0; q < Q; q++) {
                uint32_t lo, hi;
                __builtin_memcpy(&lo, row + 2 * q * px + g * 4, 4);
                __builtin_memcpy(&hi, row + (2 * q + 1) * px + g * 4, 4);
                const __m512i xv = _mm512_set1_epi64((int64_t)((uint64_t)hi << 32 | lo));
                acc[q] = _mm512_dpbusd_epi32(acc[q], xv, wv);
            }
        }
    }
    const __m256i zero = _mm256_set1_epi16((short)a->out_zero);
    const __m256i lo = _mm256_set1_epi16((short)a->out_min), hi = _mm256_set1_epi16((short)a->out_max);
    const requant_block rq = load_requant(a->multiplier, a->rounding, a->shift);
    const __mmask16 mask = (__mmask16)((1u << a->out_channels) - 1);
    const int64_t step = a->out_pixel_stride;
    const int width = a->out_w;
    uint8_t *out = a->output + (int64_t)oy * a->out_row_stride + (int64_t)ox * step;
#pragma clang loop unroll(full)
    for (int q = 0; q < Q; q++) {
        __m128i r = requantize16(acc[q], &rq, zero, lo, hi);
        _mm_mask_storeu_epi8(out + 2 * q * step, mask, r);
        // The second pixel of the last pair may be past the row (odd width): computed, not stored.
        if (ox + 2 * q + 1 < width) _mm_mask_storeu_epi8(out + (2 * q + 1) * step, mask, _mm_srli_si128(r, 8));
    }
}

/// 1-byte pixel distance (a 1-channel input at stride 1): pixels x + q and x + q + 4 share a register, so one
/// 8-byte load broadcast (`vpbroadcastq` from memory) supplies both pixels' 4 input bytes — bytes x+q+4g…+3 in
/// the even lanes and x+q+4+4g…+3 in the odd ones. H 8-pixel halves (1 or 2) per tile; the pairing changes
/// which pixel a lane computes, not what it computes.
INLINE VNNI void conv_quad_tile(const digits_conv_args *a, int oy, int ox, const int H) {
    __m512i acc[8];
    const __m512i b = _mm512_loadu_si512(a->bias);
#pragma clang loop unroll(full)
    for (int q = 0; q < 4 * H; q++) acc[q] = b;
    const uint8_t *base = a->input + (int64_t)oy * a->stride_y * a->in_row_stride + ox;
    const int groups = a->groups;
    for (int ky = 0; ky < a->kernel_h; ky++) {
        const uint8_t *row = base + ky * a->in_row_stride;
        const int8_t *w = a->weights + (int64_t)ky * groups * 64;
        for (int g = 0; g < groups; g++) {
            const __m512i wv = _mm512_load_si512(w + g * 64);
#pragma clang loop unroll(full)
            for (int q = 0; q < 4 * H; q++) {
                int64_t x;
                __builtin_memcpy(&x, row + (q / 4) * 8 + q % 4 + g * 4, 8);
                acc[q] = _mm512_dpbusd_epi32(acc[q], _mm512_set1_epi64(x), wv);
            }
        }
    }
    const __m256i zero = _mm256_set1_epi16((short)a->out_zero);
    const __m256i lo = _mm256_set1_epi16((short)a->out_min), hi = _mm256_set1_epi16((short)a->out_max);
    const requant_block rq = load_requant(a->multiplier, a->rounding, a->shift);
    const __mmask16 mask = (__mmask16)((1u << a->out_channels) - 1);
    const int64_t step = a->out_pixel_stride;
    uint8_t *out = a->output + (int64_t)oy * a->out_row_stride + (int64_t)ox * step;
#pragma clang loop unroll(full)
    for (int q = 0; q < 4 * H; q++) {
        __m128i r = requantize16(acc[q], &rq, zero, lo, hi);
        const int x = (q / 4) * 8 + q % 4;
        _mm_mask_storeu_epi8(out + x * step, mask, r);
        _mm_mask_storeu_epi8(out + (x + 4) * step, mask, _mm_srli_si128(r, 8));
    }
}

static VNNI void conv_quad_rows(const digits_conv_args *a) {
    for (int oy = 0; oy < a->out_h; oy++) {
        int ox = 0;
        for (; ox + 16 <= a->out_w; ox += 16) conv_quad_tile(a, oy, ox, 2);
        if (ox + 8 <= a->out_w) { conv_quad_tile(a, oy, ox, 1); ox += 8; }
        switch ((a->out_w - ox + 1) / 2) {
        case 1: conv_pair_tile(a, oy, ox, 1, 1); break;
        case 2: conv_pair_tile(a, oy, ox, 2, 1); break;
        case 3: conv_pair_tile(a, oy, ox, 3, 1); break;
        case 4: conv_pair_tile(a, oy, ox, 4, 1); break;
        default: break;
        }
    }
}

#define PAIR_ROWS(PX)                                                                                 \
    static VNNI void conv_pair_rows_##PX(const digits_conv_args *a) {                                 \
        for (int oy = 0; oy < a->out_h; oy++) {                                                       \
            int ox = 0;                                                                               \
            for (; ox + 16 <= a->out_w; ox += 16) conv_pair_tile(a, oy, ox, 8, PX);                    \
            switch ((a->out_w - ox + 1) / 2) {                                                        \
            case 1: conv_pair_tile(a, oy, ox, 1, PX); break;                                          \
            case 2: conv_pair_tile(a, oy, ox, 2, PX); break;                                          \
            case 3: conv_pair_tile(a, oy, ox, 3, PX); break;                                          \
            case 4: conv_pair_tile(a, oy, ox, 4, PX); break;                                          \
            case 5: conv_pair_tile(a, oy, ox, 5, PX); break;                                          \
            case 6: conv_pair_tile(a, oy, ox, 6, PX); break;                                          \
            case 7: conv_pair_tile(a, oy, ox, 7, PX); break;                                          \
            default: break;                                                                           \
            }                                                                                         \
        }                                                                                             \
    }
PAIR_ROWS(0)


VNNI void digits_conv_pairs_vnni(const digits_conv_args *a) {
    if (a->stride_x * a->in_pixel_stride == 1) conv_quad_rows(a); else conv_pair_rows_0(a);
}

/// NB blocks of 16 units at once: one input broadcast feeds NB independent accumulator chains (NB ≥ 4 hides
/// vpdpbusd's latency), so the loads are the weights plus one broadcast per group, not per group and block.
INLINE VNNI void dense_blocks(const digits_dense_args *a, int ob, const int NB) {
    __m512i acc[8];
    const int groups = a->groups;
    const int8_t *w = a->weights + (int64_t)ob * groups * 64;
#pragma clang loop unroll(full)
    for (int nb = 0; nb < NB; nb++) acc[nb] = _mm512_loadu_si512(a->bias + (ob + nb) * 16);
    for (int g = 0; g < groups; g++) {
        int32_t x;
        __builtin_memcpy(&x, a->input + 4 * g, 4);
        const __m512i xv = _mm512_set1_epi32(x);
#pragma clang loop unroll(full)
        for (int nb = 0; nb < NB; nb++)
            acc[nb] = _mm512_dpbusd_epi32(acc[nb], xv, _mm512_load_si512(w + ((int64_t)nb * groups + g) * 64));
    }
    const __m256i zero = _mm256_set1_epi16((short)a->out_zero);
    const __m256i lo = _mm256_set1_epi16((short)a->out_min), hi = _mm256_set1_epi16((short)a->out_max);
#pragma clang loop unroll(full)
    for (int nb = 0; nb < NB; nb++) {
        const int oc = (ob + nb) * 16;
        const int remaining = a->units - oc;
        const __mmask16 mask = remaining >= 16 ? (__mmask16)0xFFFF : (__mmask16)((1u << remaining) - 1);
        const requant_block rq = load_requant(a->multiplier + oc, a->rounding + oc, a->shift + oc);
        _mm_mask_storeu_epi8(a->output + oc, mask, requantize16(acc[nb], &rq, zero, lo, hi));
    }
}

/// A single block: four chains over interleaved groups (int32 wrapping makes any split exact).
static VNNI void dense_single_block(const digits_dense_args *a, int ob) {
    const int8_t *w = a->weights + (int64_t)ob * a->groups * 64;
    __m512i s0 = _mm512_loadu_si512(a->bias + ob * 16);
    __m512i s1 = _mm512_setzero_si512(), s2 = _mm512_setzero_si512(), s3 = _mm512_setzero_si512();
    int g = 0;
    for (; g + 4 <= a->groups; g += 4) {
        int32_t x0, x1, x2, x3;
        __builtin_memcpy(&x0, a->input + 4 * g, 4);
        __builtin_memcpy(&x1, a->input + 4 * g + 4, 4);
        __builtin_memcpy(&x2, a->input + 4 * g + 8, 4);
        __builtin_memcpy(&x3, a->input + 4 * g + 12, 4);
        s0 = _mm512_dpbusd_epi32(s0, _mm512_set1_epi32(x0), _mm512_load_si512(w + g * 64));
        s1 = _mm512_dpbusd_epi32(s1, _mm512_set1_epi32(x1), _mm512_load_si512(w + g * 64 + 64));
        s2 = _mm512_dpbusd_epi32(s2, _mm512_set1_epi32(x2), _mm512_load_si512(w + g * 64 + 128));
        s3 = _mm512_dpbusd_epi32(s3, _mm512_set1_epi32(x3), _mm512_load_si512(w + g * 64 + 192));
    }
    for (; g < a->groups; g++) {
        int32_t x;
        __builtin_memcpy(&x, a->input + 4 * g, 4);
        s0 = _mm512_dpbusd_epi32(s0, _mm512_set1_epi32(x), _mm512_load_si512(w + g * 64));
    }
    const __m512i acc = _mm512_add_epi32(_mm512_add_epi32(s0, s1), _mm512_add_epi32(s2, s3));
    const __m256i zero = _mm256_set1_epi16((short)a->out_zero);
    const __m256i lo = _mm256_set1_epi16((short)a->out_min), hi = _mm256_set1_epi16((short)a->out_max);
    const int oc = ob * 16;
    const int remaining = a->units - oc;
    const __mmask16 mask = remaining >= 16 ? (__mmask16)0xFFFF : (__mmask16)((1u << remaining) - 1);
    const requant_block rq = load_requant(a->multiplier + oc, a->rounding + oc, a->shift + oc);
    _mm_mask_storeu_epi8(a->output + oc, mask, requantize16(acc, &rq, zero, lo, hi));
}

VNNI void digits_dense_vnni(const digits_dense_args *a) {
    const int blocks = (a->units + 15) / 16;
    int ob = 0;
    for (; ob + 8 <= blocks; ob += 8) dense_blocks(a, ob, 8);
    switch (blocks - ob) {
    case 1: dense_single_block(a, ob); break;
    case 2: dense_blocks(a, ob, 2); break;
    case 3: dense_blocks(a, ob, 3); break;
    case 4: dense_blocks(a, ob, 4); break;
    case 5: dense_blocks(a, ob, 5); break;
    case 6: dense_blocks(a, ob, 6); break;
    case 7: dense_blocks(a, ob, 7); break;
    default: break;
    }
}

/// One block of ≤ 16 units for N images: each weight vector is loaded once and feeds N broadcasts; two chains
/// per image (even and odd groups; int32 wrapping makes any split exact) keep 2N dot products in flight.
INLINE VNNI void dense_group_block(const digits_dense_args *a, const uint8_t *const *in, uint8_t *const *out,
                                   const int N) {
    const int8_t *w = a->weights;
    const int groups = a->groups;
    const __m512i bias = _mm512_loadu_si512(a->bias);
    __m512i s0[4], s1[4];
#pragma clang loop unroll(full)
    for (int n = 0; n < N; n++) { s0[n] = bias; s1[n] = _mm512_setzero_si512(); }
    int g = 0;
    for (; g + 2 <= groups; g += 2) {
        const __m512i w0 = _mm512_load_si512(w + g * 64), w1 = _mm512_load_si512(w + g * 64 + 64);
#pragma clang loop unroll(full)
        for (int n = 0; n < N; n++) {
            int32_t x0, x1;
            __builtin_memcpy(&x0, in[n] + 4 * g, 4);
            __builtin_memcpy(&x1, in[n] + 4 * g + 4, 4);
            s0[n] = _mm512_dpbusd_epi32(s0[n], _mm512_set1_epi32(x0), w0);
            s1[n] = _mm512_dpbusd_epi32(s1[n], _mm512_set1_epi32(x1), w1);
        }
    }
    if (g < groups) {
        const __m512i w0 = _mm512_load_si512(w + g * 64);
#pragma clang loop unroll(full)
        for (int n = 0; n < N; n++) {
            int32_t x;
            __builtin_memcpy(&x, in[n] + 4 * g, 4);
            s0[n] = _mm512_dpbusd_epi32(s0[n], _mm512_set1_epi32(x), w0);
        }
    }
    const __m256i zero = _mm256_set1_epi16((short)a->out_zero);
    const __m256i lo = _mm256_set1_epi16((short)a->out_min), hi = _mm256_set1_epi16((short)a->out_max);
    const __mmask16 mask = a->units >= 16 ? (__mmask16)0xFFFF : (__mmask16)((1u << a->units) - 1);
    const requant_block rq = load_requant(a->multiplier, a->rounding, a->shift);
#pragma clang loop unroll(full)
    for (int n = 0; n < N; n++)
        _mm_mask_storeu_epi8(out[n], mask, requantize16(_mm512_add_epi32(s0[n], s1[n]), &rq, zero, lo, hi));
}

/// NB blocks of 16 units for N images: each group's NB weight vectors are loaded once and feed N broadcasts, so a
/// large layer's weights (convpool's 3136 → 128: 401 KB, streamed from L2) cross the cache once per N images.
/// N × NB ≥ 4 independent chains hide vpdpbusd's latency.
INLINE VNNI void dense_group_blocks(const digits_dense_args *a, const uint8_t *const *in, uint8_t *const *out,
                                    const int N, int ob, const int NB) {
    const int groups = a->groups;
    const int8_t *w = a->weights + (int64_t)ob * groups * 64;
    const uint8_t *x[4];
    __m512i acc[4][4];
#pragma clang loop unroll(full)
    for (int n = 0; n < N; n++) x[n] = in[n];
#pragma clang loop unroll(full)
    for (int nb = 0; nb < NB; nb++) {
        const __m512i b = _mm512_loadu_si512(a->bias + (ob + nb) * 16);
#pragma clang loop unroll(full)
        for (int n = 0; n < N; n++) acc[n][nb] = b;
    }
    for (int g = 0; g < groups; g++) {
        __m512i wv[4];
#pragma clang loop unroll(full)
        for (int nb = 0; nb < NB; nb++) wv[nb] = _mm512_load_si512(w + ((int64_t)nb * groups + g) * 64);
#pragma clang loop unroll(full)
        for (int n = 0; n < N; n++) {
            int32_t v;
            __builtin_memcpy(&v, x[n] + 4 * g, 4);
            const __m512i xv = _mm512_set1_epi32(v);
#pragma clang loop unroll(full)
            for (int nb = 0; nb < NB; nb++) acc[n][nb] = _mm512_dpbusd_epi32(acc[n][nb], xv, wv[nb]);
        }
    }
    const __m256i zero = _mm256_set1_epi16((short)a->out_zero);
    const __m256i lo = _mm256_set1_epi16((short)a->out_min), hi = _mm256_set1_epi16((short)a->out_max);
#pragma clang loop unroll(full)
    for (int nb = 0; nb < NB; nb++) {
        const int oc = (ob + nb) * 16;
        const int remaining = a->units - oc;
        const __mmask16 mask = remaining >= 16 ? (__mmask16)0xFFFF : (__mmask16)((1u << remaining) - 1);
        const requant_block rq = load_requant(a->multiplier + oc, a->rounding + oc, a->shift + oc);
#pragma clang loop unroll(full)
        for (int n = 0; n < N; n++) _mm_mask_storeu_epi8(out[n] + oc, mask, requantize16(acc[n][nb], &rq, zero, lo, hi));
    }
}

#define DENSE_GROUP_N(N)                                                                              \
    static VNNI void dense_group_##N(const digits_dense_args *a, const uint8_t *const *in, uint8_t *const *out) { \
        const int blocks = (a->units + 15) / 16;                                                      \
        int ob = 0;                                                                                   \
        for (; ob + 4 <= blocks; ob += 4) dense_group_blocks(a, in, out, N, ob, 4);                   \
        switch (blocks - ob) {                                                                        \
        case 1: dense_group_blocks(a, in, out, N, ob, 1); break;                                      \
        case 2: dense_group_blocks(a, in, out, N, ob, 2); break;                                      \
        case 3: dense_group_blocks(a, in, out, N, ob, 3); break;                                      \
        default: break;                                                                               \
        }                                                                                             \
    }
DENSE_GROUP_N(2)
DENSE_GROUP_N(3)
DENSE_GROUP_N(4)

VNNI void digits_dense_group_vnni(const digits_dense_args *a, const uint8_t *const *inputs, uint8_t *const *outputs,
                                  int32_t count) {
    if (a->units <= 16 && count >= 2 && count <= 4) {
        switch (count) {
        case 2: dense_group_block(a, inputs, outputs, 2); return;
        case 3: dense_group_block(a, inputs, outputs, 3); return;
        default: dense_group_block(a, inputs, outputs, 4); return;
        }
    }
    switch (count) {
    case 2: dense_group_2(a, inputs, outputs); return;
    case 3: dense_group_3(a, inputs, outputs); return;
    case 4: dense_group_4(a, inputs, outputs); return;
    default: break;
    }
    for (int32_t n = 0; n < count; n++) {
        digits_dense_args one = *a;
        one.input = inputs[n];
        one.output = outputs[n];
        digits_dense_vnni(&one);
    }
}

#else

int digits_vnni_compiled(void) { return 0; }
void digits_dense_group_vnni(const digits_dense_args *args, const uint8_t *const *inputs, uint8_t *const *outputs,
                             int32_t count) { (void)args; (void)inputs; (void)outputs; (void)count; }
// Never called: KernelPath.avx512vnni is unsupported on CPUs other than x86-64.
int digits_conv_pool_vnni(const digits_conv_args *args) { (void)args; return 0; }
void digits_conv_vnni(const digits_conv_args *args) { (void)args; }
void digits_dense_vnni(const digits_dense_args *args) { (void)args; }
void digits_conv_pairs_vnni(const digits_conv_args *args) { (void)args; }

#endif
