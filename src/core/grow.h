/* SPDX-License-Identifier: GPL-2.0 */
/* Arrays as large as the machine needs: no fixed limit, doubled when full. */
#ifndef V6T_GROW_H
#define V6T_GROW_H

#include <stdlib.h>

/*
 * The array with room for twice as many (first, at first), or NULL with array and *cap as
 * they were (out of memory, or a capacity that would overflow).
 */
static inline void *v6t_grow(void *array, unsigned int *cap, size_t size, unsigned int first)
{
	unsigned int n = *cap ? *cap * 2 : first;
	void *p = n > *cap ? reallocarray(array, n, size) : NULL;

	if (p)
		*cap = n;
	return p;
}

#endif
