/* keyset.c — open-addressing hash set of row keys. See keyset.h. */
#define _DEFAULT_SOURCE	/* MAP_ANONYMOUS, MADV_HUGEPAGE */
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "keyset.h"

/*
 * A large set is looked up at random, a slot per row: with 4 KiB pages
 * nearly every lookup also misses the TLB. Sets this big are mapped on
 * their own and asked for huge pages (a hint; Linux may say no).
 */
#define BIG_BYTES ((size_t)2 << 20)

static struct keyset_slot *slots_alloc(size_t cap)
{
	size_t bytes = cap * sizeof(struct keyset_slot);
	void *p;

	if (bytes < BIG_BYTES)
		return calloc(cap, sizeof(struct keyset_slot));
	p = mmap(NULL, bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (p == MAP_FAILED)
		return NULL;
#ifdef MADV_HUGEPAGE
	madvise(p, bytes, MADV_HUGEPAGE);
#endif
	return p;	/* anonymous memory comes zeroed */
}

static void slots_free(struct keyset_slot *slots, size_t cap)
{
	size_t bytes = cap * sizeof(struct keyset_slot);

	if (bytes < BIG_BYTES)
		free(slots);
	else if (slots)
		munmap(slots, bytes);
}

/*
 * Each step (xor a word, multiply by an odd constant, fold the high half
 * down) can be undone, so two inputs of one length that differ in a
 * single word never collide. A byte at a time (FNV-1a) cost eight times
 * as much: a scoring run fingerprints about a gigabyte of action texts.
 */
#define FOLD_K 0x9e3779b97f4a7c15ULL

uint64_t keyset_fold(uint64_t h, const void *p, size_t len)
{
	const unsigned char *c = p;
	uint64_t w;

	for (; len >= 8; c += 8, len -= 8) {
		memcpy(&w, c, 8);
		h = (h ^ w) * FOLD_K;
		h ^= h >> 32;
	}
	w = 0;
	memcpy(&w, c, len);
	h = (h ^ w ^ (uint64_t)len << 56) * FOLD_K;
	return h ^ h >> 32;
}

/* The fold, then a final avalanche (splitmix64) so nearby keys spread out. */
uint64_t keyset_hash(const char *s, size_t len)
{
	uint64_t h = keyset_fold(KEYSET_FOLD_START, s, len);

	h ^= h >> 30;
	h *= 0xbf58476d1ce4e5b9ULL;
	h ^= h >> 27;
	h *= 0x94d049bb133111ebULL;
	h ^= h >> 31;
	return h ? h : 1;
}

static int resize(struct keyset *ks, size_t cap)
{
	size_t i, j;
	struct keyset_slot *slots = slots_alloc(cap);

	if (!slots)
		return -1;
	for (i = 0; i < ks->cap; i++) {
		if (!ks->slots[i].hash)
			continue;
		for (j = ks->slots[i].hash & (cap - 1); slots[j].hash; j = (j + 1) & (cap - 1))
			;
		slots[j] = ks->slots[i];
	}
	slots_free(ks->slots, ks->cap);
	ks->slots = slots;
	ks->cap = cap;
	return 0;
}

/* The slot for hash h: found, or empty and claimed. NULL when out of memory. */
static struct keyset_slot *slot(struct keyset *ks, uint64_t h, int *is_new)
{
	size_t i;

	if ((ks->used + 1) * 2 > ks->cap && resize(ks, ks->cap ? ks->cap * 2 : 1024))
		return NULL;
	for (i = h & (ks->cap - 1); ks->slots[i].hash; i = (i + 1) & (ks->cap - 1)) {
		if (ks->slots[i].hash == h) {
			*is_new = 0;
			return &ks->slots[i];
		}
	}
	ks->slots[i].hash = h;
	ks->slots[i].value = 0;
	ks->used++;
	*is_new = 1;
	return &ks->slots[i];
}

int keyset_reserve(struct keyset *ks, size_t n)
{
	size_t cap = ks->cap ? ks->cap : 1024;

	while (cap / 2 < n)
		cap *= 2;
	return cap == ks->cap ? 0 : resize(ks, cap);
}

void keyset_prefetch(const struct keyset *ks, uint64_t hash)
{
	if (ks->cap)
		__builtin_prefetch(&ks->slots[hash & (ks->cap - 1)]);
}

/*
 * The bits of keyset_put()'s hashes that are kept: all of them, except in
 * the test builds that make collisions common (the Makefile's narrow
 * tests), where a handful of values are shared by every key of the action
 * store, the one user of keyset_put().
 */
#ifndef KEYSET_PUT_MASK
#define KEYSET_PUT_MASK UINT64_MAX
#endif

uint32_t keyset_put(struct keyset *ks, const char *key, size_t len, uint32_t value)
{
	uint64_t h = keyset_hash(key, len) & KEYSET_PUT_MASK;

	return keyset_put_hash(ks, h ? h : 1, value);
}

uint32_t keyset_put_hash(struct keyset *ks, uint64_t hash, uint32_t value)
{
	int is_new;
	struct keyset_slot *s = slot(ks, hash, &is_new);

	if (!s)
		return KEYSET_OOM;
	if (is_new) {
		s->value = value;
		return 0;
	}
	return s->value;
}

uint32_t keyset_bump(struct keyset *ks, const char *key, size_t len)
{
	int is_new;
	struct keyset_slot *s = slot(ks, keyset_hash(key, len), &is_new);

	if (!s)
		return KEYSET_OOM;
	return s->value++;
}

void keyset_release(struct keyset *ks)
{
	slots_free(ks->slots, ks->cap);
	ks->slots = NULL;
	ks->cap = ks->used = 0;
}
