// 3×3 convolutions of stride 1 or 2 on AVX2 by integer Winograd, so the bytes are the direct convolution's
// (docs/codegen.md, "AVX2: integer Winograd"). A T×T block of outputs takes n² products per input × output channel
// instead of 9·T², n = T + 2 at stride 1 and 2T + 1 at stride 2, in vpmaddwd, the instruction that bounds the
// AVX2 path:
// - stride 1, F(3×3, 3×3): 25 products instead of 81 (3.24× fewer); F(2×2, 3×3): 16 instead of 36 (2.25×). A
//   layer takes the tile with fewer products over its whole output (partial tiles at the edges count in full):
//   F(3×3) almost always, F(2×2) for outputs of 4 rows or columns and as the fallback when F(3×3)'s bound fails.
// - stride 2, 2×2 outputs from a 5×5 patch: 25 instead of 36 (1.44×). Per dimension, the middle tap meets the
//   odd inputs (2 products) and the outer taps the even ones, a 2-tap filter over 3 inputs: Winograd F(2, 2),
//   3 products. For layers with at least 32 input channels, over the even part of the output (an odd last row
//   and column run direct).
//
// Why it is exact: with G' = s·G (s = 2 for F(2×2), 6 for F(3×3), 1 at stride 2) the transformed weights
// U = G' g G'ᵀ are integers (|U| ≤ 9·127, 81·127, 4·127), the transformed inputs V = Bᵀ d B are integers
// (|V| ≤ 4·255, 36·255, 4·255),
// both fit int16, vpmaddwd multiplies them exactly, and Aᵀ (Σ U⊙V) A = s²·Σ w·u, the direct sum times s². All
// of it is int32 arithmetic, exact modulo 2^32, so the result is exact whenever s²·|Σ w·u| < 2^31, which the
// weight transform checks per output channel (255·Σ|w| < 2^31 / s²; a layer that fails F(3×3)'s bound runs
// F(2×2), one that fails both runs the direct kernel). Then the exact division by s² (>> 2, and for s² = 36
// a multiplication by 9⁻¹ modulo 2^32, exact because the quotient is an integer that fits int32), + bias, and
// the usual requantization.
//
// Per band of tile rows: the input transform into V[positions][tiles][channels] (int16), then per block of 16
// output channels, per position, a small GEMM (up to 6 tiles × 16 channels in registers), then the output
// transform and requantization per tile.
#include "int8_kernels.h"

#if defined(__x86_64__) && defined(__clang__)
#include "requantize_avx2.h"
#include "weight_cache.h"
#include <stdlib.h>

enum {
    wino_v_capacity = 20480,   ///< int16 elements of transformed input per band (40 KB of stack)
    wino_max_tiles = 32,       ///< tiles per band (and per row)
    wino_max_positions = 25,   ///< (T + 2)² for T ≤ 3
    wino_gemm_tiles = 6,       ///< tiles per register block
};

// ---------------------------------------------------------------------------------------------------------------
// Transformed weights, made once per layer (weight_cache.h): U[position][channel block][input channel pair]
// [16 lanes][2] int16, lanes in the packed layout's order (lane 2c: channel c, lane 2c + 1: channel c + 8), so the
// GEMM's accumulators feed requantize16_avx2 as they are.

/// G' = s·G, the weight transforms scaled to integers: F(2×2, 3×3) (s = 2), F(3×3, 3×3) at the points
/// 0, 1, −1, 2, ∞ (s = 6), and the stride-2 one (s = 1): w0, w0 + w2, w2 on the even inputs, w1 twice on the odd.
static const int wino_g2[4][3] = {{2, 0, 0}, {1, 1, 1}, {1, -1, 1}, {0, 0, 2}};
static const int wino_g3[5][3] = {{3, 0, 0}, {-3, -3, -3}, {-1, 1, -1}, {1, 2, 4}, {0, 0, 6}};
static const int wino_g_stride2[5][3] = {{1, 0, 0}, {1, 0, 1}, {0, 0, 1}, {0, 1, 0}, {0, 1, 0}};

/// n, the positions per dimension, for tile side T and stride S.
INLINE int wino_n(int T, int S) { return S == 1 ? T + 2 : 2 * T + 1; }

