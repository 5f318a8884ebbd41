/* SPDX-License-Identifier: GPL-2.0 */
/* Open-addressed tables keyed by inode numbers (namespaces, cgroups). */
#ifndef V6T_HASH_H
#define V6T_HASH_H

#include <stdint.h>

/*
 * Where key's probe starts in a table of n_slots (a power of two). Inode numbers are close
 * together: a multiplicative hash spreads them over the slots.
 */
static inline unsigned int v6t_hash_slot(uint64_t key, unsigned int n_slots)
{
	return (unsigned int)((key * 0x9e3779b97f4a7c15ULL) >> 32) & (n_slots - 1);
}

#endif
