/*
 * cmd_sandbox.c - `ipcgrade sandbox [options] -- CMD [ARGS]`: run one
 * command the way student programs run, and say how it ended.
 */
#include "cli.h"

#include <errno.h>
#include <getopt.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "policy.h"
#include "sandbox.h"
#include "utf8.h"

static void help(FILE *f)
{
	fprintf(f,
	        "usage: ipcgrade sandbox [OPTIONS] -- CMD [ARGS...]\n"
	        "\n"
	        "Runs CMD isolated as student programs are, then prints how it "
	        "ended.\n"
	        "Text mode passes the program's output through and reports on "
	        "stderr;\n"
	        "--json prints one JSON object (output included) on stdout.\n"
	        "\n"
	        "isolation:\n"
	        "  --tier auto|full|basic  tier to use (default: strongest; "
	        "also IPCGRADE_TIER)\n"
	        "  --isolation full        exit 4 unless the full tier is "
	        "available\n"
	        "  --policy NAME           seccomp policy (default ipc); "
	        "'--policy list' lists them\n"
	        "  --slot N                uid slot (default: a free one)\n"
	        "limits:\n"
	        "  --time SEC              CPU time of the whole tree "
	        "(default 10)\n"
	        "  --wall SEC              wall-clock time (default 2*time+1)\n"
	        "  --mem MIB               memory (default 256)\n"
	        "  --procs N               processes and threads (default 64)\n"
	        "  --fsize MIB             largest file written (default 16)\n"
	        "  --nofile N              open files per process "
	        "(default 256)\n"
	        "  --output KIB            stdout+stderr (default 1024)\n"
	        "  --tmpfs MIB             size of /tmp and /dev/shm "
	        "(default 64)\n"
	        "program:\n"
	        "  --dir DIR               work dir (default: a fresh one, "
	        "removed after)\n"
	        "  --stdin FILE            standard input (default /dev/null)\n"
	        "  --env K=V               add to the clean environment "
	        "(repeatable)\n"
	        "  --json                  JSON report on stdout\n"
	        "\n"
	        "exit codes: 0 ran (whatever CMD did), 2 usage error, 4 "
	        "isolation unavailable, 5 sandbox failure\n");
}

static bool parse_num(const char *s, double *out)
{
	char *end;
	errno = 0;
	*out = strtod(s, &end);
	return !errno && end != s && !*end && *out >= 0;
}

static json_t *str_json(const struct capture *c)
{
	size_t n;
	char *s = utf8_sanitize(c->data ? c->data : "", c->len, &n);
	json_t *j = s ? json_stringn(s, n) : json_null();
	free(s);
	return j;
}

static int print_json(const struct sandbox_result *r)
{
	json_t *o = json_pack(
	    "{s:s, s:s, s:s, s:s, s:s, s:s, s:f, s:f, s:I, s:i, s:b, "
	    "s:i, s:i, s:i, s:o, s:o, s:I, s:I, s:b, s:b}",
	    "schema", "ipcgrade/sandbox/1", "status",
	    sandbox_status_name(r->status), "message", r->message, "tier",
	    probe_tier_name(r->tier), "layers", r->layers, "policy",
	    r->policy ? r->policy : "", "cpu_seconds", r->cpu_seconds,
	    "wall_seconds", r->wall_seconds, "peak_memory_kib",
	    (json_int_t)(r->peak_memory_bytes >> 10), "peak_processes",
	    (int)r->peak_processes, "hit_process_limit", r->hit_processes,
	    "leftover_processes", (int)r->leftover_processes,
	    "swept_ipc_objects", (int)r->swept_ipc, "uid", (int)r->uid,
	    "stdout", str_json(&r->out), "stderr", str_json(&r->err),
	    "stdout_bytes", (json_int_t)r->out.total, "stderr_bytes",
	    (json_int_t)r->err.total, "stdout_truncated",
	    r->out.total > r->out.len, "stderr_truncated",
	    r->err.total > r->err.len);

	if (!o)
		return -ENOMEM;
	if (r->status == SANDBOX_EXITED)
		json_object_set_new(o, "exit_code", json_integer(r->exit_code));
	if (r->signal) {
		json_object_set_new(o, "signal", json_integer(r->signal));
		json_object_set_new(o, "signal_name",
		                    json_string(sigabbrev_np(r->signal)
		                                    ? sigabbrev_np(r->signal)
		                                    : "?"));
	}
	if (r->status == SANDBOX_TIMEOUT)
		json_object_set_new(
		    o, "timeout", json_string(r->timeout_cpu ? "cpu" : "wall"));
	if (r->status == SANDBOX_VIOLATION)
		json_object_set_new(o, "syscall",
		                    r->syscall[0] ? json_string(r->syscall)
		                                  : json_null());
	if (r->status == SANDBOX_VIOLATION && r->syscall_abi[0])
		json_object_set_new(o, "syscall_abi",
		                    json_string(r->syscall_abi));
	json_dumpf(o, stdout, JSON_INDENT(2) | JSON_ENSURE_ASCII);
	fputc('\n', stdout);
	json_decref(o);
	return 0;
}

