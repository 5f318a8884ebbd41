// SPDX-License-Identifier: GPL-2.0
/*
 * The one sanitiser for names anyone may choose: for each byte sequence, the exact text a
 * terminal gets and the exact JSON string, which json-c must parse back to the expected bytes.
 * Invalid UTF-8 is replaced per maximal subpart, as Python's bytes.decode(errors="replace")
 * and the WHATWG decoder do, so the replacements here are the ones they give.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>
#include <json-c/json.h>
#include "strbuf.h"

#define FFFD "\xef\xbf\xbd"	/* U+FFFD REPLACEMENT CHARACTER, as json-c returns it */
#define SCIENTIST "\xf0\x9f\x91\xa9\xe2\x80\x8d\xf0\x9f\x94\xac"	/* woman, ZWJ, microscope */

struct sanitise_case {
	const char *in;
	const char *text;	/* what a terminal gets */
	const char *json;	/* the JSON string, quotes included */
	const char *parsed;	/* what json-c reads back from it */
};

static const struct sanitise_case cases[] = {
	/* C0: every one, including tab and newline, would move a terminal's cursor */
	{ "a\x01z", "a?z", "\"a\\u0001z\"", "a\x01z" },
	{ "t\tn\nr\r", "t?n?r?", "\"t\\tn\\nr\\u000d\"", "t\tn\nr\r" },
	{ "\x1b[2J\x1b]0;pwned\x07", "?[2J?]0;pwned?", "\"\\u001b[2J\\u001b]0;pwned\\u0007\"",
	  "\x1b[2J\x1b]0;pwned\x07" },
	{ "del\x7f", "del?", "\"del\\u007f\"", "del\x7f" },
	/* C1: raw 0x9b is not UTF-8; U+009B (c2 9b) is, but is CSI to many terminals */
	{ "a\x9b" "31m", "a?31m", "\"a\\ufffd31m\"", "a" FFFD "31m" },
	{ "a\xc2\x9b" "31m", "a?31m", "\"a\\u009b31m\"", "a\xc2\x9b" "31m" },
	{ "\xc2\x80\xc2\x9f", "??", "\"\\u0080\\u009f\"", "\xc2\x80\xc2\x9f" },
	{ "\xc2\xa0", "\xc2\xa0", "\"\xc2\xa0\"", "\xc2\xa0" },	/* U+00A0: printable */
	/* invalid UTF-8, one replacement per maximal subpart */
	{ "\xc0\xaf", "??", "\"\\ufffd\\ufffd\"", FFFD FFFD },			/* overlong '/' */
	{ "\xe0\x80\xaf", "???", "\"\\ufffd\\ufffd\\ufffd\"", FFFD FFFD FFFD },	/* overlong */
	{ "\xed\xa0\x80", "???", "\"\\ufffd\\ufffd\\ufffd\"", FFFD FFFD FFFD },	/* surrogate */
	{ "x\xe2\x82", "x?", "\"x\\ufffd\"", "x" FFFD },			/* truncated */
	{ "\xe2\x82x", "?x", "\"\\ufffdx\"", FFFD "x" },			/* cut short */
	{ "\xf0\x9f\x98", "?", "\"\\ufffd\"", FFFD },
	{ "\xf4\x90\x80\x80", "????", "\"\\ufffd\\ufffd\\ufffd\\ufffd\"",	/* > U+10FFFF */
	  FFFD FFFD FFFD FFFD },
	{ "\xf5\x80", "??", "\"\\ufffd\\ufffd\"", FFFD FFFD },
	{ "\xff\xfe", "??", "\"\\ufffd\\ufffd\"", FFFD FFFD },
	{ "\x80z", "?z", "\"\\ufffdz\"", FFFD "z" },			/* lone continuation */
	/* bidi and line controls: they reorder or break the rest of the line */
	{ "a\xe2\x80\xae" "cba", "a?cba", "\"a\\u202ecba\"", "a\xe2\x80\xae" "cba" },	/* RLO */
	{ "\xe2\x81\xa6\xe2\x81\xa9", "??", "\"\\u2066\\u2069\"", "\xe2\x81\xa6\xe2\x81\xa9" },
	{ "\xd8\x9c\xe2\x80\x8e\xe2\x80\x8f", "???", "\"\\u061c\\u200e\\u200f\"",
	  "\xd8\x9c\xe2\x80\x8e\xe2\x80\x8f" },
	{ "\xe2\x80\xaa\xe2\x80\xac", "??", "\"\\u202a\\u202c\"", "\xe2\x80\xaa\xe2\x80\xac" },
	{ "\xe2\x80\xa8\xe2\x80\xa9", "??", "\"\\u2028\\u2029\"", "\xe2\x80\xa8\xe2\x80\xa9" },
	{ "\xe2\x81\xaa\xe2\x81\xaf", "??", "\"\\u206a\\u206f\"", "\xe2\x81\xaa\xe2\x81\xaf" },
	{ "\xef\xbf\xb9\xef\xbf\xbb", "??", "\"\\ufff9\\ufffb\"", "\xef\xbf\xb9\xef\xbf\xbb" },
	/* valid UTF-8 stays as it is, byte for byte, in both */
	{ "caf\xc3\xa9", "caf\xc3\xa9", "\"caf\xc3\xa9\"", "caf\xc3\xa9" },
	{ "\xe6\x97\xa5\xe6\x9c\xac", "\xe6\x97\xa5\xe6\x9c\xac", "\"\xe6\x97\xa5\xe6\x9c\xac\"",
	  "\xe6\x97\xa5\xe6\x9c\xac" },
	{ "\xf0\x9f\x98\x80!", "\xf0\x9f\x98\x80!", "\"\xf0\x9f\x98\x80!\"", "\xf0\x9f\x98\x80!" },
	/* a joiner builds emoji sequences and Persian words: it moves nothing */
	{ SCIENTIST, SCIENTIST, "\"" SCIENTIST "\"", SCIENTIST },
	{ "\xf4\x8f\xbf\xbf", "\xf4\x8f\xbf\xbf", "\"\xf4\x8f\xbf\xbf\"", "\xf4\x8f\xbf\xbf" },
	/* JSON's own two, which a terminal may show */
	{ "q\"b\\", "q\"b\\", "\"q\\\"b\\\\\"", "q\"b\\" },
	{ "", "", "\"\"", "" },
};

