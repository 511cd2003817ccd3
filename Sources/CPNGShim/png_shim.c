#include "png_shim.h"

#include <png.h>
#include <setjmp.h>
#include <stdlib.h>
#include <string.h>

// Shared by the error callbacks: where to put libpng's message.
typedef struct {
    char *message;
    size_t capacity;
} message_sink;

static void copy_message(message_sink *sink, const char *text) {
    if (sink == NULL || sink->message == NULL || sink->capacity == 0) return;
    strncpy(sink->message, text != NULL ? text : "unknown libpng error", sink->capacity - 1);
    sink->message[sink->capacity - 1] = '\0';
}

static void on_error(png_structp png, png_const_charp text) {
    copy_message((message_sink *)png_get_error_ptr(png), text);
    png_longjmp(png, 1);
}

// Warnings (bad ancillary chunk CRCs, unknown sRGB profiles…) don't stop decoding; stay quiet.
static void on_warning(png_structp png, png_const_charp text) {
    (void)png;
    (void)text;
}

// ---------------------------------------------------------------------------------------------------------
// Reading

typedef struct {
    const uint8_t *data;
    size_t size;
    size_t offset;
    int truncated;
} memory_reader;

static void read_from_memory(png_structp png, png_bytep destination, size_t length) {
    memory_reader *reader = (memory_reader *)png_get_io_ptr(png);
    if (length > reader->size - reader->offset) {
        reader->truncated = 1;
        png_error(png, "unexpected end of data");
    }
    memcpy(destination, reader->data + reader->offset, length);
    reader->offset += length;
}

// Rec. 601 luma with integer weights (299, 587, 114)/1000 on the stored (gamma-encoded) values, as
// Pillow's "L" conversion and MNIST-era tools do; alpha blends the pixel over white (255).
static void convert_row(const uint8_t *row, uint32_t width, int channels, uint8_t *out) {
    switch (channels) {
    case 1:
        memcpy(out, row, width);
        break;
    case 2:
        for (uint32_t x = 0; x < width; x++) {
            uint32_t gray = row[2 * x], alpha = row[2 * x + 1];
            out[x] = (uint8_t)((gray * alpha + 255u * (255u - alpha) + 127u) / 255u);
        }
        break;
    case 3:
        for (uint32_t x = 0; x < width; x++) {
            const uint8_t *p = row + 3 * x;
            uint32_t luma1000 = 299u * p[0] + 587u * p[1] + 114u * p[2];
            out[x] = (uint8_t)((luma1000 + 500u) / 1000u);
        }
        break;
    default:
        for (uint32_t x = 0; x < width; x++) {
            const uint8_t *p = row + 4 * x;
            uint32_t luma1000 = 299u * p[0] + 587u * p[1] + 114u * p[2];
            uint32_t alpha = p[3];
            out[x] = (uint8_t)((luma1000 * alpha + 255000u * (255u - alpha) + 127500u) / 255000u);
        }
        break;
    }
}

int digits_png_decode_luma(const uint8_t *data, size_t size, uint32_t expected_width, uint32_t expected_height,
                           uint8_t *out, digits_png_info *info) {
    if (data == NULL || out == NULL || info == NULL) return DIGITS_PNG_BAD_ARGUMENT;
    memset(info, 0, sizeof *info);
    message_sink sink = {info->message, sizeof info->message};
    // On the heap: C leaves automatic objects changed between setjmp and longjmp indeterminate.
    memory_reader *reader = calloc(1, sizeof *reader);
    png_structp png = reader != NULL ? png_create_read_struct(PNG_LIBPNG_VER_STRING, &sink, on_error, on_warning) : NULL;
    png_infop png_info = png != NULL ? png_create_info_struct(png) : NULL;
    if (png_info == NULL) {
        png_destroy_read_struct(&png, NULL, NULL);
        free(reader);
        copy_message(&sink, "cannot allocate the libpng reader");
        return DIGITS_PNG_NO_MEMORY;
    }
    *reader = (memory_reader){data, size, 0, 0};
    // Touched between setjmp and a possible longjmp, hence volatile.
    uint8_t *volatile rows = NULL;
    png_bytep *volatile row_pointers = NULL;
    volatile int status = DIGITS_PNG_OK;

    if (setjmp(png_jmpbuf(png))) {
        free(rows);
        free(row_pointers);
        png_destroy_read_struct(&png, &png_info, NULL);
        if (status == DIGITS_PNG_OK) status = reader->truncated ? DIGITS_PNG_TRUNCATED : DIGITS_PNG_CORRUPT;
        free(reader);
        return status;
    }

    png_set_read_fn(png, reader, read_from_memory);
    png_read_info(png, png_info);

    info->width = png_get_image_width(png, png_info);
    info->height = png_get_image_height(png, png_info);
    info->bit_depth = png_get_bit_depth(png, png_info);
    info->color_type = png_get_color_type(png, png_info);
    info->interlaced = png_get_interlace_type(png, png_info) != PNG_INTERLACE_NONE;
    if (info->width != expected_width || info->height != expected_height) {
        status = DIGITS_PNG_MISMATCH;
        png_error(png, "IHDR dimensions differ from the ones checked");
    }

    // Palette → RGB, gray 1/2/4 → 8, tRNS → alpha channel; 16 bits → 8 with rounding.
    png_set_expand(png);
    png_set_scale_16(png);
    int passes = png_set_interlace_handling(png);
    png_read_update_info(png, png_info);
    int channels = png_get_channels(png, png_info);
    size_t row_bytes = png_get_rowbytes(png, png_info);
    uint32_t width = info->width, height = info->height;

    if (passes == 1) {
        rows = malloc(row_bytes);
        if (rows == NULL) {
            status = DIGITS_PNG_NO_MEMORY;
            png_error(png, "out of memory for one image row");
        }
        for (uint32_t y = 0; y < height; y++) {
            png_read_row(png, rows, NULL);
            convert_row(rows, width, channels, out + (size_t)y * width);
        }
    } else {
        // Adam7 fills every row in seven passes, so the whole expanded image has to be in memory.
        rows = malloc(row_bytes * height);
        row_pointers = malloc(sizeof(png_bytep) * height);
        if (rows == NULL || row_pointers == NULL) {
            status = DIGITS_PNG_NO_MEMORY;
            png_error(png, "out of memory for the interlaced image");
        }
        for (uint32_t y = 0; y < height; y++) row_pointers[y] = rows + (size_t)y * row_bytes;
        png_read_image(png, row_pointers);
        for (uint32_t y = 0; y < height; y++) convert_row(row_pointers[y], width, channels, out + (size_t)y * width);
    }
    // Reads through IEND so a file cut after its last IDAT is still reported as truncated.
    png_read_end(png, NULL);

    free(rows);
    free(row_pointers);
    png_destroy_read_struct(&png, &png_info, NULL);
    free(reader);
    return DIGITS_PNG_OK;
}

