/* fcgi_client.c: a raw FastCGI client for tests/fcgi_close.bats. It sends one
 * request to a FastCGI server's Unix socket, as a web server would, then
 * keeps its own end open and reports how the server ended the connection:
 * the response's stdout goes to a file, the report (END_REQUEST, how the
 * input ended, whether the server still had the socket open) to stdout.
 * Usage: fcgi_client [-o OUT] [-b BODY | -s] [-t SECONDS] SOCKET NAME=VALUE... */
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

/* Record types and roles of the FastCGI specification (section 8). */
enum { BEGIN_REQUEST = 1, END_REQUEST = 3, PARAMS = 4, STDIN = 5, STDOUT = 6, STDERR = 7 };
#define RESPONDER 1
#define REQUEST_ID 1

static int fd = -1;

/* One record: 8-byte header (version 1, type, request id, content length,
 * no padding), then the content. MSG_NOSIGNAL: a closed peer is an EPIPE to
 * report, not a signal. */
static int put_record(int type, const void *p, size_t n)
{
	unsigned char rec[8 + 65535];
	if (n > 65535)
		return -1;
	rec[0] = 1;
	rec[1] = (unsigned char)type;
	rec[2] = 0;
	rec[3] = REQUEST_ID;
	rec[4] = (unsigned char)(n >> 8);
	rec[5] = (unsigned char)n;
	rec[6] = rec[7] = 0;
	if (n)
		memcpy(rec + 8, p, n);
	size_t off = 0;
	while (off < 8 + n) {
		ssize_t w = send(fd, rec + off, 8 + n - off, MSG_NOSIGNAL);
		if (w < 0 && errno == EINTR)
			continue;
		if (w < 0)
			return -1;
		off += (size_t)w;
	}
	return 0;
}

/* A name-value pair (section 3.4): lengths under 128 take one byte, longer
 * ones four with the high bit set. */
static size_t put_length(unsigned char *p, size_t n)
{
	if (n < 128) {
		p[0] = (unsigned char)n;
		return 1;
	}
	p[0] = (unsigned char)((n >> 24) | 0x80);
	p[1] = (unsigned char)(n >> 16);
	p[2] = (unsigned char)(n >> 8);
	p[3] = (unsigned char)n;
	return 4;
}

static int put_param(const char *pair)
{
	const char *eq = strchr(pair, '=');
	if (!eq)
		return -1;
	size_t nl = (size_t)(eq - pair), vl = strlen(eq + 1);
	unsigned char buf[65535];
	if (nl + vl + 8 > sizeof(buf))
		return -1;
	size_t k = put_length(buf, nl);
	k += put_length(buf + k, vl);
	memcpy(buf + k, pair, nl);
	memcpy(buf + k + nl, eq + 1, vl);
	return put_record(PARAMS, buf, k + nl + vl);
}

/* The whole body in STDIN records, then the empty one that ends it. */
static int put_body(const char *path)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return -1;
	char chunk[16384];
	size_t n;
	int rc = 0;
	while (rc == 0 && (n = fread(chunk, 1, sizeof(chunk), f)) > 0)
		rc = put_record(STDIN, chunk, n);
	fclose(f);
	return rc < 0 ? -1 : put_record(STDIN, NULL, 0);
}

