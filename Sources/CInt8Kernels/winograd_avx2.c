// 3×3, stride-1 convolutions on AVX2 by Winograd F(2×2, 3×3), in integers, so the bytes are the direct
// convolution's (docs/codegen.md, "AVX2: integer Winograd"). Each 2×2 block of outputs takes 16 products per input ×
// output channel instead of 36: 2.25× fewer vpmaddwd, the instruction that bounds the AVX2 path.
//
// Why it is exact: with G' = 2G the transformed weights U = G' g G'ᵀ are integers (|U| ≤ 9·127), the transformed
// inputs V = Bᵀ d B are integers (|V| ≤ 4·255), both fit int16, vpmaddwd multiplies them exactly, and
// Aᵀ (Σ U⊙V) A = 4·Σ w·u, the direct sum times 4. All of it is int32 arithmetic, exact modulo 2^32, so the
// result is exact whenever 4·|Σ w·u| < 2^31, which the weight transform checks per output channel (255·Σ|w| <
// 2^29; a layer that fails runs the direct kernel). The check cannot fail for a layer this kernel takes — its
// buffers hold at most 1,024 input channels, 255·9·1024·127 < 2^29 — it guards the buffer sizes' future. Then
// >> 2, + bias, and the usual requantization.
//
// Per band of tile rows (a tile row = 2 output rows): the input transform into V[16 positions][tiles][channels]
// (int16), then per block of 16 output channels, per position, a small GEMM (up to 6 tiles × 16 channels in
// registers), then the output transform and requantization per tile.
#include "int8_kernels.h"

#if defined(__x86_64__) && defined(__clang__)
#include "requantize_avx2.h"
#include "weight_cache.h"
#include <stdlib.h>

enum {
    wino_v_capacity = 16384,   ///< int16 elements of transformed input per band (32 KB of stack)
    wino_max_tiles = 32,       ///< tiles per band (and per row: outputs up to 64 wide)
    wino_gemm_tiles = 6,       ///< tiles per register block
};

// ---------------------------------------------------------------------------------------------------------------
// Transformed weights, made once per layer (weight_cache.h): U[position 16][channel block][input channel pair]
// [16 lanes][2] int16, lanes in the packed layout's order (lane 2c: channel c, lane 2c + 1: channel c + 8), so the
// GEMM's accumulators feed requantize16_avx2 as they are.

/// 2G: the Winograd weight transform scaled to integers.
static const int wino_g[4][3] = {{2, 0, 0}, {1, 1, 1}, {1, -1, 1}, {0, 0, 2}};

