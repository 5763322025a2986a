/*
 * check_fsutil.c - planted symlinks and FIFOs neither redirect nor hang.
 */
#include <check.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fsutil.h"
#include "suites.h"

static char *dir;

static void setup(void)
{
	ck_assert_int_eq(fs_make_tempdir("check-fsutil", &dir), 0);
}

static void teardown(void)
{
	ck_assert_int_eq(fs_remove_tree(dir), 0);
	ck_assert_int_eq(access(dir, F_OK), -1);
	free(dir);
}

static void put(const char *name, const char *text)
{
	char path[4096];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "w");
	ck_assert_ptr_nonnull(f);
	fputs(text, f);
	fclose(f);
}

START_TEST(test_fs_read_beneath_reads_regular_file)
{
	char *data;
	size_t len;

	put("out.txt", "hello");
	ck_assert_int_eq(fs_read_beneath(dir, "out.txt", 100, &data, &len), 0);
	ck_assert_str_eq(data, "hello");
	ck_assert_uint_eq(len, 5);
	free(data);
	ck_assert_int_eq(fs_read_beneath(dir, "out.txt", 3, &data, &len),
	                 -EFBIG);
}
END_TEST

START_TEST(test_fs_read_beneath_refuses_symlink)
{
	char path[4096], *data;
	size_t len;

	snprintf(path, sizeof(path), "%s/out.txt", dir);
	ck_assert_int_eq(symlink("/etc/passwd", path), 0);
	ck_assert_int_eq(fs_read_beneath(dir, "out.txt", 1 << 20, &data, &len),
	                 -ELOOP);
	ck_assert_ptr_null(data);
	ck_assert_int_eq(
	    fs_read_beneath(dir, "../etc/passwd", 1 << 20, &data, &len),
	    -ELOOP);
}
END_TEST

START_TEST(test_fs_read_beneath_refuses_fifo_without_hanging)
{
	char path[4096], *data;
	size_t len;

	snprintf(path, sizeof(path), "%s/out.txt", dir);
	ck_assert_int_eq(mkfifo(path, 0600), 0);
	ck_assert_int_eq(fs_read_beneath(dir, "out.txt", 100, &data, &len),
	                 -EINVAL);
}
END_TEST

START_TEST(test_fs_remove_tree_does_not_follow_links)
{
	char path[4096], outside[4096];
	char *other;

	ck_assert_int_eq(fs_make_tempdir("check-fsutil-other", &other), 0);
	snprintf(outside, sizeof(outside), "%s/keep", other);
	put("x", "x");
	ck_assert_int_eq(close(open(outside, O_CREAT | O_WRONLY, 0600)), 0);
	snprintf(path, sizeof(path), "%s/link", dir);
	ck_assert_int_eq(symlink(other, path), 0);
	teardown();
	ck_assert_int_eq(access(outside, F_OK), 0);
	ck_assert_int_eq(fs_remove_tree(other), 0);
	free(other);
	setup();
}
END_TEST

START_TEST(test_fs_remove_owned_keeps_other_owners)
{
	char path[4096];
	unsigned n = 0;

	put("mine", "1");
	put("theirs", "2");
	snprintf(path, sizeof(path), "%s/mine", dir);
	ck_assert_int_eq(chown(path, 61999, 61999), 0);
	ck_assert_int_eq(fs_remove_owned(dir, 61999, NULL, &n), 0);
	ck_assert_uint_eq(n, 1);
	ck_assert_int_eq(access(path, F_OK), -1);
	snprintf(path, sizeof(path), "%s/theirs", dir);
	ck_assert_int_eq(access(path, F_OK), 0);
}
END_TEST

Suite *fsutil_suite(void)
{
	Suite *s = suite_create("fsutil");
	TCase *tc = tcase_create("fsutil");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_fs_read_beneath_reads_regular_file);
	tcase_add_test(tc, test_fs_read_beneath_refuses_symlink);
	tcase_add_test(tc, test_fs_read_beneath_refuses_fifo_without_hanging);
	tcase_add_test(tc, test_fs_remove_tree_does_not_follow_links);
	tcase_add_test(tc, test_fs_remove_owned_keeps_other_owners);
	suite_add_tcase(s, tc);
	return s;
}