/// Builds U for tile side T at stride S, or NULL when the sum bound fails for some output channel (or memory is
/// short).
static void *wino_build(const digits_conv_args *a, int T, int S) {
    const int n = wino_n(T, S), scale_squared = S == 2 ? 1 : T == 2 ? 4 : 36;
    const int channels = (int)a->in_pixel_stride;
    const int blocks = (a->out_channels + 15) / 16, pairs = channels / 2;
    const int64_t block_stride = (int64_t)a->kernel_h * a->groups * 64;
    const size_t elements = (size_t)n * n * blocks * pairs * 32;
    int16_t *u = aligned_alloc(32, elements * sizeof(int16_t));
    int ok = u != NULL;
    for (int ob = 0; ok && ob < blocks; ob++)
        for (int lane = 0; lane < 16; lane++) {
            const int8_t *w = a->weights + ob * block_stride + lane * 4;
            // Tap (ky, kx) of input channel c: byte r = kx·channels + c of kernel row ky, group r / 4, byte r % 4.
            int64_t absolute = 0;
            for (int ky = 0; ky < 3; ky++)
                for (int r = 0; r < 3 * channels; r++) {
                    const int v = w[ky * a->groups * 64 + (r / 4) * 64 + r % 4];
                    absolute += v < 0 ? -v : v;
                }
            if ((int64_t)scale_squared * 255 * absolute >= (int64_t)1 << 31) ok = 0;
            for (int c = 0; ok && c < channels; c++) {
                int g[3][3];
                for (int ky = 0; ky < 3; ky++)
                    for (int kx = 0; kx < 3; kx++) {
                        const int r = kx * channels + c;
                        g[ky][kx] = w[ky * a->groups * 64 + (r / 4) * 64 + r % 4];
                    }
                for (int i = 0; i < n; i++)
                    for (int j = 0; j < n; j++) {
                        int sum = 0;
                        for (int ky = 0; ky < 3; ky++)
                            for (int kx = 0; kx < 3; kx++) {
                                const int gi = S == 2 ? wino_g_stride2[i][ky] : T == 2 ? wino_g2[i][ky] : wino_g3[i][ky];
                                const int gj = S == 2 ? wino_g_stride2[j][kx] : T == 2 ? wino_g2[j][kx] : wino_g3[j][kx];
                                sum += gi * g[ky][kx] * gj;
                            }
                        const size_t at = ((((size_t)(n * i + j) * blocks + ob) * pairs + c / 2) * 16 + lane) * 2 + c % 2;
                        u[at] = (int16_t)sum;
                    }
            }
        }
    if (!ok) {
        free(u);
        return NULL;
    }
    return u;
}

static void *wino_build2(const digits_conv_args *a, int *info) { (void)info; return wino_build(a, 2, 1); }
static void *wino_build3(const digits_conv_args *a, int *info) { (void)info; return wino_build(a, 3, 1); }
static void *wino_build_stride2(const digits_conv_args *a, int *info) { (void)info; return wino_build(a, 2, 2); }

// ---------------------------------------------------------------------------------------------------------------
// Input transform: V = Bᵀ d B for every n × n input patch of a row of tiles, 16 channels per step.

INLINE AVX2 __m256i twice16(__m256i x) { return _mm256_add_epi16(x, x); }

