// SPDX-License-Identifier: GPL-2.0
#include <string.h>
#include <unistd.h>
#include "sink.h"
#include "stop.h"

void v6t_sink_init(struct v6t_sink *s, int fd)
{
	s->fd = fd;
	s->err = 0;
	s->len = 0;
}

static int write_all(struct v6t_sink *s, const char *p, size_t len)
{
	int err = v6t_stop_write_all(s->fd, p, len);

	if (err)
		s->err = err;
	return err;
}

int v6t_sink_flush(struct v6t_sink *s)
{
	int err;

	if (s->err)
		return s->err;
	err = write_all(s, s->buf, s->len);
	s->len = 0;
	return err;
}

int v6t_sink_write(struct v6t_sink *s, const char *data, size_t len)
{
	if (s->err)
		return s->err;
	if (s->len + len > sizeof(s->buf) && v6t_sink_flush(s))
		return s->err;
	if (len > sizeof(s->buf))
		return write_all(s, data, len);
	memcpy(s->buf + s->len, data, len);
	s->len += len;
	return 0;
}

int v6t_sink_begin(struct v6t_sink *s, struct strbuf *sb, size_t max)
{
	if (!s->err && sizeof(s->buf) - s->len < max)
		v6t_sink_flush(s);
	if (s->err)
		return s->err;
	sb->buf = s->buf + s->len;
	sb->len = 0;
	sb->cap = max;
	sb->buf[0] = '\0';
	return 0;
}

void v6t_sink_commit(struct v6t_sink *s, const struct strbuf *sb)
{
	s->len += sb->len;
}
