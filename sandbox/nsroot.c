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

static int touch(const char *path)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_CLOEXEC, 0444);
	if (fd < 0)
		return -1;
	close(fd);
	return 0;
}

static int bind_dev(const char *name)
{
	char src[64], dst[64];

	snprintf(src, sizeof(src), "/oldroot/dev/%s", name);
	snprintf(dst, sizeof(dst), "/newroot/dev/%s", name);
	if (touch(dst) < 0)
		return -1;
	return mount(src, dst, NULL, MS_BIND, NULL);
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

static int mount_tmpfs(const char *path, uint64_t bytes, const char *mode)
{
	char opts[96];

	snprintf(opts, sizeof(opts), "size=%" PRIu64 ",nr_inodes=16384,mode=%s",
	         bytes, mode);
	return mount("tmpfs", path, "tmpfs", MS_NOSUID | MS_NODEV, opts);
}

static int hide_path(const char *path)
{
	char dst[4200];
	struct stat st;

	snprintf(dst, sizeof(dst), "/newroot%s", path);
	if (lstat(dst, &st) < 0)
		return errno == ENOENT ? 0 : -1;
	if (S_ISDIR(st.st_mode))
		return mount("tmpfs", dst, "tmpfs",
		             MS_NOSUID | MS_NODEV | MS_RDONLY,
		             "size=4k,mode=0");
	return mount("/hidden", dst, NULL, MS_BIND, NULL);
}

int nsroot_setup(const struct nsroot_config *cfg)
{
	struct mount_attr ro = {
		.attr_set =
		    MOUNT_ATTR_RDONLY | MOUNT_ATTR_NOSUID | MOUNT_ATTR_NODEV,
	};
	static const char *const devs[] = { "null", "zero", "full", "random",
		                            "urandom" };
	char src[4200], dst[4200];

	/* Nothing done here may leak back to the host's mount table. */
	STEP(cfg, "make / private",
	     mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL));
	/* Stage on a scratch tmpfs and pivot into it, so the host root
	 * stays reachable at /oldroot while the new root is assembled
	 * (bubblewrap's approach). */
	STEP(cfg, "mount scratch tmpfs",
	     mount("tmpfs", "/tmp", "tmpfs", MS_NOSUID | MS_NODEV,
	           "size=64k,mode=0755"));
	STEP(cfg, "chdir scratch", chdir("/tmp"));
	STEP(cfg, "mkdir newroot", mkdir("newroot", 0755));
	STEP(cfg, "mkdir oldroot", mkdir("oldroot", 0755));
	STEP(cfg, "touch hidden", touch("hidden"));
	STEP(cfg, "pivot to scratch",
	     syscall(SYS_pivot_root, "/tmp", "/tmp/oldroot"));
	STEP(cfg, "chdir /", chdir("/"));

	/* The system, read-only, without setuid or device files. */
	STEP(cfg, "bind /",
	     mount("/oldroot", "/newroot", NULL, MS_BIND | MS_REC, NULL));
	STEP(cfg, "make the system read-only",
	     syscall(SYS_mount_setattr, AT_FDCWD, "/newroot", AT_RECURSIVE, &ro,
	             sizeof(ro)));

	/* A minimal /dev: no tty, no disks. */
	STEP(cfg, "mount /dev", mount_tmpfs("/newroot/dev", 1 << 20, "0755"));
	for (size_t i = 0; i < sizeof(devs) / sizeof(*devs); i++)
		STEP(cfg, "bind a device", bind_dev(devs[i]));
	STEP(cfg, "/dev/fd", symlink("/proc/self/fd", "/newroot/dev/fd"));
	STEP(cfg, "/dev/stdin", symlink("fd/0", "/newroot/dev/stdin"));
	STEP(cfg, "/dev/stdout", symlink("fd/1", "/newroot/dev/stdout"));
	STEP(cfg, "/dev/stderr", symlink("fd/2", "/newroot/dev/stderr"));
	STEP(cfg, "mkdir /dev/shm", mkdir("/newroot/dev/shm", 01777));
	STEP(cfg, "mount /dev/shm",
	     mount_tmpfs("/newroot/dev/shm", cfg->tmpfs_bytes, "1777"));
	STEP(cfg, "mkdir /dev/mqueue", mkdir("/newroot/dev/mqueue", 01777));
	STEP(cfg, "mount /dev/mqueue",
	     mount("mqueue", "/newroot/dev/mqueue", "mqueue",
	           MS_NOSUID | MS_NODEV | MS_NOEXEC, NULL));
	STEP(cfg, "mount /tmp",
	     mount_tmpfs("/newroot/tmp", cfg->tmpfs_bytes, "1777"));
	STEP(cfg, "mount /proc",
	     mount("proc", "/newroot/proc", "proc",
	           MS_NOSUID | MS_NODEV | MS_NOEXEC, NULL));

	/* The work dir, read-write, at the same path as outside. */
	if (cfg->workdir) {
		snprintf(src, sizeof(src), "/oldroot%s", cfg->workdir);
		snprintf(dst, sizeof(dst), "/newroot%s", cfg->workdir);
		STEP(cfg, "create the work dir mount point",
		     mkdir_p(dst, 0755));
		STEP(cfg, "bind the work dir",
		     mount(src, dst, NULL, MS_BIND | MS_REC, NULL));
		STEP(cfg, "remount the work dir",
		     mount(NULL, dst, NULL,
		           MS_BIND | MS_REMOUNT | MS_NOSUID | MS_NODEV, NULL));
	}
	for (const char *const *h = cfg->hide; h && *h; h++)
		STEP(cfg, "hide a path", hide_path(*h));

	/* Drop the staging root: pivot onto newroot and detach the rest. */
	STEP(cfg, "chdir newroot", chdir("/newroot"));
	STEP(cfg, "pivot to newroot", syscall(SYS_pivot_root, ".", "."));
	STEP(cfg, "detach old root", umount2(".", MNT_DETACH));
	STEP(cfg, "chdir /", chdir("/"));

	STEP(cfg, "hostname", sethostname("ipcgrade", 8));
	STEP(cfg, "loopback up", loopback_up());
	STEP(cfg, "IPC quotas", ipc_quotas(cfg->tmpfs_bytes));
	return 0;
}
