/*
 * check_capture.c - bounded capture keeps the head and the tail.
 */
#include <check.h>
#include <string.h>

#include "capture.h"
#include "suites.h"

START_TEST(test_capture_keeps_everything_under_cap)
{
	struct capture c;

	ck_assert_int_eq(capture_init(&c, 16), 0);
	capture_add(&c, "hello", 5);
	capture_add(&c, " world", 6);
	ck_assert_int_eq(capture_finish(&c), 0);
	ck_assert_str_eq(c.data, "hello world");
	ck_assert_uint_eq(c.total, 11);
	capture_release(&c);
}
END_TEST

START_TEST(test_capture_keeps_head_and_tail_over_cap)
{
	struct capture c;

	ck_assert_int_eq(capture_init(&c, 8), 0);
	capture_add(&c, "ABCDxxxx", 8);
	for (int i = 0; i < 1000; i++)
		capture_add(&c, "yyy", 3);
	capture_add(&c, "WXYZ", 4);
	ck_assert_int_eq(capture_finish(&c), 0);
	ck_assert_uint_eq(c.total, 3012);
	ck_assert(strncmp(c.data, "ABCD", 4) == 0);
	ck_assert_ptr_nonnull(strstr(c.data, "[... 3004 bytes omitted ...]"));
	ck_assert(strcmp(c.data + c.len - 4, "WXYZ") == 0);
	capture_release(&c);
}
END_TEST

START_TEST(test_capture_keeps_nul_bytes)
{
	struct capture c;

	ck_assert_int_eq(capture_init(&c, 64), 0);
	capture_add(&c, "a\0b", 3);
	ck_assert_int_eq(capture_finish(&c), 0);
	ck_assert_uint_eq(c.len, 3);
	ck_assert_int_eq(memcmp(c.data, "a\0b", 3), 0);
	capture_release(&c);
	capture_release(&c); /* twice is harmless */
}
END_TEST

Suite *capture_suite(void)
{
	Suite *s = suite_create("capture");
	TCase *tc = tcase_create("capture");

	tcase_add_test(tc, test_capture_keeps_everything_under_cap);
	tcase_add_test(tc, test_capture_keeps_head_and_tail_over_cap);
	tcase_add_test(tc, test_capture_keeps_nul_bytes);
	suite_add_tcase(s, tc);
	return s;
}
