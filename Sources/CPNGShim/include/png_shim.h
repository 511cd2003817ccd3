#ifndef DIGITS_PNG_SHIM_H
#define DIGITS_PNG_SHIM_H
#include <stddef.h>
#include <stdint.h>

// Every libpng call happens inside these functions: libpng reports errors by longjmp, and the
// setjmp that catches it lives here, so a longjmp never crosses a Swift frame.

typedef enum {
    DIGITS_PNG_OK = 0,
    DIGITS_PNG_CORRUPT = 1,     // libpng rejected the data; `message` says why
    DIGITS_PNG_TRUNCATED = 2,   // the data ended before the image was complete
    DIGITS_PNG_MISMATCH = 3,    // the header disagrees with the caller's buffer size
    DIGITS_PNG_NO_MEMORY = 4,
    DIGITS_PNG_BAD_ARGUMENT = 5,
} digits_png_status;

typedef struct {
    uint32_t width, height;
    int bit_depth, color_type, interlaced;
    char message[256];
} digits_png_info;

/// Decodes a whole PNG (any color type, bit depth, interlacing) to 8-bit luminance, one byte per pixel,
/// row-major, alpha composited on white. `out` must hold exactly width*height bytes as given by
/// `expected_width`/`expected_height` (the caller reads them from IHDR first to enforce its pixel limit).
int digits_png_decode_luma(const uint8_t *data, size_t size, uint32_t expected_width, uint32_t expected_height,
                           uint8_t *out, digits_png_info *info);

typedef struct {
    uint8_t *bytes;   // malloc'ed; release with digits_png_free
    size_t size;
    char message[256];
} digits_png_buffer;

/// Encodes 8-bit pixels (`channels` 1 = gray, 3 = RGB), rows tightly packed, into a PNG in memory.
int digits_png_encode(const uint8_t *pixels, uint32_t width, uint32_t height, int channels,
                      digits_png_buffer *out);

void digits_png_free(void *bytes);

#endif