// ---------------------------------------------------------------------------------------------------------
// Writing

typedef struct {
    uint8_t *bytes;
    size_t size;
    size_t capacity;
} memory_writer;

static void write_to_memory(png_structp png, png_bytep source, size_t length) {
    memory_writer *writer = (memory_writer *)png_get_io_ptr(png);
    if (length > writer->capacity - writer->size) {
        size_t capacity = writer->capacity < 4096 ? 4096 : writer->capacity;
        while (capacity - writer->size < length) {
            if (capacity > SIZE_MAX / 2) png_error(png, "PNG too large for memory");
            capacity *= 2;
        }
        uint8_t *grown = realloc(writer->bytes, capacity);
        if (grown == NULL) png_error(png, "out of memory while encoding");
        writer->bytes = grown;
        writer->capacity = capacity;
    }
    memcpy(writer->bytes + writer->size, source, length);
    writer->size += length;
}

static void flush_memory(png_structp png) { (void)png; }

int digits_png_encode(const uint8_t *pixels, uint32_t width, uint32_t height, int channels,
                      digits_png_buffer *out) {
    if (pixels == NULL || out == NULL || (channels != 1 && channels != 3)) return DIGITS_PNG_BAD_ARGUMENT;
    memset(out, 0, sizeof *out);
    message_sink sink = {out->message, sizeof out->message};
    // On the heap: C leaves automatic objects changed between setjmp and longjmp indeterminate.
    memory_writer *writer = calloc(1, sizeof *writer);
    png_structp png = writer != NULL ? png_create_write_struct(PNG_LIBPNG_VER_STRING, &sink, on_error, on_warning) : NULL;
    png_infop png_info = png != NULL ? png_create_info_struct(png) : NULL;
    if (png_info == NULL) {
        png_destroy_write_struct(&png, NULL);
        free(writer);
        copy_message(&sink, "cannot allocate the libpng writer");
        return DIGITS_PNG_NO_MEMORY;
    }
    if (setjmp(png_jmpbuf(png))) {
        free(writer->bytes);
        free(writer);
        png_destroy_write_struct(&png, &png_info);
        return DIGITS_PNG_CORRUPT;
    }
    png_set_write_fn(png, writer, write_to_memory, flush_memory);
    png_set_IHDR(png, png_info, width, height, 8, channels == 1 ? PNG_COLOR_TYPE_GRAY : PNG_COLOR_TYPE_RGB,
                 PNG_INTERLACE_NONE, PNG_COMPRESSION_TYPE_DEFAULT, PNG_FILTER_TYPE_DEFAULT);
    png_write_info(png, png_info);
    size_t row_bytes = (size_t)width * (size_t)channels;
    for (uint32_t y = 0; y < height; y++) png_write_row(png, pixels + (size_t)y * row_bytes);
    png_write_end(png, NULL);
    png_destroy_write_struct(&png, &png_info);
    out->bytes = writer->bytes;
    out->size = writer->size;
    free(writer);
    return DIGITS_PNG_OK;
}

void digits_png_free(void *bytes) { free(bytes); }
