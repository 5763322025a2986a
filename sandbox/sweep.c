#include "sweep.h"

#include <errno.h>
#include <ftw.h>
#include <grp.h>
#include <limits.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/ipc.h>
#include <sys/mount.h>
#include <sys/msg.h>
#include <sys/sem.h>
#include <sys/shm.h>
#include <sys/stat.h>
#include <sys/vfs.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <linux/magic.h>

#include "fsutil.h"
#include "hostcache.h"
#include "proctree.h"

#ifndef MQUEUE_MAGIC
#define MQUEUE_MAGIC 0x19800202
#endif

int sweep_kill_uid(uid_t uid)
{
	struct proctree_sample s;
	pid_t pid;
	int status, found;

	if (proctree_sample(uid, 0, &s) < 0)
		return -errno;
	found = s.processes - s.zombies;
	if (!found)
		return 0;
	pid = fork();
	if (pid < 0)
		return -errno;
	if (pid == 0) {
		/* As the uid, kill(-1) reaches exactly its processes (and a
		 * fork bomb cannot outrun the loop: every round kills all). */
		if (setgroups(0, NULL) < 0 || setresgid(uid, uid, uid) < 0 ||
		    setresuid(uid, uid, uid) < 0)
			_exit(2);
		for (int i = 0; i < 1000; i++) {
			kill(-1, SIGKILL);
			/* Zombies are dead; their parents reap them. */
			if (proctree_sample(uid, getpid(), &s) == 0 &&
			    s.processes == s.zombies)
				_exit(0);
			struct timespec ts = { 0, 1000000 };
			nanosleep(&ts, NULL);
		}
		_exit(1);
	}
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
		return -EAGAIN;
	return found;
}

static bool ours(const struct ipc_perm *p, uid_t uid)
{
	return p->cuid == uid || p->uid == uid;
}

static void sweep_sysv(uid_t uid, unsigned *count)
{
	struct shm_info si;
	struct seminfo mi;
	struct msginfo qi;
	int max;

	max = shmctl(0, SHM_INFO, (struct shmid_ds *)&si);
	for (int i = 0; i <= max; i++) {
		struct shmid_ds ds;
		int id = shmctl(i, SHM_STAT, &ds);
		if (id >= 0 && ours(&ds.shm_perm, uid) &&
		    shmctl(id, IPC_RMID, NULL) == 0)
			(*count)++;
	}
	max = semctl(0, 0, SEM_INFO, &mi);
	for (int i = 0; i <= max; i++) {
		struct semid_ds ds;
		int id = semctl(i, 0, SEM_STAT, &ds);
		if (id >= 0 && ours(&ds.sem_perm, uid) &&
		    semctl(id, 0, IPC_RMID) == 0)
			(*count)++;
	}
	max = msgctl(0, MSG_INFO, (struct msqid_ds *)&qi);
	for (int i = 0; i <= max; i++) {
		struct msqid_ds ds;
		int id = msgctl(i, MSG_STAT, &ds);
		if (id >= 0 && ours(&ds.msg_perm, uid) &&
		    msgctl(id, IPC_RMID, NULL) == 0)
			(*count)++;
	}
}

static bool is_fs(const char *path, long magic)
{
	struct statfs s;
	return statfs(path, &s) == 0 && s.f_type == magic;
}

/* POSIX message queues can only be listed through an mqueue mount; when
 * the host has none at /dev/mqueue, mount one in a private mount namespace
 * of a helper (possible as root outside containers). */
static void sweep_mqueue_private(uid_t uid, unsigned *count)
{
	int status;
	pid_t pid = fork();

	if (pid < 0)
		return;
	if (pid == 0) {
		unsigned n = 0;
		if (unshare(CLONE_NEWNS) < 0 ||
		    mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) < 0 ||
		    mount("mqueue", "/dev", "mqueue", MS_NOSUID | MS_NODEV,
		          NULL) < 0)
			_exit(0);
		fs_remove_owned("/dev", uid, NULL, &n);
		_exit(n > 255 ? 255 : n);
	}
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	if (WIFEXITED(status))
		*count += WEXITSTATUS(status);
}

