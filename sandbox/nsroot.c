#include "nsroot.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <net/if.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/sysmacros.h>
#include <unistd.h>

/* From <linux/mount.h>, which clashes with glibc's <sys/mount.h>. */
#ifndef MOUNT_ATTR_RDONLY
#define MOUNT_ATTR_RDONLY 0x00000001
#define MOUNT_ATTR_NOSUID 0x00000002
#define MOUNT_ATTR_NODEV  0x00000004
struct mount_attr {
	uint64_t attr_set;
	uint64_t attr_clr;
	uint64_t propagation;
	uint64_t userns_fd;
};
#endif
#ifndef AT_RECURSIVE
#define AT_RECURSIVE 0x8000
#endif

#define STEP(cfg, what, call)                                                  \
	do {                                                                   \
		if ((call) < 0) {                                              \
			int e_ = errno;                                        \
			snprintf((cfg)->failed_step, (cfg)->failed_len,        \
			         "%s: %s", what, strerror(e_));                \
			return -e_;                                            \
		}                                                              \
	} while (0)

/* mkdir -p of an absolute path; existing components are fine. */
static int mkdir_p(const char *path, mode_t mode)
{
	char buf[4096];
	size_t n = strlen(path);

	if (n >= sizeof(buf))
		return errno = ENAMETOOLONG, -1;
	memcpy(buf, path, n + 1);
	for (char *p = buf + 1; *p; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		if (mkdir(buf, mode) < 0 && errno != EEXIST)
			return -1;
		*p = '/';
	}
	if (mkdir(buf, mode) < 0 && errno != EEXIST)
		return -1;
	return 0;
}

/* Device nodes made afresh (root may mknod): cheaper than bind mounts. */
static int make_dev(const char *root, const char *name, unsigned minor)
{
	char dst[4200];

	snprintf(dst, sizeof(dst), "%s/dev/%s", root, name);
	if (mknod(dst, S_IFCHR | 0666, makedev(1, minor)) < 0)
		return -1;
	return chmod(dst, 0666); /* past the umask */
}

static int loopback_up(void)
{
	struct ifreq ifr = { 0 };
	int fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0), r;

	if (fd < 0)
		return -1;
	snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "lo");
	r = ioctl(fd, SIOCGIFFLAGS, &ifr);
	if (r == 0) {
		ifr.ifr_flags |= IFF_UP | IFF_RUNNING;
		r = ioctl(fd, SIOCSIFFLAGS, &ifr);
	}
	close(fd);
	return r;
}

