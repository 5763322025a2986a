#include "postcond.h"

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ipc.h>
#include <sys/msg.h>
#include <sys/sem.h>
#include <sys/shm.h>
#include <sys/stat.h>
#include <sys/vfs.h>
#include <time.h>
#include <unistd.h>

#include "sweep.h"

#ifndef MQUEUE_MAGIC
#define MQUEUE_MAGIC 0x19800202
#endif

/* Append one description to why, keeping the first ones when it fills. */
static void note(char *why, size_t len, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void note(char *why, size_t len, const char *fmt, ...)
{
	size_t used = why ? strnlen(why, len) : 0;
	va_list ap;

	if (!why || used + 2 >= len)
		return;
	if (used)
		why[used++] = ';', why[used++] = ' ', why[used] = '\0';
	va_start(ap, fmt);
	vsnprintf(why + used, len - used, fmt, ap);
	va_end(ap);
}

/* True when /proc/<pid>/status names uid as its real, effective, saved or
 * fs uid; the status file stays readable for non-dumpable processes,
 * whose /proc directory is owned by root. */
static bool proc_has_uid(const char *pid, uid_t uid, char *state)
{
	char path[64], line[256];
	unsigned u[4];
	bool found = false;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%s/status", pid);
	f = fopen(path, "re");
	if (!f)
		return false;
	*state = '?';
	while (fgets(line, sizeof(line), f)) {
		sscanf(line, "State: %c", state);
		if (sscanf(line, "Uid: %u %u %u %u", &u[0], &u[1], &u[2],
		           &u[3]) == 4) {
			found = u[0] == uid || u[1] == uid || u[2] == uid ||
			        u[3] == uid;
			break;
		}
	}
	fclose(f);
	return found;
}

static unsigned scan_processes(uid_t uid, bool zombies, char *why, size_t len)
{
	unsigned n = 0;
	struct dirent *e;
	DIR *d = opendir("/proc");
	char state;

	if (!d) {
		note(why, len, "cannot open /proc: %s", strerror(errno));
		return 1;
	}
	while ((e = readdir(d))) {
		if (!isdigit((unsigned char)e->d_name[0]) ||
		    !proc_has_uid(e->d_name, uid, &state) ||
		    (!zombies && state == 'Z'))
			continue;
		if (n++ == 0)
			note(why, len, "process %s of uid %u (state %c)",
			     e->d_name, (unsigned)uid, state);
	}
	closedir(d);
	return n;
}

unsigned postcond_processes(uid_t uid, int wait_ms, bool zombies, char *why,
                            size_t len)
{
	struct timespec tick = { 0, 10 * 1000 * 1000 };

	/* The kernel tears a killed tree down asynchronously. */
	for (int waited = 0; waited < wait_ms; waited += 10) {
		if (scan_processes(uid, zombies, NULL, 0) == 0)
			return 0;
		nanosleep(&tick, NULL);
	}
	return scan_processes(uid, zombies, why, len);
}

static bool ours(const struct ipc_perm *p, uid_t uid)
{
	return p->cuid == uid || p->uid == uid;
}

unsigned postcond_sysv(uid_t uid, char *why, size_t len)
{
	struct shm_info shm;
	struct seminfo sem;
	struct msginfo msg;
	unsigned n = 0;
	int max, id;

	max = shmctl(0, SHM_INFO, (struct shmid_ds *)&shm);
	for (int i = 0; i <= max; i++) {
		struct shmid_ds ds;
		if ((id = shmctl(i, SHM_STAT, &ds)) >= 0 &&
		    ours(&ds.shm_perm, uid) && n++ == 0)
			note(why, len, "SysV shm %d (key 0x%x)", id,
			     (unsigned)ds.shm_perm.__key);
	}
	max = semctl(0, 0, SEM_INFO, &sem);
	for (int i = 0; i <= max; i++) {
		struct semid_ds ds;
		if ((id = semctl(i, 0, SEM_STAT, &ds)) >= 0 &&
		    ours(&ds.sem_perm, uid) && n++ == 0)
			note(why, len, "SysV semaphore set %d", id);
	}
	max = msgctl(0, MSG_INFO, (struct msqid_ds *)&msg);
	for (int i = 0; i <= max; i++) {
		struct msqid_ds ds;
		if ((id = msgctl(i, MSG_STAT, &ds)) >= 0 &&
		    ours(&ds.msg_perm, uid) && n++ == 0)
			note(why, len, "SysV message queue %d", id);
	}
	return n;
}

unsigned postcond_dir(const char *dir, uid_t uid, char *why, size_t len)
{
	unsigned n = 0;
	struct dirent *e;
	struct stat st;
	DIR *d = opendir(dir);

	if (!d)
		return 0; /* no such directory here: nothing left in it */
	while ((e = readdir(d))) {
		if (fstatat(dirfd(d), e->d_name, &st, AT_SYMLINK_NOFOLLOW) ||
		    st.st_uid != uid)
			continue;
		if (n++ == 0)
			note(why, len, "%s/%s", dir, e->d_name);
	}
	closedir(d);
	return n;
}

static bool is_mqueue(const char *path)
{
	struct statfs s;

	return statfs(path, &s) == 0 && s.f_type == MQUEUE_MAGIC;
}

unsigned postcond_check(uid_t uid, char *why, size_t len)
{
	unsigned procs, objects, swept;

	why[0] = '\0';
	procs = postcond_processes(uid, 1000, true, why, len);
	objects = postcond_sysv(uid, why, len) +
	          postcond_dir("/dev/shm", uid, why, len) +
	          postcond_dir("/tmp", uid, why, len) +
	          postcond_dir("/var/tmp", uid, why, len) +
	          postcond_dir("/run/lock", uid, why, len);
	if (is_mqueue("/dev/mqueue"))
		objects += postcond_dir("/dev/mqueue", uid, why, len);
	/* Clean up with the sandbox's own sweeps: the detection above is
	 * what is under test, not the removal. */
	if (procs)
		sweep_kill_uid(uid);
	if (objects)
		sweep_ipc_uid(uid, true, NULL, &swept);
	/* Let the killed ones be reaped, or the next test sees them. */
	if (procs)
		postcond_processes(uid, 3000, true, NULL, 0);
	return procs + objects;
}

static unsigned cgroups_in(const char *dir, const char *prefix, int depth,
                           char *why, size_t len)
{
	char path[PATH_MAX];
	struct dirent *e;
	unsigned n = 0;
	DIR *d;

	if (depth > 4 || !(d = opendir(dir)))
		return 0;
	while ((e = readdir(d))) {
		if (e->d_type != DT_DIR || e->d_name[0] == '.')
			continue;
		if (snprintf(path, sizeof(path), "%s/%s", dir, e->d_name) >=
		    (int)sizeof(path))
			continue;
		if (!strncmp(e->d_name, prefix, strlen(prefix))) {
			size_t k = strlen(why);
			if (k < len)
				snprintf(why + k, len - k, "%s ", path);
			n++;
		} else {
			n += cgroups_in(path, prefix, depth + 1, why, len);
		}
	}
	closedir(d);
	return n;
}

unsigned postcond_cgroups_of(pid_t pid, char *why, size_t len)
{
	char prefix[64];

	snprintf(prefix, sizeof(prefix), "ipcgrade-%d-", (int)pid);
	if (len)
		why[0] = '\0';
	return cgroups_in("/sys/fs/cgroup", prefix, 0, why, len);
}
