/*
 * script.h - trace scripts: the steps of a `trace` test as instructors
 * write them in assignment.json, checked when the assignment loads
 * (script_check, errors at path:line:col) and expanded into the trace
 * runner's plan (script_expand). The language is in the README, "Trace
 * scripts".
 */
#ifndef GRADERS_SCRIPT_H
#define GRADERS_SCRIPT_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

#include "conduct.h"
#include "jcheck.h"

#define SCRIPT_MAX_STEPS 8192

struct script {
	struct conduct_plan plan; /* "step K VERB ARG..." for the runner */
	char **desc; /* desc[K]: step K as written, {i} filled in */
	size_t n;
	bool probe; /* a step needs the probe library (handlers) */
};

int script_check(struct jcheck *c, json_t *steps, const char *path);

/* 0 or -ENOMEM; steps must have passed script_check(). */
int script_expand(json_t *steps, struct script *s);
void script_release(struct script *s);

#endif
