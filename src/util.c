/*
 * util.c: languages, counts written the languages' way, time stamps and
 * the clock (see util.h).
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "util.h"

const char *const lang_codes[LANG__MAX + 1] = {
	[LANG_ES] = "es", [LANG_EN] = "en", [LANG_PT] = "pt", [LANG_FR] = "fr",
	[LANG__MAX] = NULL,
};

int
lang_from_code(const char *code)
{
	for (int i = 0; i < LANG__MAX; i++)
		if (strcmp(code, lang_codes[i]) == 0)
			return i;
	return -1;
}

void
num_format(int64_t n, enum lang lang, char out[NUM_FORMAT_LEN])
{
	static const char *const sep[LANG__MAX] = {
		[LANG_ES] = ".", [LANG_EN] = ",", [LANG_PT] = ".",
		[LANG_FR] = "\u202f",
	};
	char   digits[24];
	size_t len, o = 0;

	len = (size_t)snprintf(digits, sizeof(digits), "%" PRId64, n < 0 ? 0 : n);
	for (size_t i = 0; i < len; i++) {
		if (i > 0 && (len - i) % 3 == 0) {
			size_t sl = strlen(sep[lang]);

			memcpy(out + o, sep[lang], sl);
			o += sl;
		}
		out[o++] = digits[i];
	}
	out[o] = '\0';
}

int64_t
now_unix(void)
{
	return (int64_t)time(NULL);
}

int64_t
mono_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

/* Reads exactly n digits at *p into *v; advances *p. 0 or -1. */
static int
digits(const char **p, int n, int *v)
{
	*v = 0;
	for (int i = 0; i < n; i++) {
		char c = (*p)[i];

		if (c < '0' || c > '9')
			return -1;
		*v = *v * 10 + (c - '0');
	}
	*p += n;
	return 0;
}

/* Days from 1970-01-01 to y-m-d in the proleptic Gregorian calendar. */
static int64_t
days_from_civil(int64_t y, int m, int d)
{
	y -= m <= 2;
	int64_t	 era = (y >= 0 ? y : y - 399) / 400;
	unsigned yoe = (unsigned)(y - era * 400);
	unsigned doy = (unsigned)((153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1);
	unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;

	return era * 146097 + (int64_t)doe - 719468;
}

/* The date of day z (days from 1970-01-01), days_from_civil's inverse. */
static void
civil_from_days(int64_t z, int64_t *y, int *m, int *d)
{
	z += 719468;
	int64_t	 era = (z >= 0 ? z : z - 146096) / 146097;
	unsigned doe = (unsigned)(z - era * 146097);
	unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	unsigned mp = (5 * doy + 2) / 153;

	*d = (int)(doy - (153 * mp + 2) / 5 + 1);
	*m = (int)(mp < 10 ? mp + 3 : mp - 9);
	*y = (int64_t)yoe + era * 400 + (*m <= 2);
}

/* Writes v (0 to 10^n - 1) as n digits at out. */
static void
put_digits(char *out, int n, unsigned v)
{
	while (n-- > 0) {
		out[n] = (char)('0' + v % 10);
		v /= 10;
	}
}

/*
 * gmtime_r's date and time of t, written by hand (an export writes
 * millions); a year outside 0000-9999 is written as the epoch.
 */
void
time_format(int64_t t, char out[TIME_RFC3339_LEN])
{
	int64_t days = t / 86400, secs = t % 86400, y;
	int	m, d;

	if (secs < 0) {
		secs += 86400;
		days--;
	}
	civil_from_days(days, &y, &m, &d);
	if (y < 0 || y > 9999) {
		strcpy(out, "1970-01-01T00:00:00Z");
		return;
	}
	memcpy(out, "0000-00-00T00:00:00Z", TIME_RFC3339_LEN);
	put_digits(out, 4, (unsigned)y);
	put_digits(out + 5, 2, (unsigned)m);
	put_digits(out + 8, 2, (unsigned)d);
	put_digits(out + 11, 2, (unsigned)(secs / 3600));
	put_digits(out + 14, 2, (unsigned)(secs / 60 % 60));
	put_digits(out + 17, 2, (unsigned)(secs % 60));
}

int
time_parse(const char *s, int64_t *out)
{
	static const int mdays[] = { 31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
	const char *p = s;
	int	    y, mo, d, h = 0, mi = 0, se = 0, oh = 0, om = 0, sign = 0;

	if (digits(&p, 4, &y) || *p++ != '-' || digits(&p, 2, &mo) ||
	    *p++ != '-' || digits(&p, 2, &d))
		return -1;
	if (mo < 1 || mo > 12 || d < 1 || d > mdays[mo - 1])
		return -1;
	if (mo == 2 && d == 29 && !(y % 4 == 0 && (y % 100 != 0 || y % 400 == 0)))
		return -1;
	if (*p == '\0')
		goto done;
	if (*p != 'T' && *p != 't' && *p != ' ')
		return -1;
	p++;
	if (digits(&p, 2, &h) || *p++ != ':' || digits(&p, 2, &mi) ||
	    *p++ != ':' || digits(&p, 2, &se))
		return -1;
	if (h > 23 || mi > 59 || se > 60)
		return -1;
	if (*p == '.') {
		p++;
		if (*p < '0' || *p > '9')
			return -1;
		while (*p >= '0' && *p <= '9')
			p++;
	}
	if (*p == 'Z' || *p == 'z')
		p++;
	else if (*p == '+' || *p == '-') {
		sign = *p++ == '+' ? 1 : -1;
		if (digits(&p, 2, &oh) || *p++ != ':' || digits(&p, 2, &om) ||
		    oh > 23 || om > 59)
			return -1;
	} else
		return -1;
	if (*p != '\0')
		return -1;
done:
	*out = days_from_civil(y, mo, d) * 86400 + h * 3600 + mi * 60 + se -
	    sign * (oh * 3600 + om * 60);
	return 0;
}

int
time_parse_local(const char *s, int64_t *out)
{
	char   buf[32];
	size_t n = strlen(s);

	/* The date and time of time_parse, without the zone it requires. */
	if ((n != 16 && n != 19) || (s[10] != 'T' && s[10] != 't' &&
	    s[10] != ' ') || strpbrk(s, "Zz+") != NULL ||
	    strchr(s + 10, '-') != NULL)
		return -1;
	snprintf(buf, sizeof(buf), "%s%sZ", s, n == 16 ? ":00" : "");
	return time_parse(buf, out);
}

void
time_format_local(int64_t t, char out[TIME_LOCAL_LEN])
{
	char buf[TIME_RFC3339_LEN];

	time_format(t, buf);
	memcpy(out, buf, TIME_LOCAL_LEN - 1);
	out[TIME_LOCAL_LEN - 1] = '\0';
}
