/*
 * keyset.h — a set of keys by 64-bit hash: the row keys seen in the file
 * being imported (duplicate ids, identical rows numbered), and the open
 * actions of a scoring run's action store (rules.c). Private to the core.
 *
 * Keys are stored as 64-bit hashes with a 32-bit value (a line number or an
 * occurrence count), so two million keys cost 32 MiB at most. Two different
 * keys with the same 64-bit hash would be taken for one: at 2^21 keys the
 * odds are about one in 10^7 per file, and the result is a refused file with
 * a message naming both lines, never silent data loss.
 */
#ifndef CASEY_KEYSET_H
#define CASEY_KEYSET_H

#include <stddef.h>
#include <stdint.h>

#define KEYSET_OOM UINT32_MAX

struct keyset {
	struct keyset_slot {
		uint64_t hash;	/* 0 = empty */
		uint32_t value;
	} *slots;
	size_t cap, used;
};

/*
 * Make room for n keys at once, so a large file does not rehash its keys
 * at every doubling. Returns 0, or -1 when out of memory (the set is
 * unchanged and still usable).
 */
int keyset_reserve(struct keyset *ks, size_t n);
/*
 * The same in two steps, so the caller can do other work while the slot
 * is fetched from memory (a large set misses the CPU caches on every key):
 * keyset_hash() and keyset_prefetch() first, keyset_put_hash() later.
 */
uint64_t keyset_hash(const char *key, size_t len);
/*
 * Folds bytes into a running 64-bit hash, eight at a time, without
 * keyset_hash()'s final mixing: a fingerprint of several pieces to compare
 * (start from KEYSET_FOLD_START), not a slot. It lives in memory only: its
 * values may differ between machines (byte order) and versions.
 */
#define KEYSET_FOLD_START 1469598103934665603ULL
uint64_t keyset_fold(uint64_t h, const void *p, size_t len);
void keyset_prefetch(const struct keyset *ks, uint64_t hash);
uint32_t keyset_put_hash(struct keyset *ks, uint64_t hash, uint32_t value);
/*
 * Insert key with value; returns the previous value (0 if new) or KEYSET_OOM.
 * The tests' narrow builds keep 2 bits of its hashes (Makefile, NARROW).
 */
uint32_t keyset_put(struct keyset *ks, const char *key, size_t len, uint32_t value);
/* Add one to key's count; returns the count before (0 if new) or KEYSET_OOM. */
uint32_t keyset_bump(struct keyset *ks, const char *key, size_t len);
void keyset_release(struct keyset *ks);

#endif
