/* fuzz_wsse.c: the X-WSSE header of section 3.1 (src/auth/wsse.c). The input is
 * taken as the header (up to its first NUL) and, separately, as a Created
 * value and as a nonce. Oracles:
 * - wsse_parse: a token it accepts, written out again (keys in another
 *   order, the other quote where a value holds one), parses to the same
 *   four values;
 * - wsse_nonce_decode accepts exactly the canonical base64 strings, those
 *   that OpenSSL decodes and encodes back to the same text, with the same
 *   bytes;
 * - wsse_digest equals base64(SHA-1(nonce bytes . Created . key)) computed
 *   here with OpenSSL's one-shot SHA1, and fails only for a non-canonical
 *   nonce or a message over its buffer; wsse_digest_equal tells it apart
 *   from a one-character change;
 * - wsse_parse_created agrees with an independent reading (sscanf and
 *   timegm) on what it accepts and on the seconds. */
#define _DEFAULT_SOURCE /* timegm */
#include "fuzz.h"
#include "wsse.h"

#include <openssl/evp.h>
#include <openssl/sha.h>
#include <time.h>

/* The canonical-base64 oracle: decodes with OpenSSL, encodes back, and
 * calls s canonical when the text comes back unchanged. Returns the byte
 * count (bytes in out) or -1. */
static int canonical_b64(const char *s, unsigned char *out)
{
	size_t len = strlen(s);
	if (len == 0 || len % 4 || len >= WSSE_MAX_VALUE)
		return -1;
	unsigned char raw[WSSE_MAX_VALUE];
	int n = EVP_DecodeBlock(raw, (const unsigned char *)s, (int)len);
	if (n < 0)
		return -1;
	/* EVP_DecodeBlock counts the padding as zero bytes. */
	int pad = 0;
	while (pad < 3 && pad < (int)len && s[len - 1 - pad] == '=')
		pad++;
	n -= pad;
	if (n < 0)
		return -1;
	char back[WSSE_MAX_VALUE + 4];
	EVP_EncodeBlock((unsigned char *)back, raw, n);
	if (strcmp(back, s) != 0)
		return -1;
	memcpy(out, raw, (size_t)n);
	return n;
}

static void check_nonce(const char *s)
{
	unsigned char got[WSSE_MAX_NONCE_BYTES], want[WSSE_MAX_VALUE];
	int n = wsse_nonce_decode(s, got);
	int m = canonical_b64(s, want);
	if (n != m)
		fprintf(stderr, "nonce \"%s\": wsse_nonce_decode %d, canonical %d\n", s, n, m);
	FUZZ_CHECK(n == m);
	FUZZ_CHECK(n < 0 || memcmp(got, want, (size_t)n) == 0);
}

static void check_digest(const char *nonce, const char *created, const char *key)
{
	char out[WSSE_DIGEST_LEN + 1];
	size_t klen = strlen(key), clen = strlen(created);
	int rc = wsse_digest(nonce, created, key, klen, out);
	unsigned char raw[WSSE_MAX_VALUE];
	int n = canonical_b64(nonce, raw);
	int fits = n >= 0 && (size_t)n + clen + klen <= 3 * WSSE_MAX_VALUE;
	FUZZ_CHECK((rc == 0) == fits);
	if (rc < 0)
		return;
	unsigned char *msg = malloc((size_t)n + clen + klen + 1);
	FUZZ_CHECK(msg != NULL);
	memcpy(msg, raw, (size_t)n);
	memcpy(msg + n, created, clen);
	memcpy(msg + n + clen, key, klen);
	unsigned char md[SHA_DIGEST_LENGTH];
	SHA1(msg, (size_t)n + clen + klen, md);
	free(msg);
	char want[WSSE_DIGEST_LEN + 4];
	EVP_EncodeBlock((unsigned char *)want, md, SHA_DIGEST_LENGTH);
	FUZZ_CHECK(strlen(out) == WSSE_DIGEST_LEN);
	FUZZ_CHECK(strcmp(out, want) == 0);
	FUZZ_CHECK(wsse_digest_equal(out, want));
	want[5] = want[5] == 'A' ? 'B' : 'A';
	FUZZ_CHECK(!wsse_digest_equal(out, want));
	FUZZ_CHECK(!wsse_digest_equal(out, ""));
}

static int all_digits(const char *s, int n)
{
	for (int i = 0; i < n; i++)
		if (s[i] < '0' || s[i] > '9')
			return 0;
	return 1;
}

/* Section 3.1's Created read another way: fixed positions checked with
 * sscanf, the calendar checked by timegm's normalisation, the zone at the
 * end. 0 with the seconds, or -1. */
