/*
 * test_keyset.c — the core's hash set of keys (src/core/keyset.h): the
 * fold that fingerprints the action store's texts and hashes the import's
 * row keys, and the set itself.
 */
#include "testutil.h"

#include <string.h>

#include "../../src/core/keyset.h"

static uint64_t fold(const char *s, size_t len)
{
	return keyset_fold(KEYSET_FOLD_START, s, len);
}

/* Every byte counts: the tail after the last whole word, and the length. */
static void test_fold_sees_every_byte(void **state)
{
	char text[64];
	size_t len, i;
	uint64_t h;

	(void)state;
	for (len = 1; len <= sizeof(text); len++) {
		memset(text, 'x', sizeof(text));
		h = fold(text, len);

		for (i = 0; i < len; i++) {
			text[i] = 'y';
			assert_true(fold(text, len) != h);
			text[i] = 'x';
		}
		assert_true(fold(text, len) == h);	/* the same bytes, the same value */
	}
	/* A trailing NUL and a shorter key are different keys. */
	assert_true(fold("ab", 3) != fold("ab", 2));
	assert_true(fold("abcdefgh", 8) != fold("abcdefgh\0", 9));
	assert_true(fold("", 0) != fold("\0", 1));
}

/* A fingerprint of pieces changes with any piece, and with their order. */
static void test_fold_in_pieces(void **state)
{
	uint64_t one, two;

	(void)state;
	one = keyset_fold(keyset_fold(KEYSET_FOLD_START, "reason", 7), "evidence", 9);
	two = keyset_fold(keyset_fold(KEYSET_FOLD_START, "reason", 7), "evidencf", 9);
	assert_true(one != two);
	two = keyset_fold(keyset_fold(KEYSET_FOLD_START, "evidence", 9), "reason", 7);
	assert_true(one != two);
}

/* Keys like the import's row ids: a hundred thousand, no two alike. */
static void test_sequential_keys_stay_apart(void **state)
{
	struct keyset ks = { 0 };
	char key[32];
	int i, n;

	(void)state;
	assert_int_equal(keyset_reserve(&ks, 100000), 0);
	for (i = 0; i < 100000; i++) {
		n = snprintf(key, sizeof(key), "C%06d", i);
		assert_int_equal(keyset_put(&ks, key, (size_t)n, (uint32_t)i + 1), 0);
	}
	for (i = 0; i < 100000; i += 997) {
		n = snprintf(key, sizeof(key), "C%06d", i);
		assert_int_equal(keyset_put(&ks, key, (size_t)n, 1), (uint32_t)i + 1);
	}
	keyset_release(&ks);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_fold_sees_every_byte),
		cmocka_unit_test(test_fold_in_pieces),
		cmocka_unit_test(test_sequential_keys_stay_apart),
	};

	return cmocka_run_group_tests_name("keyset", tests, NULL, NULL);
}