/// Bᵀ applied to one line of n values (int16: |V| stays within 36·255).
INLINE AVX2 void input_line(const __m256i d[], __m256i r[], const int T, const int S) {
    if (S == 2) {
        // The even inputs d0, d2, d4 for F(2, 2) (d0 − d2, d2, d4 − d2), then the odd ones as they are.
        r[0] = _mm256_sub_epi16(d[0], d[2]);
        r[1] = d[2];
        r[2] = _mm256_sub_epi16(d[4], d[2]);
        r[3] = d[1];
        r[4] = d[3];
    } else if (T == 2) {
        r[0] = _mm256_sub_epi16(d[0], d[2]);
        r[1] = _mm256_add_epi16(d[1], d[2]);
        r[2] = _mm256_sub_epi16(d[2], d[1]);
        r[3] = _mm256_sub_epi16(d[1], d[3]);
    } else {
        // Bᵀ rows: (2 −1 −2 1 0), (0 −2 −1 1 0), (0 2 −3 1 0), (0 −1 0 1 0), (0 2 −1 −2 1).
        const __m256i a = _mm256_sub_epi16(d[3], d[2]), b = _mm256_sub_epi16(d[3], d[1]);
        r[0] = _mm256_add_epi16(twice16(_mm256_sub_epi16(d[0], d[2])), b);
        r[1] = _mm256_sub_epi16(a, twice16(d[1]));
        r[2] = _mm256_add_epi16(a, twice16(_mm256_sub_epi16(d[1], d[2])));
        r[3] = b;
        r[4] = _mm256_sub_epi16(_mm256_sub_epi16(d[4], d[2]), twice16(b));
    }
}

/// Row r of the patch of tile row `ty`, clamped to the rows the layer has (a patch of a partial tile reads
/// rows or columns past them; what it reads there only reaches the outputs that are not stored).
INLINE int clamp_index(int i, int last) { return i > last ? last : i; }

/// Writes the row's tiles at `v` (tile tx at v + tx·channels) in a band of `band_tiles` tiles per position.
INLINE AVX2 void input_transform(const digits_conv_args *a, int channels, int ty, int tiles, int band_tiles,
                                 int16_t *v, const int T, const int S) {
    const int n = wino_n(T, S), step = S * T;
    const int last_row = S * (a->out_h - 1) + 2, last_col = S * (a->out_w - 1) + 2;
    const uint8_t *rows[wino_max_positions / 5];
#pragma clang loop unroll(full)
    for (int r = 0; r < n; r++) rows[r] = a->input + (int64_t)clamp_index(step * ty + r, last_row) * a->in_row_stride;
    const int64_t position_stride = (int64_t)band_tiles * channels;
    for (int tx = 0; tx < tiles; tx++) {
        int64_t cols[wino_max_positions / 5];
#pragma clang loop unroll(full)
        for (int c = 0; c < n; c++) cols[c] = (int64_t)clamp_index(step * tx + c, last_col) * a->in_pixel_stride;
        for (int ch = 0; ch < channels; ch += 16) {
            __m256i t[5][5];   // t[i][c]: row i of Bᵀ d, column c
#pragma clang loop unroll(full)
            for (int c = 0; c < n; c++) {
                __m256i d[5], r[5];
#pragma clang loop unroll(full)
                for (int k = 0; k < n; k++)
                    d[k] = _mm256_cvtepu8_epi16(_mm_loadu_si128((const __m128i *)(rows[k] + cols[c] + ch)));
                input_line(d, r, T, S);
#pragma clang loop unroll(full)
                for (int i = 0; i < n; i++) t[i][c] = r[i];
            }
            int16_t *out = v + (int64_t)tx * channels + ch;
#pragma clang loop unroll(full)
            for (int i = 0; i < n; i++) {
                __m256i r[5];
                input_line(t[i], r, T, S);
#pragma clang loop unroll(full)
                for (int j = 0; j < n; j++) _mm256_storeu_si256((__m256i *)(out + (n * i + j) * position_stride), r[j]);
            }
        }
    }
}

// ---------------------------------------------------------------------------------------------------------------
// The GEMM of one position: R tiles × 16 output channels, summed over input channel pairs.

/// m[tile][position][half]: the products' sums of every tile of the band, for one block of output channels.
typedef __m256i wino_m[wino_max_positions][2];