static void test_table(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const struct sanitise_case *c = &cases[i];
		char tb[128] = "", jb[256] = "";
		struct strbuf text = STRBUF_ON(tb), json = STRBUF_ON(jb);
		json_object *obj;

		print_message("case %zu\n", i);
		sb_put_printable(&text, c->in, strlen(c->in));
		assert_string_equal(tb, c->text);
		sb_json_strn(&json, c->in, strlen(c->in));
		assert_string_equal(jb, c->json);
		obj = json_tokener_parse(jb);
		assert_non_null(obj);
		assert_int_equal(json_object_get_string_len(obj), strlen(c->parsed));
		assert_memory_equal(json_object_get_string(obj), c->parsed, strlen(c->parsed));
		json_object_put(obj);
	}
}

/* every byte and every pair of bytes: text has no control byte and is valid UTF-8 */
static void test_text_is_clean_for_any_input(void **state)
{
	(void)state;
	for (unsigned int a = 0; a < 256; a++) {
		for (unsigned int b = 0; b < 256; b++) {
			const char in[4] = { (char)a, (char)b, (char)0xbf, (char)0xbf };
			char tb[16];
			struct strbuf text = STRBUF_ON(tb);

			sb_put_printable(&text, in, sizeof(in));
			/* a replacement never makes the text longer than the name */
			assert_true(text.len <= sizeof(in));
			for (size_t i = 0; i < text.len; i++) {
				unsigned char c = tb[i];

				assert_true(c >= 0x20 && c != 0x7f);
				/* C1 as UTF-8: c2 followed by 80..9f */
				assert_false(c == 0xc2 && i + 1 < text.len &&
					     (unsigned char)tb[i + 1] < 0xa0);
			}
		}
	}
}

/* sb_printable: a NUL-terminated copy for messages built with printf */
static void test_printable_copy(void **state)
{
	char buf[8];

	(void)state;
	assert_string_equal(sb_printable(buf, sizeof(buf), "h\x1b[1m\xc2\x9b"), "h?[1m?");
	/* cut to the buffer, never in the middle of a character */
	assert_string_equal(sb_printable(buf, sizeof(buf), "abcdef\xc3\xa9"), "abcdef");
	assert_string_equal(sb_printable(buf, sizeof(buf), "abcde\xc3\xa9"), "abcde\xc3\xa9");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_table),
		cmocka_unit_test(test_text_is_clean_for_any_input),
		cmocka_unit_test(test_printable_copy),
	};

	return cmocka_run_group_tests_name("sanitise", tests, NULL, NULL);
}