static int write_sysctl(const char *name, const char *val)
{
	char path[128];
	int fd, r;

	snprintf(path, sizeof(path), "/proc/sys/%s", name);
	fd = open(path, O_WRONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	r = write(fd, val, strlen(val)) < 0 ? -1 : 0;
	close(fd);
	return r;
}

/* The IPC namespace's own quotas: SysV shared memory as large as the
 * tmpfs, a few dozen of each object, small message queues. */
static int ipc_quotas(uint64_t bytes)
{
	char val[64];
	long page = sysconf(_SC_PAGESIZE);

	snprintf(val, sizeof(val), "%" PRIu64, bytes);
	if (write_sysctl("kernel/shmmax", val) < 0)
		return -1;
	snprintf(val, sizeof(val), "%" PRIu64, bytes / page);
	if (write_sysctl("kernel/shmall", val) < 0 ||
	    write_sysctl("kernel/shmmni", "64") < 0 ||
	    write_sysctl("kernel/msgmni", "32") < 0 ||
	    write_sysctl("kernel/msgmnb", "65536") < 0 ||
	    write_sysctl("kernel/sem", "250 8000 32 64") < 0 ||
	    write_sysctl("fs/mqueue/queues_max", "32") < 0)
		return -1;
	return 0;
}

/* Only the network namespace's own settings: anything else would reach
 * the host. */
static int net_sysctls(const char *const *set)
{
	for (const char *const *e = set; e && *e; e++) {
		const char *eq = strchr(*e, '=');
		char name[96];
		if (strncmp(*e, "net/", 4) || !eq || eq - *e >= 96 ||
		    strstr(*e, ".."))
			return errno = EINVAL, -1;
		snprintf(name, sizeof(name), "%.*s", (int)(eq - *e), *e);
		if (write_sysctl(name, eq + 1) < 0)
			return -1;
	}
	return 0;
}

static int mount_tmpfs(const char *path, uint64_t bytes, const char *mode)
{
	char opts[96];

	snprintf(opts, sizeof(opts), "size=%" PRIu64 ",nr_inodes=16384,mode=%s",
	         bytes, mode);
	return mount("tmpfs", path, "tmpfs", MS_NOSUID | MS_NODEV, opts);
}

static int hide_path(const char *root, const char *path)
{
	char dst[4200];
	struct stat st;

	snprintf(dst, sizeof(dst), "%s%s", root, path);
	if (lstat(dst, &st) < 0)
		return errno == ENOENT ? 0 : -1;
	if (S_ISDIR(st.st_mode))
		return mount("tmpfs", dst, "tmpfs",
		             MS_NOSUID | MS_NODEV | MS_RDONLY,
		             "size=4k,mode=0");
	/* A file: an empty, unreadable one in its place. */
	return mount("tmpfs", dst, "tmpfs", MS_NOSUID | MS_NODEV | MS_RDONLY,
	             "size=4k,mode=0") < 0 &&
	               errno == ENOTDIR
	           ? mount("/dev/null", dst, NULL, MS_BIND | MS_RDONLY, NULL)
	           : 0;
}

int nsroot_setup(const struct nsroot_config *cfg)
{
	struct mount_attr ro = {
		.attr_set =
		    MOUNT_ATTR_RDONLY | MOUNT_ATTR_NOSUID | MOUNT_ATTR_NODEV,
	};
	static const struct {
		const char *name;
		unsigned minor;
	} devs[] = { { "null", 3 },
		     { "zero", 5 },
		     { "full", 7 },
		     { "random", 8 },
		     { "urandom", 9 } };
	const char *R = cfg->root;
	char p[4200], q[4200];

#define AT(buf, rel) (snprintf(buf, sizeof(buf), "%s%s", R, rel), buf)
	/* Nothing done here may leak back to the host's mount table. */
	STEP(cfg, "make / private",
	     mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL));
	/* The system, read-only, without setuid or device files, on an
	 * empty directory of ours; host paths stay usable as sources until
	 * the pivot at the end. */
	STEP(cfg, "bind /", mount("/", R, NULL, MS_BIND | MS_REC, NULL));
	STEP(cfg, "make the system read-only",
	     syscall(SYS_mount_setattr, AT_FDCWD, R, AT_RECURSIVE, &ro,
	             sizeof(ro)));

	/* A minimal /dev: no tty, no disks. */
	STEP(cfg, "mount /dev",
	     mount("tmpfs", AT(p, "/dev"), "tmpfs", MS_NOSUID | MS_NOEXEC,
	           "size=64k,nr_inodes=64,mode=0755"));
	for (size_t i = 0; i < sizeof(devs) / sizeof(*devs); i++)
		STEP(cfg, "make a device",
		     make_dev(R, devs[i].name, devs[i].minor));
	STEP(cfg, "/dev/fd", symlink("/proc/self/fd", AT(p, "/dev/fd")));
	STEP(cfg, "/dev/stdin", symlink("fd/0", AT(p, "/dev/stdin")));
	STEP(cfg, "/dev/stdout", symlink("fd/1", AT(p, "/dev/stdout")));
	STEP(cfg, "/dev/stderr", symlink("fd/2", AT(p, "/dev/stderr")));
	STEP(cfg, "mkdir /dev/shm", mkdir(AT(p, "/dev/shm"), 01777));
	STEP(cfg, "mount /dev/shm", mount_tmpfs(p, cfg->tmpfs_bytes, "1777"));
	STEP(cfg, "mkdir /dev/mqueue", mkdir(AT(p, "/dev/mqueue"), 01777));
	STEP(cfg, "mount /dev/mqueue",
	     mount("mqueue", p, "mqueue", MS_NOSUID | MS_NODEV | MS_NOEXEC,
	           NULL));
	STEP(cfg, "mount /tmp",
	     mount_tmpfs(AT(p, "/tmp"), cfg->tmpfs_bytes, "1777"));
	STEP(cfg, "mount /proc",
	     mount("proc", AT(p, "/proc"), "proc",
	           MS_NOSUID | MS_NODEV | MS_NOEXEC, NULL));

	/* The work dir, read-write, at the same path as outside. */
	if (cfg->workdir) {
		AT(q, cfg->workdir);
		STEP(cfg, "create the work dir mount point", mkdir_p(q, 0755));
		STEP(cfg, "bind the work dir",
		     mount(cfg->workdir, q, NULL, MS_BIND | MS_REC, NULL));
		STEP(cfg, "remount the work dir",
		     mount(NULL, q, NULL,
		           MS_BIND | MS_REMOUNT | MS_NOSUID | MS_NODEV, NULL));
	}
	for (const char *const *h = cfg->hide; h && *h; h++)
		STEP(cfg, "hide a path", hide_path(R, *h));
#undef AT

	/* Make it the root; the old one, stacked on top, is detached. */
	STEP(cfg, "chdir to the new root", chdir(R));
	STEP(cfg, "pivot", syscall(SYS_pivot_root, ".", "."));
	STEP(cfg, "detach old root", umount2(".", MNT_DETACH));
	STEP(cfg, "chdir /", chdir("/"));

	STEP(cfg, "hostname", sethostname("ipcgrade", 8));
	STEP(cfg, "loopback up", loopback_up());
	STEP(cfg, "IPC quotas", ipc_quotas(cfg->tmpfs_bytes));
	STEP(cfg, "network sysctls", net_sysctls(cfg->net_sysctls));
	return 0;
}
