/*
 * producer.c - ./producer [-i K] NAME
 *
 * Reads stdin in big blocks and hands them to the consumer one slot at a
 * time.
 */
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "ring_util.h"

#define BLOCK (16 * RING_SLOT_SIZE)

int main(int argc, char *argv[])
{
	static unsigned char block[BLOCK];
	uint32_t id = 0;
	struct ring *r;
	size_t n;
	int c;

	while ((c = getopt(argc, argv, "i:")) != -1) {
		switch (c) {
		case 'i':
			id = (uint32_t)atoi(optarg);
			break;
		default:
			fprintf(stderr, "usage: %s [-i K] NAME\n", argv[0]);
			return 1;
		}
	}
	if (optind != argc - 1) {
		fprintf(stderr, "usage: %s [-i K] NAME\n", argv[0]);
		return 1;
	}

	r = ring_create_or_attach(argv[optind]);

	while ((n = fread(block, 1, BLOCK, stdin)) > 0) {
		for (size_t off = 0; off < n; off += RING_SLOT_SIZE) {
			size_t len = n - off;

			if (len > RING_SLOT_SIZE)
				len = RING_SLOT_SIZE;
			ring_put(r, id, block + off, len);
		}
	}
	if (ferror(stdin))
		die("read");

	ring_put(r, id, NULL, 0);
	ring_detach(r);
	return 0;
}