static double now(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

/* Reads records until the server ends its side of the connection: stdout
 * content goes to OUT, stderr content to our stderr. With `slow`, a body
 * that never ends trickles in meanwhile: 64 bytes every 100 ms, the way a
 * slow client's upload reaches the web server and the FastCGI process. */
static const char *read_response(FILE *out, int slow, double deadline, int *ended, int *app)
{
	unsigned char buf[8 + 65535 + 255]; /* the largest record */
	size_t have = 0;
	const char filler[64] = { 0 };
	for (;;) {
		double left = deadline - now();
		if (left <= 0)
			return "timeout";
		struct pollfd p = { fd, POLLIN, 0 };
		int wait = slow ? 100 : (int)(left * 1000) + 1;
		int r = poll(&p, 1, wait);
		if (r < 0 && errno == EINTR)
			continue;
		if (r == 0 && slow) {
			/* A failed send is not fatal here: the read says why. */
			if (!*ended)
				put_record(STDIN, filler, sizeof(filler));
			continue;
		}
		ssize_t n = read(fd, buf + have, sizeof(buf) - have);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return errno == ECONNRESET ? "reset" : "error";
		if (n == 0)
			return have ? "truncated" : "eof";
		have += (size_t)n;
		/* Whole records off the front of the buffer. */
		for (;;) {
			if (have < 8)
				break;
			size_t len = (size_t)buf[4] << 8 | buf[5], rec = 8 + len + buf[6];
			if (have < rec)
				break;
			if (buf[1] == STDOUT)
				fwrite(buf + 8, 1, len, out);
			else if (buf[1] == STDERR)
				fwrite(buf + 8, 1, len, stderr);
			else if (buf[1] == END_REQUEST && len >= 8) {
				*ended = 1;
				*app = buf[8] << 24 | buf[9] << 16 | buf[10] << 8 | buf[11];
			}
			memmove(buf, buf + rec, have - rec);
			have -= rec;
		}
	}
}

int main(int argc, char **argv)
{
	const char *out_path = "/dev/null", *body = NULL;
	int slow = 0, opt;
	double seconds = 10;
	while ((opt = getopt(argc, argv, "o:b:st:")) != -1) {
		if (opt == 'o')
			out_path = optarg;
		else if (opt == 'b')
			body = optarg;
		else if (opt == 's')
			slow = 1;
		else if (opt == 't')
			seconds = atof(optarg);
		else
			return 2;
	}
	if (optind >= argc) {
		fprintf(stderr,
			"usage: fcgi_client [-o OUT] [-b BODY | -s] [-t SECONDS] "
			"SOCKET NAME=VALUE...\n");
		return 2;
	}
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	if (strlen(argv[optind]) >= sizeof(sa.sun_path))
		return 2;
	strcpy(sa.sun_path, argv[optind]);
	fd = socket(AF_UNIX, SOCK_STREAM, 0);
	if (fd < 0 || connect(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0) {
		perror("connect");
		return 1;
	}
	FILE *out = fopen(out_path, "wb");
	if (!out)
		return 1;
	double deadline = now() + seconds;

	/* Role responder, flags 0: the server closes the connection after
	 * this request (FCGI_KEEP_CONN unset), as lighttpd and nginx ask. */
	unsigned char begin[8] = { 0, RESPONDER, 0 };
	int rc = put_record(BEGIN_REQUEST, begin, sizeof(begin));
	for (int i = optind + 1; rc == 0 && i < argc; i++)
		rc = put_param(argv[i]);
	if (rc == 0)
		rc = put_record(PARAMS, NULL, 0);
	if (rc == 0 && slow) {
		/* The first bytes of a body that will not end while we wait. */
		const char head[512] = { 0 };
		rc = put_record(STDIN, head, sizeof(head));
	} else if (rc == 0) {
		rc = body ? put_body(body) : put_record(STDIN, NULL, 0);
	}
	if (rc < 0) {
		perror("send");
		return 1;
	}

	int ended = 0, app = 0;
	const char *input = read_response(out, slow, deadline, &ended, &app);
	fclose(out);
	if (ended)
		printf("end_request %d\n", app);
	else
		printf("end_request missing\n");
	printf("input %s\n", input);
	/* Our end is still open. One more record: if the server closed its
	 * socket (the quick close) this fails with EPIPE; if it only shut down
	 * its sending side and still reads what comes (libfcgi's graceful
	 * close, a poll of up to 2 s), it goes through. */
	const char probe[1] = { 0 };
	if (put_record(STDIN, probe, sizeof(probe)) == 0)
		printf("server open\n");
	else
		printf("server %s\n", errno == EPIPE || errno == ECONNRESET ? "closed" : "error");
	close(fd);
	return 0;
}