static void print_text(const struct sandbox_result *r)
{
	if (r->out.len)
		fwrite(r->out.data, 1, r->out.len, stdout);
	fflush(stdout);
	if (r->err.len)
		fwrite(r->err.data, 1, r->err.len, stderr);
	fprintf(stderr,
	        "ipcgrade sandbox: %s: %s | cpu %.3f s | wall %.3f s | "
	        "peak %.1f MiB | %u processes | tier %s\n",
	        sandbox_status_name(r->status), r->message, r->cpu_seconds,
	        r->wall_seconds, r->peak_memory_bytes / 1048576.0,
	        r->peak_processes, probe_tier_name(r->tier));
	if (r->leftover_processes)
		fprintf(stderr,
		        "ipcgrade sandbox: %u processes were left running or "
		        "unreaped when the program ended; they were killed\n",
		        r->leftover_processes);
}

int cmd_sandbox(int argc, char **argv)
{
	enum {
		O_TIER = 256,
		O_ISOLATION,
		O_POLICY,
		O_SLOT,
		O_TIME,
		O_WALL,
		O_MEM,
		O_PROCS,
		O_FSIZE,
		O_NOFILE,
		O_OUTPUT,
		O_TMPFS,
		O_DIR,
		O_STDIN,
		O_ENV,
		O_JSON
	};
	static const struct option opts[] = {
		{ "tier", required_argument, NULL, O_TIER },
		{ "isolation", required_argument, NULL, O_ISOLATION },
		{ "policy", required_argument, NULL, O_POLICY },
		{ "slot", required_argument, NULL, O_SLOT },
		{ "time", required_argument, NULL, O_TIME },
		{ "wall", required_argument, NULL, O_WALL },
		{ "mem", required_argument, NULL, O_MEM },
		{ "procs", required_argument, NULL, O_PROCS },
		{ "fsize", required_argument, NULL, O_FSIZE },
		{ "nofile", required_argument, NULL, O_NOFILE },
		{ "output", required_argument, NULL, O_OUTPUT },
		{ "tmpfs", required_argument, NULL, O_TMPFS },
		{ "dir", required_argument, NULL, O_DIR },
		{ "stdin", required_argument, NULL, O_STDIN },
		{ "env", required_argument, NULL, O_ENV },
		{ "json", no_argument, NULL, O_JSON },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct sandbox_config cfg = SANDBOX_CONFIG_INIT;
	struct sandbox_result res;
	const char **env = calloc(argc + 1, sizeof(*env));
	bool json = false, need_full = false;
	char *cmd = NULL;
	size_t nenv = 0;
	int c, err, rc = EXIT_OK;
	double v;

	if (!env)
		return EXIT_INTERNAL;
	optind = 1;
	while ((c = getopt_long(argc, argv, "+h", opts, NULL)) != -1) {
		bool num_ok = true;
		switch (c) {
		case O_TIER:
			if ((err = probe_parse_tier(optarg)) < 0) {
				fprintf(stderr,
				        "ipcgrade sandbox: unknown tier "
				        "'%s' (auto, full, basic)\n",
				        optarg);
				rc = EXIT_USAGE;
				goto out;
			}
			cfg.tier = err;
			break;
		case O_ISOLATION:
			if (strcmp(optarg, "full") && strcmp(optarg, "any")) {
				fprintf(stderr, "ipcgrade sandbox: --isolation "
				                "takes 'full' or 'any'\n");
				rc = EXIT_USAGE;
				goto out;
			}
			need_full = !strcmp(optarg, "full");
			break;
		case O_POLICY:
			if (!strcmp(optarg, "list")) {
				for (const struct policy_info *p = policy_list;
				     p->name; p++)
					printf("%-12s %s\n", p->name,
					       p->summary);
				goto out;
			}
			cfg.policy = optarg;
			break;
		case O_DIR:
			cfg.workdir = optarg;
			break;
		case O_STDIN:
			cfg.stdin_path = optarg;
			break;
		case O_ENV:
			if (!strchr(optarg, '=')) {
				fprintf(stderr,
				        "ipcgrade sandbox: --env wants "
				        "K=V, not '%s'\n",
				        optarg);
				rc = EXIT_USAGE;
				goto out;
			}
			env[nenv++] = optarg;
			break;
		case O_JSON:
			json = true;
			break;
		case 'h':
			help(stdout);
			goto out;
		case '?':
			help(stderr);
			rc = EXIT_USAGE;
			goto out;
		default:
			num_ok = parse_num(optarg, &v);
			if (c == O_SLOT)
				cfg.slot = (int)v;
			else if (c == O_TIME)
				cfg.limits.cpu_seconds = v;
			else if (c == O_WALL)
				cfg.limits.wall_seconds = v;
			else if (c == O_MEM)
				cfg.limits.memory_bytes =
				    (uint64_t)(v * 1048576);
			else if (c == O_PROCS)
				cfg.limits.processes = (unsigned)v;
			else if (c == O_FSIZE)
				cfg.limits.file_bytes = (uint64_t)(v * 1048576);
			else if (c == O_NOFILE)
				cfg.limits.open_files = (unsigned)v;
			else if (c == O_OUTPUT)
				cfg.limits.output_bytes = (size_t)(v * 1024);
			else if (c == O_TMPFS)
				cfg.limits.tmpfs_bytes =
				    (uint64_t)(v * 1048576);
			if (!num_ok || v == 0) {
				fprintf(stderr,
				        "ipcgrade sandbox: '%s' is not "
				        "a positive number\n",
				        optarg);
				rc = EXIT_USAGE;
				goto out;
			}
		}
	}
	if (optind >= argc) {
		fprintf(stderr, "ipcgrade sandbox: no command given (put it "
		                "after --)\n");
		help(stderr);
		rc = EXIT_USAGE;
		goto out;
	}
	if (need_full) {
		if (cfg.tier == TIER_BASIC) {
			fprintf(stderr, "ipcgrade sandbox: --isolation full "
			                "contradicts --tier basic\n");
			rc = EXIT_USAGE;
			goto out;
		}
		cfg.tier = TIER_FULL;
	}
	/* A relative command path means the caller's directory, not the
	 * work dir the program runs in. */
	if (strchr(argv[optind], '/') && argv[optind][0] != '/') {
		cmd = realpath(argv[optind], NULL);
		if (!cmd) {
			fprintf(stderr, "ipcgrade sandbox: '%s': %s\n",
			        argv[optind], strerror(errno));
			rc = EXIT_USAGE;
			goto out;
		}
		argv[optind] = cmd;
	}
	cfg.argv = (const char *const *)argv + optind;
	cfg.env = env;

	err = sandbox_run(&cfg, &res);
	if (err == -ENOTSUP || err == -EPERM) {
		fprintf(stderr, "ipcgrade sandbox: isolation unavailable: %s\n",
		        res.message);
		rc = EXIT_ISOLATION;
	} else if (err == -ENOENT && !res.policy) {
		fprintf(stderr, "ipcgrade sandbox: %s\n", res.message);
		rc = EXIT_USAGE;
	} else if (err) {
		fprintf(stderr, "ipcgrade sandbox: sandbox failure: %s\n",
		        res.message);
		rc = EXIT_INTERNAL;
	} else if (json) {
		rc = print_json(&res) ? EXIT_INTERNAL : EXIT_OK;
	} else {
		print_text(&res);
	}
	sandbox_result_release(&res);
out:
	free(cmd);
	free(env);
	return rc;
}