/* Filesystems with nothing a run can leave: the kernel's views. */
static bool virtual_fs(long type)
{
	static const long skip[] = {
		0x9fa0 /* proc */,
		0x62656572 /* sysfs */,
		0x27e0eb /* cgroup */,
		0x63677270 /* cgroup2 */,
		0x1cd1 /* devpts */,
		0x64626720 /* debugfs */,
		0x74726163 /* tracefs */,
		0x73636673 /* securityfs */,
		0xcafe4a11 /* bpf */,
		0x65735543 /* fusectl */,
		0x62656570 /* configfs */,
		0x6165676c /* pstore */,
		MQUEUE_MAGIC,
	};

	for (size_t i = 0; i < sizeof(skip) / sizeof(*skip); i++)
		if (type == skip[i])
			return true;
	return false;
}

static char writable[SWEEP_MAX_DIRS][PATH_MAX];
static int nwritable = -1;

static int note_writable(const char *path, const struct stat *st, int type,
                         struct FTW *ftw)
{
	struct statfs fs;

	static const char *const system[] = { "/usr",   "/lib",    "/lib32",
		                              "/lib64", "/libx32", "/bin",
		                              "/sbin",  "/boot",   "/snap" };

	if (type != FTW_D)
		return FTW_CONTINUE;
	/* The installed system: read-only to a run, and large. */
	for (size_t i = 0;
	     ftw->level == 1 && i < sizeof(system) / sizeof(*system); i++)
		if (!strcmp(path, system[i]))
			return FTW_SKIP_SUBTREE;
	if (statfs(path, &fs) == 0 && virtual_fs((long)fs.f_type))
		return FTW_SKIP_SUBTREE;
	if ((st->st_mode & S_IWOTH) && nwritable < SWEEP_MAX_DIRS)
		snprintf(writable[nwritable++], PATH_MAX, "%s", path);
	/* Deep in the system tree nothing is world-writable; what is,
	 * sits near the top (/tmp, /var/tmp, /run/lock, /dev/shm...). */
	return ftw->level >= 4 ? FTW_SKIP_SUBTREE : FTW_CONTINUE;
}

/* The walk stats a few thousand entries: its list is shared for a while
 * (hostcache.h), one path a line. */
static void find_writable(void)
{
	static char text[SWEEP_MAX_DIRS * 64];
	size_t used = 0;

	nwritable = 0;
	if (hostcache_get("writable-dirs", text, sizeof(text)) == 0) {
		for (char *line = strtok(text, "\n");
		     line && nwritable < SWEEP_MAX_DIRS;
		     line = strtok(NULL, "\n"))
			if (line[0] == '/')
				snprintf(writable[nwritable++], PATH_MAX, "%s",
				         line);
		return;
	}
	nftw("/", note_writable, 32, FTW_PHYS | FTW_ACTIONRETVAL);
	for (int i = 0; i < nwritable && used < sizeof(text); i++)
		used += snprintf(text + used, sizeof(text) - used, "%s\n",
		                 writable[i]);
	/* Cut short, it would miss a directory: not worth keeping. */
	if (used < sizeof(text))
		hostcache_put("writable-dirs", text);
}

const char *const *sweep_writable_dirs(void)
{
	static const char *list[SWEEP_MAX_DIRS + 1];

	if (nwritable < 0) {
		find_writable();
		for (int i = 0; i < nwritable; i++)
			list[i] = writable[i];
		list[nwritable] = NULL;
	}
	return list;
}

int sweep_ipc_uid(uid_t uid, bool files, const char *keep, unsigned *count)
{
	int err = 0, e;

	*count = 0;
	sweep_sysv(uid, count);
	if ((e = fs_remove_owned("/dev/shm", uid, NULL, count)) && !err)
		err = e;
	if (!is_fs("/dev/mqueue", MQUEUE_MAGIC))
		sweep_mqueue_private(uid, count);
	else if ((e = fs_remove_owned("/dev/mqueue", uid, NULL, count)) && !err)
		err = e;
	if (files && (e = fs_remove_owned("/tmp", uid, keep, count)) && !err)
		err = e;
	if (files && (e = fs_remove_owned("/var/tmp", uid, keep, count)) &&
	    !err)
		err = e;
	/* And every other world-writable place (found once). */
	for (const char *const *d = sweep_writable_dirs(); files && *d; d++)
		if (strcmp(*d, "/dev/shm") && strcmp(*d, "/tmp") &&
		    strcmp(*d, "/var/tmp") &&
		    (e = fs_remove_owned(*d, uid, keep, count)) && !err &&
		    e != -ENOENT)
			err = e;
	return err;
}
