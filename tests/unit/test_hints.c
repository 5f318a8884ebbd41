// SPDX-License-Identifier: GPL-2.0
/*
 * The hint table: plain text only (outputs copy it as it is), a generic text for every class,
 * never more than a comm proves, the sysctl only where it would change the socket, and
 * README's "How to change it" listing the table's texts as they are (run from the source tree).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>
#include "hints.h"

/* printable ASCII without " or \: what text and JSON may copy as it is */
static void assert_plain(const char *s)
{
	for (const char *p = s; *p; p++)
		if (*p < 0x20 || *p > 0x7e || *p == '"' || *p == '\\')
			fail_msg("not plain at %td: %s", p - s, s);
}

static void test_texts_plain_and_hedged(void **state)
{
	unsigned int n;
	const struct v6t_hint_row *rows = v6t_hint_rows(&n);

	(void)state;
	assert_null(rows[n - 1].comms);
	for (unsigned int c = 0; c < V6T_SOCK_CLASSES; c++)
		assert_non_null(rows[n - 1].how[c]);
	for (unsigned int i = 0; i < n; i++) {
		assert_true(i == n - 1 || rows[i].comms);
		for (unsigned int c = 0; c < V6T_SOCK_CLASSES; c++) {
			if (!rows[i].how[c])
				continue;
			assert_plain(rows[i].how[c]);
			/* a comm is anyone's to choose: a program's row says what it assumes */
			if (rows[i].comms)
				assert_int_equal(strncmp(rows[i].how[c], "if this is ", 11), 0);
			else
				assert_null(strstr(rows[i].how[c], "if this is"));
		}
	}
	for (unsigned int c = 0; c < V6T_SOCK_CLASSES; c++)
		for (unsigned int src = 0; src < V6T_SRC_COUNT; src++)
			if (v6t_hint_sysctl(c, src))
				assert_plain(v6t_hint_sysctl(c, src));
}

static void test_pick_by_comm_and_class(void **state)
{
	struct v6t_hint h;

	(void)state;
	v6t_hint_pick(&h, "nginx", V6T_SOCK_V6ONLY, V6T_SRC_SETSOCKOPT);
	assert_non_null(strstr(h.how, "if this is nginx"));
	assert_null(h.sysctl);
	/* the second name of a row, and a class the row leaves to the generic text */
	v6t_hint_pick(&h, "httpd", V6T_SOCK_DUALSTACK, V6T_SRC_SETSOCKOPT);
	assert_non_null(strstr(h.how, "Apache httpd"));
	v6t_hint_pick(&h, "sshd", V6T_SOCK_DUALSTACK, V6T_SRC_DEFAULT);
	assert_non_null(strstr(h.how, "IPV6_V6ONLY to 1"));
	/* a Go server or anything else; a name that only starts like one */
	v6t_hint_pick(&h, "myserver", V6T_SOCK_IPV4, V6T_SRC_NONE);
	assert_non_null(strstr(h.how, "Go:"));
	v6t_hint_pick(&h, "nginx-", V6T_SOCK_IPV4, V6T_SRC_NONE);
	assert_null(strstr(h.how, "nginx"));
	v6t_hint_pick(&h, "nginx", V6T_SOCK_CLASSES, V6T_SRC_NONE);
	assert_null(h.how);
}

/* the sysctl changes only what a socket took from it: not a V6ONLY a program set */
static void test_sysctl_where_it_applies(void **state)
{
	struct v6t_hint h;

	(void)state;
	v6t_hint_pick(&h, "socat", V6T_SOCK_DUALSTACK, V6T_SRC_DEFAULT);
	assert_non_null(strstr(h.sysctl, "net.ipv6.bindv6only=1"));
	v6t_hint_pick(&h, "socat", V6T_SOCK_V6ONLY, V6T_SRC_SYSCTL);
	assert_non_null(strstr(h.sysctl, "set it to 0"));
	v6t_hint_pick(&h, "socat", V6T_SOCK_DUALSTACK, V6T_SRC_SETSOCKOPT);
	assert_null(h.sysctl);
	v6t_hint_pick(&h, "socat", V6T_SOCK_V6ONLY, V6T_SRC_SETSOCKOPT);
	assert_null(h.sysctl);
	v6t_hint_pick(&h, "socat", V6T_SOCK_IPV4, V6T_SRC_NONE);
	assert_null(h.sysctl);
}

static char *slurp(const char *path)
{
	FILE *f = fopen(path, "re");
	static char buf[1 << 20];
	size_t n;

	if (!f)
		fail_msg("%s: cannot open (the unit tests run from the source tree)", path);
	n = fread(buf, 1, sizeof(buf) - 1, f);
	fclose(f);
	buf[n] = '\0';
	return buf;
}

static void assert_documented(const char *readme, const char *text)
{
	if (text && !strstr(readme, text))
		fail_msg("README.md (How to change it) lacks the table's \"%s\"", text);
}

/* README lists every program, name and text of the table, word for word */
static void test_readme_lists_the_table(void **state)
{
	const char *readme = slurp("README.md");
	unsigned int n;
	const struct v6t_hint_row *rows = v6t_hint_rows(&n);
	char name[64];

	(void)state;
	for (unsigned int i = 0; i < n; i++) {
		snprintf(name, sizeof(name), "**%s**", rows[i].program);
		assert_documented(readme, name);
		for (const char *const *c = rows[i].comms; c && *c; c++) {
			snprintf(name, sizeof(name), "`%s`", *c);
			assert_documented(readme, name);
		}
		for (unsigned int c = 0; c < V6T_SOCK_CLASSES; c++)
			assert_documented(readme, rows[i].how[c]);
	}
	for (unsigned int c = 0; c < V6T_SOCK_CLASSES; c++)
		for (unsigned int src = 0; src < V6T_SRC_COUNT; src++)
			assert_documented(readme, v6t_hint_sysctl(c, src));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_texts_plain_and_hedged),
		cmocka_unit_test(test_pick_by_comm_and_class),
		cmocka_unit_test(test_sysctl_where_it_applies),
		cmocka_unit_test(test_readme_lists_the_table),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
