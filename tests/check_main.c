/*
 * check_main.c - the one test runner: every suite of suites.h.
 *
 * CK_RUN_SUITE=name runs one suite (a,b: several); a name that matches
 * none is an error (Check itself would run nothing and succeed).
 */
#include "suites.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const struct {
	const char *name;
	Suite *(*make)(void);
} suites[] = {
	{ "capture", capture_suite }, { "utf8", utf8_suite },
	{ "fsutil", fsutil_suite },   { "sandbox", sandbox_suite },
	{ "cli", cli_suite },         { "hostile", hostile_suite },
	{ "grade", grade_suite },     { "conduct", conduct_suite },
	{ "trace", trace_suite },     { "examples", examples_suite },
	{ "formats", formats_suite }, { "batch", batch_suite },
	{ "bundle", bundle_suite },   { "echo", echo_suite },
	{ "cheats", cheats_suite },
};

/* CK_RUN_SUITE may name several suites: "examples,cheats". */
static bool wanted(const char *only, const char *name)
{
	size_t n = strlen(name);

	if (!only || !*only)
		return true;
	for (const char *p = only; (p = strstr(p, name)); p += n)
		if ((p == only || p[-1] == ',') && (p[n] == ',' || !p[n]))
			return true;
	return false;
}

int main(void)
{
	const char *only = getenv("CK_RUN_SUITE");
	SRunner *sr = NULL;
	bool known = !only || !*only;
	int failed;

	for (size_t i = 0; i < sizeof(suites) / sizeof(*suites); i++) {
		Suite *s;
		if (!wanted(only, suites[i].name))
			continue;
		known = true;
		s = suites[i].make();
		if (!sr)
			sr = srunner_create(s);
		else
			srunner_add_suite(sr, s);
	}
	if (!known || !sr) {
		fprintf(stderr, "check_ipcgrade: no suite named '%s'\n", only);
		return 2;
	}
	/* Check reads CK_RUN_SUITE too, as one name: the choice is made. */
	unsetenv("CK_RUN_SUITE");
	srunner_run_all(sr, CK_ENV);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
