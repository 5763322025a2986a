/*
 * check_utf8.c - arbitrary bytes become valid UTF-8.
 */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "suites.h"
#include "testutil.h"
#include "utf8.h"

static const struct {
	const char *in;
	size_t n;
	const char *out;
	size_t out_n;
} rows[] = {
	{ "plain", 5, "plain", 5 },
	{ "caf\xc3\xa9", 5, "caf\xc3\xa9", 5 },
	{ "\xff", 1, "\xef\xbf\xbd", 3 },
	{ "a\0b", 3, "a\0b", 3 },
	{ "\xc0\xaf", 2, "\xef\xbf\xbd\xef\xbf\xbd", 6 }, /* overlong */
	{ "\xed\xa0\x80", 3, "\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd", 9 },
	{ "\xe2\x82", 2, "\xef\xbf\xbd\xef\xbf\xbd", 6 }, /* truncated */
	{ "\xf0\x9f\x98\x80", 4, "\xf0\x9f\x98\x80", 4 },
	{ "\x1b[31m", 5, "\x1b[31m", 5 },
};

START_TEST(test_utf8_sanitize_row)
{
	size_t n;
	char *s = utf8_sanitize(rows[_i].in, rows[_i].n, &n);

	ck_assert_ptr_nonnull(s);
	ck_assert_msg(n == rows[_i].out_n && memcmp(s, rows[_i].out, n) == 0,
	              "row %d: got %zu bytes", _i, n);
	free(s);
}
END_TEST

Suite *utf8_suite(void)
{
	Suite *s = suite_create("utf8");
	TCase *tc = tcase_create("sanitize");

	tcase_add_loop_test(tc, test_utf8_sanitize_row, 0, ARRAY_SIZE(rows));
	suite_add_tcase(s, tc);
	return s;
}
