// See weight_cache.h. Lookups are lock-free: a slot's fields are written before its key, which publishes them
// (release/acquire). A slot changes owner only after digits_forget_weights, which runs when no kernel can be
// using the forgotten weights any more (their owner is being destroyed).
#include "weight_cache.h"
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>

enum { cache_capacity = 512 };

typedef struct {
    _Atomic(const int8_t *) key;   ///< NULL: a free slot
    weight_layout layout;
    void *block;
    int info;
} cache_entry;

static cache_entry entries[cache_capacity];
static _Atomic int entry_count;   ///< slots ever used; free ones below it have a NULL key
static pthread_mutex_t insert_lock = PTHREAD_MUTEX_INITIALIZER;

static cache_entry *find(const int8_t *key, weight_layout layout, int count) {
    for (int i = 0; i < count; i++)
        if (atomic_load_explicit(&entries[i].key, memory_order_acquire) == key && entries[i].layout == layout)
            return &entries[i];
    return NULL;
}

const void *digits_cached_weights(const digits_conv_args *args, weight_layout layout, weight_builder build, int *info) {
    cache_entry *hit = find(args->weights, layout, atomic_load_explicit(&entry_count, memory_order_acquire));
    if (hit == NULL) {
        pthread_mutex_lock(&insert_lock);
        const int count = atomic_load_explicit(&entry_count, memory_order_relaxed);
        hit = find(args->weights, layout, count);
        if (hit == NULL) {
            int slot = 0;
            while (slot < count && atomic_load_explicit(&entries[slot].key, memory_order_relaxed) != NULL) slot++;
            if (slot < cache_capacity) {
                int built_info = 0;
                entries[slot].block = build(args, &built_info);
                entries[slot].layout = layout;
                entries[slot].info = built_info;
                atomic_store_explicit(&entries[slot].key, args->weights, memory_order_release);
                if (slot == count) atomic_store_explicit(&entry_count, count + 1, memory_order_release);
                hit = &entries[slot];
            }
        }
        pthread_mutex_unlock(&insert_lock);
        if (hit == NULL) return NULL;   // the table is full: the caller runs its fallback kernel
    }
    if (info) *info = hit->info;
    return hit->block;
}

void digits_forget_weights(const void *base, int64_t byte_count) {
    const uint8_t *start = base, *end = start + byte_count;
    pthread_mutex_lock(&insert_lock);
    const int count = atomic_load_explicit(&entry_count, memory_order_relaxed);
    for (int i = 0; i < count; i++) {
        const uint8_t *key = (const uint8_t *)atomic_load_explicit(&entries[i].key, memory_order_relaxed);
        if (key != NULL && key >= start && key < end) {
            atomic_store_explicit(&entries[i].key, NULL, memory_order_release);
            free(entries[i].block);
            entries[i].block = NULL;
        }
    }
    pthread_mutex_unlock(&insert_lock);
}
