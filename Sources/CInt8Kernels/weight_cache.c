// See weight_cache.h. Lookups are lock-free: an entry is written before the count that publishes it.
#include "weight_cache.h"
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>

enum { cache_capacity = 512 };

typedef struct { const int8_t *key; weight_layout layout; const void *block; int info; } cache_entry;
static cache_entry entries[cache_capacity];
static _Atomic int entry_count;
static pthread_mutex_t insert_lock = PTHREAD_MUTEX_INITIALIZER;

static const cache_entry *find(const int8_t *key, weight_layout layout, int from, int to) {
    for (int i = from; i < to; i++)
        if (entries[i].key == key && entries[i].layout == layout) return &entries[i];
    return NULL;
}

const void *digits_cached_weights(const digits_conv_args *args, weight_layout layout, weight_builder build, int *info) {
    const int count = atomic_load_explicit(&entry_count, memory_order_acquire);
    const cache_entry *hit = find(args->weights, layout, 0, count);
    if (hit == NULL) {
        pthread_mutex_lock(&insert_lock);
        const int now = atomic_load_explicit(&entry_count, memory_order_relaxed);
        hit = find(args->weights, layout, count, now);
        if (hit == NULL && now < cache_capacity) {
            int built_info = 0;
            void *block = build(args, &built_info);
            entries[now] = (cache_entry){args->weights, layout, block, built_info};
            atomic_store_explicit(&entry_count, now + 1, memory_order_release);
            hit = &entries[now];
        }
        pthread_mutex_unlock(&insert_lock);
        if (hit == NULL) return NULL;
    }
    if (info) *info = hit->info;
    return hit->block;
}
