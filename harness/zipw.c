#include "zipw.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

struct zipw_entry {
	char *name;
	uint32_t crc, size, offset, mode;
};

/* A fixed date (2000-01-01 00:00, MS-DOS format): the same files make the
 * same archive, byte for byte. */
#define DOS_TIME 0
#define DOS_DATE ((20 << 9) | (1 << 5) | 1)

static uint32_t crc32(const unsigned char *p, size_t n)
{
	static uint32_t table[256];
	uint32_t c = 0xffffffffu;

	if (!table[1])
		for (uint32_t i = 0; i < 256; i++) {
			uint32_t k = i;
			for (int j = 0; j < 8; j++)
				k = k & 1 ? 0xedb88320u ^ (k >> 1) : k >> 1;
			table[i] = k;
		}
	for (size_t i = 0; i < n; i++)
		c = table[(c ^ p[i]) & 0xff] ^ (c >> 8);
	return c ^ 0xffffffffu;
}

static void put(struct zipw *z, const void *p, size_t n)
{
	if (z->err)
		return;
	if (fwrite(p, 1, n, z->f) != n)
		z->err = -EIO;
	z->off += (uint32_t)n;
}

static void u16(struct zipw *z, unsigned v)
{
	unsigned char b[2] = { v & 0xff, (v >> 8) & 0xff };
	put(z, b, 2);
}

static void u32(struct zipw *z, uint32_t v)
{
	unsigned char b[4] = { v & 0xff, (v >> 8) & 0xff, (v >> 16) & 0xff,
		               v >> 24 };
	put(z, b, 4);
}

int zipw_open(struct zipw *z, const char *path)
{
	memset(z, 0, sizeof(*z));
	z->f = fopen(path, "we");
	return z->f ? 0 : -errno;
}

void zipw_add(struct zipw *z, const char *name, const void *data, size_t len,
              unsigned mode)
{
	struct zipw_entry *e;
	size_t nl = strlen(name);

	if (z->err)
		return;
	if (len > 0xfffffff0u || z->off > 0xf0000000u || nl > 0xffff) {
		z->err = -EFBIG; /* no ZIP64 here */
		return;
	}
	if (z->n == z->cap) {
		struct zipw_entry *v = realloc(
		    z->v, (z->cap = z->cap ? 2 * z->cap : 64) * sizeof(*v));
		if (!v) {
			z->err = -ENOMEM;
			return;
		}
		z->v = v;
	}
	e = &z->v[z->n];
	if (!(e->name = strdup(name))) {
		z->err = -ENOMEM;
		return;
	}
	z->n++;
	e->crc = crc32(data, len);
	e->size = (uint32_t)len;
	e->offset = z->off;
	e->mode = S_IFREG | (mode & 07777);
	u32(z, 0x04034b50); /* local file header */
	u16(z, 10);         /* version needed: 1.0, stored */
	u16(z, 0x0800);     /* the name is UTF-8 */
	u16(z, 0);          /* stored */
	u16(z, DOS_TIME);
	u16(z, DOS_DATE);
	u32(z, e->crc);
	u32(z, e->size);
	u32(z, e->size);
	u16(z, (unsigned)nl);
	u16(z, 0);
	put(z, name, nl);
	put(z, data, len);
}

int zipw_close(struct zipw *z)
{
	uint32_t start = z->off, size;
	int err;

	for (size_t i = 0; i < z->n; i++) {
		struct zipw_entry *e = &z->v[i];
		size_t nl = strlen(e->name);
		u32(z, 0x02014b50);  /* central directory header */
		u16(z, 3 << 8 | 20); /* made by Unix, zip 2.0 */
		u16(z, 10);
		u16(z, 0x0800);
		u16(z, 0);
		u16(z, DOS_TIME);
		u16(z, DOS_DATE);
		u32(z, e->crc);
		u32(z, e->size);
		u32(z, e->size);
		u16(z, (unsigned)nl);
		u16(z, 0); /* extra */
		u16(z, 0); /* comment */
		u16(z, 0); /* disk */
		u16(z, 0); /* internal attributes */
		u32(z, e->mode << 16);
		u32(z, e->offset);
		put(z, e->name, nl);
	}
	size = z->off - start;
	u32(z, 0x06054b50); /* end of central directory */
	u16(z, 0);
	u16(z, 0);
	u16(z, (unsigned)z->n);
	u16(z, (unsigned)z->n);
	u32(z, size);
	u32(z, start);
	u16(z, 0);
	if (z->n > 0xffff && !z->err)
		z->err = -EFBIG;
	err = z->err;
	if (z->f && fclose(z->f) == EOF && !err)
		err = -errno;
	for (size_t i = 0; i < z->n; i++)
		free(z->v[i].name);
	free(z->v);
	memset(z, 0, sizeof(*z));
	return err;
}
