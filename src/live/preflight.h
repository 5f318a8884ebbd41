/* SPDX-License-Identifier: GPL-2.0 */
/* What must hold before any BPF is loaded, each failure explained in one line. */
#ifndef V6T_PREFLIGHT_H
#define V6T_PREFLIGHT_H

/* 0, or -EPERM / -ENOENT after printing the reason on stderr. */
int v6t_preflight(void);

#endif
