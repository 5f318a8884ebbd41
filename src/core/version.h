/* SPDX-License-Identifier: GPL-2.0 */
#ifndef V6T_VERSION_H
#define V6T_VERSION_H

#define V6T_VERSION "0.1.0"

#endif
