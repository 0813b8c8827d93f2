/* wsse.c: see wsse.h. OpenSSL's libcrypto provides SHA-1, base64 encoding
 * and the constant-time comparison; nonces are decoded here, strictly. */
#include "first.h"
#include "wsse.h"
#include "date.h"
#include "digest.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <string.h>
#include <strings.h>

static const char *skip_ws(const char *p)
{
	while (*p == ' ' || *p == '\t')
		p++;
	return p;
}

int wsse_parse(const char *h, struct wsse_token *t, const char **why)
{
	static const char *const names[] = { "Username", "PasswordDigest", "Nonce", "Created" };
	char *fields[4] = { t->username, t->digest, t->nonce, t->created };
	int seen[4] = { 0, 0, 0, 0 };
	const char *p = skip_ws(h);
	if (strncmp(p, "UsernameToken", 13) != 0 || (p[13] != ' ' && p[13] != '\t')) {
		*why = "not a UsernameToken";
		return -1;
	}
	p = skip_ws(p + 13);
	while (*p) {
		const char *k = p;
		while ((*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z'))
			p++;
		size_t klen = (size_t)(p - k);
		p = skip_ws(p);
		if (klen == 0 || *p != '=') {
			*why = "malformed key";
			return -1;
		}
		p = skip_ws(p + 1);
		char q = *p;
		if (q != '"' && q != '\'') {
			*why = "unquoted value";
			return -1;
		}
		const char *v = ++p;
		while (*p && *p != q)
			p++;
		if (*p != q) {
			*why = "unterminated value";
			return -1;
		}
		size_t vlen = (size_t)(p - v);
		p = skip_ws(p + 1);
		if (*p == ',')
			p = skip_ws(p + 1);
		else if (*p) {
			*why = "missing comma";
			return -1;
		}
		for (int i = 0; i < 4; i++) {
			if (strlen(names[i]) != klen || strncmp(names[i], k, klen) != 0)
				continue;
			if (seen[i]) {
				*why = "duplicated key";
				return -1;
			}
			if (vlen == 0 || vlen >= WSSE_MAX_VALUE) {
				*why = "empty or overlong value";
				return -1;
			}
			memcpy(fields[i], v, vlen);
			fields[i][vlen] = '\0';
			seen[i] = 1;
		}
	}
	for (int i = 0; i < 4; i++) {
		if (!seen[i]) {
			*why = "missing key";
			return -1;
		}
	}
	return 0;
}

static int digits(const char *s, int n, int *out)
{
	int v = 0;
	for (int i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		v = v * 10 + (s[i] - '0');
	}
	*out = v;
	return 0;
}

int wsse_parse_created(const char *created, long long *out)
{
	char s[64];
	size_t len = strlen(created);
	if (len < 20 || len >= sizeof(s))
		return -1;
	memcpy(s, created, len + 1);
	int y, mo, d, h, mi, se;
	if ( digits(s, 4, &y) || s[4] != '-' || digits(s + 5, 2, &mo) ||
	    s[7] != '-' || digits(s + 8, 2, &d) || (s[10] != 'T' && s[10] != 't') ||
	    digits(s + 11, 2, &h) || s[13] != ':' || digits(s + 14, 2, &mi) || s[16] != ':' ||
	    digits(s + 17, 2, &se))
		return -1;
	if (y < 1970 || !date_valid(y, mo, d) || h > 23 || mi > 59 || se > 60)
		return -1;
	const char *p = s + 19;
	if (*p == '.') {
		p++;
		const char *f = p;
		while (*p >= '0' && *p <= '9')
			p++;
		if (p == f || p - f > 9)
			return -1;
	}
	long long off = 0;
	if ((*p == 'Z' || *p == 'z') && p[1] == '\0') {
		off = 0;
	} else if (*p == '+' || *p == '-') {
		int oh, om;
		const char *q = p + 1;
		if (digits(q, 2, &oh))
			return -1;
		q += 2;
		if (*q == ':')
			q++;
		if (digits(q, 2, &om) || q[2] != '\0' || oh > 23 || om > 59)
			return -1;
		off = (oh * 3600LL + om * 60LL) * (*p == '+' ? 1 : -1);
	} else {
		return -1;
	}
	long long t = date_days_from_civil(y, mo, d) * 86400LL + h * 3600LL + mi * 60LL + se;
	*out = t - off;
	return 0;
}

/* The 6-bit value of a character of the standard alphabet, or -1. */
static int b64_value(char c)
{
	if (c >= 'A' && c <= 'Z')
		return c - 'A';
	if (c >= 'a' && c <= 'z')
		return c - 'a' + 26;
	if (c >= '0' && c <= '9')
		return c - '0' + 52;
	if (c == '+')
		return 62;
	if (c == '/')
		return 63;
	return -1;
}

int wsse_nonce_decode(const char *nonce, unsigned char out[WSSE_MAX_NONCE_BYTES])
{
	size_t len = strlen(nonce);
	if (len == 0 || len % 4 != 0 || len >= WSSE_MAX_VALUE)
		return -1;
	size_t data = len, n = 0;
	while (data > len - 2 && nonce[data - 1] == '=')
		data--; /* at most two '=' are padding; a third is refused below */
	size_t pad = len - data;
	for (size_t i = 0; i < len; i += 4) {
		unsigned long w = 0;
		for (size_t j = i; j < i + 4; j++) {
			int v = j < data ? b64_value(nonce[j]) : 0;
			if (v < 0)
				return -1; /* outside the alphabet, or '=' before the end */
			w = w << 6 | (unsigned long)v;
		}
		out[n++] = (unsigned char)(w >> 16);
		if (i + 4 < len || pad < 2)
			out[n++] = (unsigned char)(w >> 8);
		if (i + 4 < len || pad < 1)
			out[n++] = (unsigned char)w;
	}
	/* The bits the padding leaves over must be zero: "QQ==" is 'A',
	 * "QR==" would be a second spelling of it. */
	int last = pad ? b64_value(nonce[data - 1]) : 0;
	if ((pad == 2 && (last & 0x0f)) || (pad == 1 && (last & 0x03)))
		return -1;
	return (int)n;
}

int wsse_digest(const char *nonce, const char *created, const char *key, size_t key_len,
		char out[WSSE_DIGEST_LEN + 1])
{
	unsigned char raw[WSSE_MAX_NONCE_BYTES];
	int n = wsse_nonce_decode(nonce, raw);
	if (n < 0)
		return -1;
	/* One buffer, one digest: nonce bytes, Created, key. */
	unsigned char msg[3 * WSSE_MAX_VALUE];
	size_t clen = strlen(created);
	if ((size_t)n + clen + key_len > sizeof(msg))
		return -1;
	memcpy(msg, raw, (size_t)n);
	memcpy(msg + n, created, clen);
	memcpy(msg + n + clen, key, key_len);
	unsigned char md[DIGEST_SHA1_LEN];
	if (digest_sha1(msg, (size_t)n + clen + key_len, md) < 0)
		return -1;
	EVP_EncodeBlock((unsigned char *)out, md, DIGEST_SHA1_LEN);
	out[WSSE_DIGEST_LEN] = '\0';
	return 0;
}

int wsse_digest_equal(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b);
	if (la != lb)
		return 0;
	return CRYPTO_memcmp(a, b, lb) == 0;
}