static int created_oracle(const char *s, long long *out)
{
	size_t len = strlen(s);
	if (len < 20 || len >= 64)
		return -1;
	if (!all_digits(s, 4) || !all_digits(s + 5, 2) || !all_digits(s + 8, 2) ||
	    !all_digits(s + 11, 2) || !all_digits(s + 14, 2) || !all_digits(s + 17, 2))
		return -1;
	int y, mo, d, h, mi, se;
	char t;
	if (sscanf(s, "%4d-%2d-%2d%c%2d:%2d:%2d", &y, &mo, &d, &t, &h, &mi, &se) != 7)
		return -1;
	if (s[4] != '-' || s[7] != '-' || s[13] != ':' || s[16] != ':' || (t != 'T' && t != 't'))
		return -1;
	if (y < 1970 || mo < 1 || mo > 12 || d < 1 || h > 23 || mi > 59 || se > 60)
		return -1;
	/* A day that timegm moves to the next month does not exist. */
	struct tm tm = { .tm_year = y - 1900, .tm_mon = mo - 1, .tm_mday = d, .tm_hour = 12 };
	time_t noon = timegm(&tm);
	if (tm.tm_mday != d || tm.tm_mon != mo - 1)
		return -1;
	const char *p = s + 19;
	if (*p == '.') {
		size_t f = strspn(p + 1, "0123456789");
		if (f == 0 || f > 9)
			return -1;
		p += 1 + f;
	}
	long long off;
	if (strcmp(p, "Z") == 0 || strcmp(p, "z") == 0) {
		off = 0;
	} else if ((p[0] == '+' || p[0] == '-') && all_digits(p + 1, 2)) {
		const char *m = p + 3 + (p[3] == ':');
		if (strlen(m) != 2 || !all_digits(m, 2))
			return -1;
		int oh = (p[1] - '0') * 10 + (p[2] - '0'), om = (m[0] - '0') * 10 + (m[1] - '0');
		if (oh > 23 || om > 59)
			return -1;
		off = (oh * 3600LL + om * 60) * (p[0] == '-' ? -1 : 1);
	} else {
		return -1;
	}
	*out = (long long)noon - 12 * 3600 + h * 3600LL + mi * 60LL + se - off;
	return 0;
}

static void check_created(const char *s)
{
	long long got = 0, want = 0;
	int a = wsse_parse_created(s, &got), b = created_oracle(s, &want);
	if (a != b || (a == 0 && got != want))
		fprintf(stderr, "Created \"%s\": wsse %d %lld, oracle %d %lld\n", s, a, got, b, want);
	FUZZ_CHECK(a == b);
	FUZZ_CHECK(a < 0 || got == want);
}

/* Writes the token out again, keys rotated by turn, and parses it. */
static void check_roundtrip(const struct wsse_token *t, unsigned turn)
{
	static const char *const names[] = { "Username", "PasswordDigest", "Nonce", "Created" };
	const char *values[4] = { t->username, t->digest, t->nonce, t->created };
	char header[8 * WSSE_MAX_VALUE];
	size_t o = (size_t)snprintf(header, sizeof(header), "UsernameToken ");
	for (unsigned i = 0; i < 4; i++) {
		unsigned k = (i + turn) % 4;
		const char *v = values[k];
		char q = strchr(v, '"') ? '\'' : '"';
		if (strchr(v, q))
			return; /* both quotes inside: no spelling for it */
		o += (size_t)snprintf(header + o, sizeof(header) - o, "%s%s=%c%s%c", i ? ", " : "",
				      names[k], q, v, q);
	}
	struct wsse_token again;
	const char *why = NULL;
	FUZZ_CHECK(wsse_parse(header, &again, &why) == 0);
	FUZZ_CHECK(strcmp(again.username, t->username) == 0);
	FUZZ_CHECK(strcmp(again.digest, t->digest) == 0);
	FUZZ_CHECK(strcmp(again.nonce, t->nonce) == 0);
	FUZZ_CHECK(strcmp(again.created, t->created) == 0);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s = malloc(size + 1);
	if (!s)
		return 0;
	memcpy(s, data, size);
	s[size] = '\0';

	struct wsse_token t;
	const char *why = NULL;
	if (wsse_parse(s, &t, &why) == 0) {
		FUZZ_CHECK(t.username[0] && t.digest[0] && t.nonce[0] && t.created[0]);
		FUZZ_CHECK(strlen(t.nonce) < WSSE_MAX_VALUE && strlen(t.created) < WSSE_MAX_VALUE);
		check_roundtrip(&t, size ? data[0] : 0);
		check_nonce(t.nonce);
		check_created(t.created);
		check_digest(t.nonce, t.created, t.digest);
		check_digest(t.nonce, t.created, "0123456789abcdef0123456789abcdef01234567");
	} else {
		FUZZ_CHECK(why != NULL);
	}
	/* The same bytes as a lone value of each kind. */
	check_created(s);
	check_nonce(s);
	if (strlen(s) < WSSE_MAX_VALUE)
		check_digest(s, "2026-12-06T23:46:18Z", s);
	free(s);
	return 0;
}