INLINE AVX2 void position_gemm(const int16_t *v, const int16_t *u, int pairs, int tx0, int channels, wino_m *m,
                               int position, const int R) {
    __m256i acc[wino_gemm_tiles][2];
#pragma clang loop unroll(full)
    for (int r = 0; r < R; r++) acc[r][0] = acc[r][1] = _mm256_setzero_si256();
    const int16_t *x = v + (int64_t)tx0 * channels;
    for (int p = 0; p < pairs; p++) {
        const __m256i w0 = _mm256_load_si256((const __m256i *)(u + p * 32));
        const __m256i w1 = _mm256_load_si256((const __m256i *)(u + p * 32 + 16));
#pragma clang loop unroll(full)
        for (int r = 0; r < R; r++) {
            int32_t pair;
            __builtin_memcpy(&pair, x + r * channels + 2 * p, 4);
            const __m256i xv = _mm256_set1_epi32(pair);
            acc[r][0] = _mm256_add_epi32(acc[r][0], _mm256_madd_epi16(xv, w0));
            acc[r][1] = _mm256_add_epi32(acc[r][1], _mm256_madd_epi16(xv, w1));
        }
    }
#pragma clang loop unroll(full)
    for (int r = 0; r < R; r++) {
        m[tx0 + r][position][0] = acc[r][0];
        m[tx0 + r][position][1] = acc[r][1];
    }
}

INLINE AVX2 void position_gemm_any(const int16_t *v, const int16_t *u, int pairs, int tx0, int channels, wino_m *m,
                                   int position, int width) {
#define GEMM_TILE(R) position_gemm(v, u, pairs, tx0, channels, m, position, R)
    FOR_TILE_WIDTH_UP_TO_6(width, GEMM_TILE)
#undef GEMM_TILE
}

// ---------------------------------------------------------------------------------------------------------------
// Output transform: Y = Aᵀ M A (T×T of 8 lanes), divided by s², requantized and stored per pixel.

/// Aᵀ applied to one line of n sums (int32, wrapping: exact modulo 2^32, see the top of the file).
INLINE AVX2 void output_line(const __m256i m[], __m256i s[], const int T, const int S) {
    if (S == 2) {
        s[0] = _mm256_add_epi32(_mm256_add_epi32(m[0], m[1]), m[3]);
        s[1] = _mm256_add_epi32(_mm256_add_epi32(m[1], m[2]), m[4]);
    } else if (T == 2) {
        s[0] = _mm256_add_epi32(_mm256_add_epi32(m[0], m[1]), m[2]);
        s[1] = _mm256_sub_epi32(_mm256_sub_epi32(m[1], m[2]), m[3]);
    } else {
        // Aᵀ rows: (1 1 1 1 0), (0 1 −1 2 0), (0 1 1 4 1).
        const __m256i p = _mm256_add_epi32(m[1], m[2]), q = _mm256_sub_epi32(m[1], m[2]);
        s[0] = _mm256_add_epi32(_mm256_add_epi32(m[0], p), m[3]);
        s[1] = _mm256_add_epi32(q, _mm256_slli_epi32(m[3], 1));
        s[2] = _mm256_add_epi32(_mm256_add_epi32(p, _mm256_slli_epi32(m[3], 2)), m[4]);
    }
}

/// x / s², exact: x is s² times an int32.
INLINE AVX2 __m256i divide_exactly(__m256i x, const int T, const int S) {
    if (S == 2) return x;
    x = _mm256_srai_epi32(x, 2);
    // 9 · 0x38E38E39 = 2^33 + 1: multiplying by 9⁻¹ modulo 2^32 divides a multiple of 9 exactly.
    return T == 2 ? x : _mm256_mullo_epi32(x, _mm256_set1_epi32(0x38E38E39));
}

/// Half h (lanes 0–7 or 8–15) of a tile's sums → y[i][k], the direct sums of output (i, k) of the tile.
INLINE AVX2 void output_transform(const __m256i m[][2], int h, __m256i y[3][3], const int T, const int S) {
    const int n = wino_n(T, S);
    __m256i s[3][5];   // s[i][b]: row i of Aᵀ M, column b
#pragma clang loop unroll(full)
    for (int b = 0; b < n; b++) {
        __m256i column[5], r[3];
#pragma clang loop unroll(full)
        for (int k = 0; k < n; k++) column[k] = m[n * k + b][h];
        output_line(column, r, T, S);
#pragma clang loop unroll(full)
        for (int i = 0; i < T; i++) s[i][b] = r[i];
    }
#pragma clang loop unroll(full)
    for (int i = 0; i < T; i++) {
        __m256i r[3];
        output_line(s[i], r, T, S);
#pragma clang loop unroll(full)
        for (int k = 0; k < T; k++) y[i][k] = divide_exactly(r[k], T, S);
    }
}