/// Builds U, or NULL when the sum bound fails for some output channel (or memory is short).
static void *wino_build(const digits_conv_args *a, int *info) {
    (void)info;
    const int channels = (int)a->in_pixel_stride;
    const int blocks = (a->out_channels + 15) / 16, pairs = channels / 2;
    const int64_t block_stride = (int64_t)a->kernel_h * a->groups * 64;
    const size_t elements = (size_t)16 * blocks * pairs * 32;
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
            if (255 * absolute >= (int64_t)1 << 29) ok = 0;
            for (int c = 0; ok && c < channels; c++) {
                int g[3][3];
                for (int ky = 0; ky < 3; ky++)
                    for (int kx = 0; kx < 3; kx++) {
                        const int r = kx * channels + c;
                        g[ky][kx] = w[ky * a->groups * 64 + (r / 4) * 64 + r % 4];
                    }
                for (int i = 0; i < 4; i++)
                    for (int j = 0; j < 4; j++) {
                        int sum = 0;
                        for (int ky = 0; ky < 3; ky++)
                            for (int kx = 0; kx < 3; kx++) sum += wino_g[i][ky] * g[ky][kx] * wino_g[j][kx];
                        const size_t at = ((((size_t)(4 * i + j) * blocks + ob) * pairs + c / 2) * 16 + lane) * 2 + c % 2;
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

// ---------------------------------------------------------------------------------------------------------------
// Input transform: V = Bᵀ d B for every 4×4 input patch of a row of tiles, 16 channels per step.

/// Row r of the 4×4 patch of tile row `ty`, clamped to the rows the layer has (a patch of a partial tile reads
/// one row or column past them; what it reads there only reaches the outputs that are not stored).
INLINE int clamp_index(int i, int last) { return i > last ? last : i; }

/// Writes the row's tiles at `v` (tile tx at v + tx·channels) in a band of `band_tiles` tiles per position.
INLINE AVX2 void input_transform(const digits_conv_args *a, int channels, int ty, int tiles, int band_tiles,
                                 int16_t *v) {
    const int last_row = a->out_h + 1, last_col = a->out_w + 1;
    const uint8_t *rows[4];
    for (int r = 0; r < 4; r++) rows[r] = a->input + (int64_t)clamp_index(2 * ty + r, last_row) * a->in_row_stride;
    const int64_t position_stride = (int64_t)band_tiles * channels;
    for (int tx = 0; tx < tiles; tx++) {
        int64_t cols[4];
        for (int c = 0; c < 4; c++) cols[c] = (int64_t)clamp_index(2 * tx + c, last_col) * a->in_pixel_stride;
        for (int ch = 0; ch < channels; ch += 16) {
            __m256i t[4][4];
            for (int c = 0; c < 4; c++) {
                __m256i d[4];
                for (int r = 0; r < 4; r++)
                    d[r] = _mm256_cvtepu8_epi16(_mm_loadu_si128((const __m128i *)(rows[r] + cols[c] + ch)));
                t[0][c] = _mm256_sub_epi16(d[0], d[2]);
                t[1][c] = _mm256_add_epi16(d[1], d[2]);
                t[2][c] = _mm256_sub_epi16(d[2], d[1]);
                t[3][c] = _mm256_sub_epi16(d[1], d[3]);
            }
            int16_t *out = v + (int64_t)tx * channels + ch;
            for (int i = 0; i < 4; i++) {
                _mm256_storeu_si256((__m256i *)(out + (4 * i + 0) * position_stride), _mm256_sub_epi16(t[i][0], t[i][2]));
                _mm256_storeu_si256((__m256i *)(out + (4 * i + 1) * position_stride), _mm256_add_epi16(t[i][1], t[i][2]));
                _mm256_storeu_si256((__m256i *)(out + (4 * i + 2) * position_stride), _mm256_sub_epi16(t[i][2], t[i][1]));
                _mm256_storeu_si256((__m256i *)(out + (4 * i + 3) * position_stride), _mm256_sub_epi16(t[i][1], t[i][3]));
            }
        }
    }
}

// ---------------------------------------------------------------------------------------------------------------
// The GEMM of one position: R tiles × 16 output channels, summed over input channel pairs.

/// m[tile][position][half]: the 16 products' sums of every tile of the row, for one block of output channels.
typedef __m256i wino_m[16][2];

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
// Output transform: Y = Aᵀ M A (2×2 of 8 lanes), / 4, + bias, requantized and stored per pixel.

INLINE AVX2 void output_transform(const __m256i m[16][2], int h, __m256i y[2][2]) {
    __m256i s0[4], s1[4];
    for (int b = 0; b < 4; b++) {
        const __m256i m0 = m[b][h], m1 = m[4 + b][h], m2 = m[8 + b][h], m3 = m[12 + b][h];
        s0[b] = _mm256_add_epi32(_mm256_add_epi32(m0, m1), m2);
        s1[b] = _mm256_sub_epi32(_mm256_sub_epi32(m1, m2), m3);
    }
    y[0][0] = _mm256_srai_epi32(_mm256_add_epi32(_mm256_add_epi32(s0[0], s0[1]), s0[2]), 2);
    y[0][1] = _mm256_srai_epi32(_mm256_sub_epi32(_mm256_sub_epi32(s0[1], s0[2]), s0[3]), 2);
    y[1][0] = _mm256_srai_epi32(_mm256_add_epi32(_mm256_add_epi32(s1[0], s1[1]), s1[2]), 2);
    y[1][1] = _mm256_srai_epi32(_mm256_sub_epi32(_mm256_sub_epi32(s1[1], s1[2]), s1[3]), 2);
}

AVX2 int digits_conv_winograd_avx2(const digits_conv_args *a) {
    const int channels = (int)a->in_pixel_stride;
    if (a->pairs || a->kernel_h != 3 || a->stride_x != 1 || a->stride_y != 1 || channels % 16 != 0 ||
        (int64_t)a->groups * 4 != 3 * (int64_t)channels || a->out_h < 1 || a->out_w < 1)
        return 0;
    const int tiles = (a->out_w + 1) / 2, tile_rows = (a->out_h + 1) / 2;
    if (tiles > wino_max_tiles || (int64_t)16 * tiles * channels > wino_v_capacity) return 0;
    // Bands of whole tile rows, as many as the buffers hold: narrow layers (7×7: 4 tiles a row) then still fill
    // register blocks of 5–6 tiles, each weight load feeding them all.
    int band_rows = wino_max_tiles / tiles;
    if (band_rows > wino_v_capacity / (16 * tiles * channels)) band_rows = wino_v_capacity / (16 * tiles * channels);
    if (band_rows > tile_rows) band_rows = tile_rows;
    const int16_t *u = digits_cached_weights(a, weight_layout_winograd, wino_build, NULL);
    if (u == NULL) return 0;

    int16_t v[wino_v_capacity] __attribute__((aligned(32)));
    wino_m m[wino_max_tiles] __attribute__((aligned(32)));
    const int blocks = (a->out_channels + 15) / 16, pairs = channels / 2;
    const __m256i zero = _mm256_set1_epi16((short)a->out_zero);
    const __m256i lo = _mm256_set1_epi16((short)a->out_min), hi = _mm256_set1_epi16((short)a->out_max);
    for (int ty0 = 0; ty0 < tile_rows; ty0 += band_rows) {
        const int rows_here = tile_rows - ty0 < band_rows ? tile_rows - ty0 : band_rows;
        const int band = rows_here * tiles;
        for (int r = 0; r < rows_here; r++)
            input_transform(a, channels, ty0 + r, tiles, band, v + (int64_t)r * tiles * channels);
        const int chunks = (band + wino_gemm_tiles - 1) / wino_gemm_tiles;
        for (int ob = 0; ob < blocks; ob++) {
            for (int position = 0; position < 16; position++) {
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
            const int n = a->out_channels - oc >= 16 ? 16 : a->out_channels - oc;
            const requant_block2 q = load_requant2(a->multiplier + oc, a->rounding + oc, a->shift + oc);
            const __m256i bias0 = _mm256_loadu_si256((const __m256i *)(a->bias + oc));
            const __m256i bias1 = _mm256_loadu_si256((const __m256i *)(a->bias + oc + 8));
            for (int t = 0; t < band; t++) {
                const int ty = ty0 + t / tiles, tx = t % tiles;
                __m256i y0[2][2], y1[2][2];
                output_transform(m[t], 0, y0);
                output_transform(m[t], 1, y1);
                for (int i = 0; i < 2; i++) {
                    const int oy = 2 * ty + i;
                    if (oy >= a->out_h) break;
                    for (int k = 0; k < 2; k++) {
                        const int ox = 2 * tx + k;
                        if (ox >= a->out_w) break;
                        const __m128i bytes = requantize16_avx2(_mm256_add_epi32(y0[i][k], bias0),
                                                                _mm256_add_epi32(y1[i][k], bias1), &q, zero, lo, hi);
                        store_bytes(a->output + (int64_t)oy * a->out_row_stride + (int64_t)ox * a->out_pixel_stride + oc,
                                    bytes, n);
                    }
                }
            }
        }
    }
    return 1;
}

#else

int digits_conv_winograd_avx2(const digits_conv_args *args) { (void)args; return 0; }

#endif
