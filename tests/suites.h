/*
 * suites.h - every Check suite of the project, run by tests/check_main.c.
 *
 * One check_<area>.c per area exports Suite *<area>_suite(void); add it
 * here and to the table in check_main.c.
 */
#ifndef TESTS_SUITES_H
#define TESTS_SUITES_H

#include <check.h>

Suite *capture_suite(void);
Suite *utf8_suite(void);
Suite *fsutil_suite(void);
Suite *sandbox_suite(void);
Suite *cli_suite(void);
Suite *hostile_suite(void);
Suite *grade_suite(void);
Suite *examples_suite(void);
Suite *conduct_suite(void);
Suite *formats_suite(void);
Suite *batch_suite(void);
Suite *bundle_suite(void);
Suite *trace_suite(void);
Suite *echo_suite(void);
Suite *cheats_suite(void);

#endif