/// Output tiles per row and tile rows for tile side T at stride S, or 0 when a band of one tile row exceeds the
/// buffers.
INLINE int tile_count(const digits_conv_args *a, int channels, int T, int S, int *tiles, int *tile_rows) {
    *tiles = (a->out_w + T - 1) / T;
    *tile_rows = (a->out_h + T - 1) / T;
    const int n = wino_n(T, S);
    return *tiles <= wino_max_tiles && (int64_t)n * n * *tiles * channels <= wino_v_capacity;
}

INLINE AVX2 void winograd(const digits_conv_args *a, const int16_t *u, int tiles, int tile_rows, const int T,
                          const int S) {
    const int n = wino_n(T, S), positions = n * n, channels = (int)a->in_pixel_stride;
    // Bands of whole tile rows, as many as the buffers hold: narrow layers (7×7: 3 tiles a row) then still fill
    // register blocks of 5–6 tiles, each weight load feeding them all.
    int band_rows = wino_max_tiles / tiles;
    if (band_rows > wino_v_capacity / (positions * tiles * channels))
        band_rows = wino_v_capacity / (positions * tiles * channels);
    if (band_rows > tile_rows) band_rows = tile_rows;

    int16_t v[wino_v_capacity] __attribute__((aligned(32)));
    wino_m m[wino_max_tiles] __attribute__((aligned(32)));
    const int blocks = (a->out_channels + 15) / 16, pairs = channels / 2;
    const __m256i zero = _mm256_set1_epi16((short)a->out_zero);
    const __m256i lo = _mm256_set1_epi16((short)a->out_min), hi = _mm256_set1_epi16((short)a->out_max);
    for (int ty0 = 0; ty0 < tile_rows; ty0 += band_rows) {
        const int rows_here = tile_rows - ty0 < band_rows ? tile_rows - ty0 : band_rows;
        const int band = rows_here * tiles;
        for (int r = 0; r < rows_here; r++)
            input_transform(a, channels, ty0 + r, tiles, band, v + (int64_t)r * tiles * channels, T, S);
        const int chunks = (band + wino_gemm_tiles - 1) / wino_gemm_tiles;
        for (int ob = 0; ob < blocks; ob++) {
            for (int position = 0; position < positions; position++) {
                const int16_t *up = u + ((int64_t)position * blocks + ob) * pairs * 32;
                const int16_t *vp = v + (int64_t)position * band * channels;
                int t = 0;
                for (int c = 0; c < chunks; c++) {
                    const int width = band / chunks + (c < band % chunks);
                    position_gemm_any(vp, up, pairs, t, channels, m, position, width);
                    t += width;
                }
            }
            const int oc = ob * 16;
            const int count = a->out_channels - oc >= 16 ? 16 : a->out_channels - oc;
            const requant_block2 q = load_requant2(a->multiplier + oc, a->rounding + oc, a->shift + oc);
            const __m256i bias0 = _mm256_loadu_si256((const __m256i *)(a->bias + oc));
            const __m256i bias1 = _mm256_loadu_si256((const __m256i *)(a->bias + oc + 8));
            for (int t = 0; t < band; t++) {
                const int ty = ty0 + t / tiles, tx = t % tiles;
                __m256i y0[3][3], y1[3][3];
                output_transform(m[t], 0, y0, T, S);
                output_transform(m[t], 1, y1, T, S);
                for (int i = 0; i < T; i++) {
                    const int oy = T * ty + i;
                    if (oy >= a->out_h) break;
                    for (int k = 0; k < T; k++) {
                        const int ox = T * tx + k;
                        if (ox >= a->out_w) break;
                        const __m128i bytes = requantize16_avx2(_mm256_add_epi32(y0[i][k], bias0),
                                                                _mm256_add_epi32(y1[i][k], bias1), &q, zero, lo, hi);
                        store_bytes(a->output + (int64_t)oy * a->out_row_stride + (int64_t)ox * a->out_pixel_stride + oc,
                                    bytes, count);
                    }
                }
            }
        }
    }
}

