/*
 * ring_util.h - helpers shared by producer and consumer.
 */
#ifndef RING_UTIL_H
#define RING_UTIL_H

#include <stdint.h>

#include "ring.h"

/* Prints msg with perror() and exits with status 1. */
void die(const char *msg);

/*
 * Producer side: creates and initialises the ring if it does not exist
 * yet, otherwise waits for whoever creates it.
 */
struct ring *ring_create_or_attach(const char *name);

/* Waits (sleeping) until the ring exists and is initialised, maps it. */
struct ring *ring_attach(const char *name);

/* Puts len bytes (0 = end marker) from producer id into the next slot. */
void ring_put(struct ring *r, uint32_t id, const void *data, uint32_t len);

/*
 * Takes the next slot out: copies its data to buf (RING_SLOT_SIZE bytes),
 * stores the producer index in *id and returns the length.
 */
uint32_t ring_get(struct ring *r, uint32_t *id, void *buf);

/* Unmaps the ring. */
void ring_detach(struct ring *r);

#endif