/// Stride 2, from 32 input channels (with 16, measured, the transforms cost more than the products saved:
/// resnet's 16→32 layer 14.5 → 15.0 µs): 2×2 tiles over the even part of the output, the direct kernels for an
/// odd last row and column — so a 7×7 output takes 9 tiles (225 products) + 13 direct pixels (117) instead of
/// 441, where tiles over all of it (4×4, 400 products) would gain nothing.
AVX2 static int winograd_stride2(const digits_conv_args *a, int channels) {
    digits_conv_args even = *a;
    even.out_h = a->out_h & ~1;
    even.out_w = a->out_w & ~1;
    int tiles, rows;
    if (channels < 32 || even.out_h == 0 || even.out_w == 0 || !tile_count(&even, channels, 2, 2, &tiles, &rows))
        return 0;
    const int16_t *u = digits_cached_weights(a, weight_layout_winograd_stride2, wino_build_stride2, NULL);
    if (u == NULL) return 0;
    winograd(&even, u, tiles, rows, 2, 2);
    // The strips are 1 wide or 1 high, so this function declines them and the direct kernels run.
    if (a->out_w > even.out_w) {
        digits_conv_args column = even;
        column.out_w = 1;
        column.input += (int64_t)even.out_w * a->stride_x * a->in_pixel_stride;
        column.output += (int64_t)even.out_w * a->out_pixel_stride;
        digits_conv_avx2(&column);
    }
    if (a->out_h > even.out_h) {
        digits_conv_args row = *a;
        row.out_h = 1;
        row.input += (int64_t)even.out_h * a->stride_y * a->in_row_stride;
        row.output += (int64_t)even.out_h * a->out_row_stride;
        digits_conv_avx2(&row);
    }
    return 1;
}

/// 3×3, stride 1 or 2 (the same across and down), a multiple of 16 input channels, not paired.
static int winograd_shape(const digits_conv_args *a) {
    const int channels = (int)a->in_pixel_stride;
    return !a->pairs && a->kernel_h == 3 && a->stride_x == a->stride_y && a->stride_x >= 1 && a->stride_x <= 2 &&
           channels % 16 == 0 && (int64_t)a->groups * 4 == 3 * (int64_t)channels && a->out_h >= 1 && a->out_w >= 1;
}

int digits_winograd_avx2_takes(const digits_conv_args *a) {
    if (!winograd_shape(a)) return 0;
    const int channels = (int)a->in_pixel_stride;
    int tiles, rows;
    if (a->stride_x == 2) {
        digits_conv_args even = *a;
        even.out_h = a->out_h & ~1;
        even.out_w = a->out_w & ~1;
        return channels >= 32 && even.out_h > 0 && even.out_w > 0 && tile_count(&even, channels, 2, 2, &tiles, &rows);
    }
    return tile_count(a, channels, 3, 1, &tiles, &rows) || tile_count(a, channels, 2, 1, &tiles, &rows);
}

AVX2 int digits_conv_winograd_avx2(const digits_conv_args *a) {
    const int channels = (int)a->in_pixel_stride;
    if (!winograd_shape(a)) return 0;
    if (a->stride_x == 2) return winograd_stride2(a, channels);
    int tiles2, rows2, tiles3, rows3;
    const int fits2 = tile_count(a, channels, 2, 1, &tiles2, &rows2);
    const int fits3 = tile_count(a, channels, 3, 1, &tiles3, &rows3);
    if (fits3 && (!fits2 || 25 * tiles3 * rows3 < 16 * tiles2 * rows2)) {
        const int16_t *u = digits_cached_weights(a, weight_layout_winograd3, wino_build3, NULL);
        if (u != NULL) {
            winograd(a, u, tiles3, rows3, 3, 1);
            return 1;
        }
    }
    if (!fits2) return 0;
    const int16_t *u = digits_cached_weights(a, weight_layout_winograd, wino_build2, NULL);
    if (u == NULL) return 0;
    winograd(a, u, tiles2, rows2, 2, 1);
    return 1;
}

#else

int digits_conv_winograd_avx2(const digits_conv_args *args) { (void)args; return 0; }
int digits_winograd_avx2_takes(const digits_conv_args *args) { (void)args; return 0; }

#endif
