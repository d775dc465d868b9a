/*
 * db_sqlite_vfs.c: the VFS every SQLite connection of icommit opens with
 * (see db_sqlite.h): the system's ("unix"), except that the frames a
 * transaction appends to the WAL reach the file in one write instead of
 * two each.
 *
 * SQLite writes a WAL frame as its 24-byte header, then its page: with
 * 1 KiB pages a batch of pledges is some 120 frames, 240 pwrite(2)s on
 * the writer's path, a quarter of its time under load (docs/performance.md,
 * session 6). Here the writes that follow one another in the WAL gather
 * in a buffer, written at the end of the transaction's commit frame (its
 * header has the database size after the commit, bytes 4-7, not zero),
 * or when anything else touches the file (a read, a sync, a truncation,
 * its size, a write elsewhere, a file control, the close). So:
 *
 * - No one can read a frame that is not in the file: SQLite publishes a
 *   commit (the wal-index header other connections read) only after its
 *   commit frame's write returned, which wrote everything before it; a
 *   frame spilled before the commit is published by no one, and the
 *   connection's own reads of it write the buffer first.
 * - A failed write fails the commit that needed it, as it would have
 *   without the buffer: the commit frame's xWrite returns the error.
 * - What is durable is unchanged: the commit's sync (or the writer's
 *   deferred fdatasync of the WAL) comes after the write.
 *
 * Frames are found by their offsets (32-byte WAL header, then frames of
 * 24 + page size bytes; the page size from the WAL header), whatever
 * sizes SQLite writes them in; until the page size is known, and for any
 * file that is not a WAL, the system's VFS does everything itself.
 */
#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "db_sqlite.h"

#define WAL_HEADER	32	/* the file's header */
#define FRAME_HEADER	24	/* each frame's */
/* At most this much is gathered (larger writes go straight through): the
 * system's VFS writes less than 128 KiB in one call (unix's
 * seekAndWriteFd), and one write of 64 KiB holds a batch of some 30
 * pledges. */
#define GATHER_MAX	(64 * 1024)

/* A WAL file: our methods, then the system's file at REAL_AT. */
struct wal_file {
	sqlite3_file	 base;
	sqlite3_file	*real;
	unsigned char	*buf;		/* GATHER_MAX bytes once used */
	size_t		 len;		/* bytes gathered */
	sqlite3_int64	 at;		/* the file offset of buf[0] */
	sqlite3_int64	 commit_end;	/* write out once buf reaches it; 0 */
	uint32_t	 page;		/* the WAL's page size; 0: unknown */
};

#define REAL_AT ((sizeof(struct wal_file) + 15) & ~(size_t)15)

static sqlite3_vfs   *sys;
static sqlite3_vfs    vfs;
static atomic_ulong   wal_writes;	/* db_sqlite_vfs_wal_writes */

static uint32_t
get32(const unsigned char *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
	    (uint32_t)p[2] << 8 | p[3];
}

/* Writes n bytes of data at off through, noting that a commit frame
 * that ends there has been written. */
static int
write_through(struct wal_file *w, const void *data, int n, sqlite3_int64 off)
{
	if (w->commit_end != 0 && w->commit_end <= off + n)
		w->commit_end = 0;
	atomic_fetch_add_explicit(&wal_writes, 1, memory_order_relaxed);
	return w->real->pMethods->xWrite(w->real, data, n, off);
}

/* Writes out what w gathered. */
static int
wal_flush(struct wal_file *w)
{
	size_t len = w->len;

	if (len == 0)
		return SQLITE_OK;
	w->len = 0;
	return write_through(w, w->buf, (int)len, w->at);
}

/* The page size in a WAL header (a power of two, 512-65536), or 0. */
static uint32_t
header_page(const unsigned char *h)
{
	uint32_t p = get32(h + 8);

	if (p == 1)
		return 65536;
	return p >= 512 && p <= 32768 && (p & (p - 1)) == 0 ? p : 0;
}

/* Whether offset off falls inside a frame header (not at its start). */
static bool
inside_header(const struct wal_file *w, sqlite3_int64 off)
{
	sqlite3_int64 in = (off - WAL_HEADER) % (FRAME_HEADER + w->page);

	return off > WAL_HEADER && in > 0 && in < FRAME_HEADER;
}

/* Notes where the commit frames among data (n bytes at off, which holds
 * every frame header it touches whole) end. */
static void
note_frames(struct wal_file *w, const unsigned char *data, int n,
    sqlite3_int64 off)
{
	sqlite3_int64 frame = FRAME_HEADER + (sqlite3_int64)w->page;
	sqlite3_int64 k = off < WAL_HEADER ? 0 :
	    (off - WAL_HEADER + frame - 1) / frame;

	for (;; k++) {
		sqlite3_int64 start = WAL_HEADER + k * frame;

		if (start + FRAME_HEADER > off + n)
			break;
		if (get32(data + (start - off) + 4) != 0)
			w->commit_end = start + frame;
	}
}

static int
wal_write(sqlite3_file *f, const void *data, int n, sqlite3_int64 off)
{
	struct wal_file *w = (struct wal_file *)f;
	int		 rc;

	if (off == 0 && n >= WAL_HEADER)
		w->page = header_page(data);
	/* A frame header cut between two writes could hide a commit: then
	 * this file is written through from now on. */
	if (w->page != 0 && (inside_header(w, off) ||
	    inside_header(w, off + n)))
		w->page = 0;
	if (w->page == 0 || n > GATHER_MAX) {
		if ((rc = wal_flush(w)) != SQLITE_OK)
			return rc;
		return write_through(w, data, n, off);
	}
	if (w->len > 0 && (off != w->at + (sqlite3_int64)w->len ||
	    w->len + (size_t)n > GATHER_MAX) && (rc = wal_flush(w)) !=
	    SQLITE_OK)
		return rc;
	if (w->buf == NULL && (w->buf = malloc(GATHER_MAX)) == NULL)
		return write_through(w, data, n, off);
	if (w->len == 0)
		w->at = off;
	memcpy(w->buf + w->len, data, (size_t)n);
	w->len += (size_t)n;
	note_frames(w, data, n, off);
	if (w->commit_end != 0 && w->at + (sqlite3_int64)w->len >= w->commit_end)
		return wal_flush(w);
	return SQLITE_OK;
}

static int
wal_close(sqlite3_file *f)
{
	struct wal_file *w = (struct wal_file *)f;
	int		 rc = wal_flush(w), rc2;

	free(w->buf);
	w->buf = NULL;
	rc2 = w->real->pMethods->xClose(w->real);
	return rc != SQLITE_OK ? rc : rc2;
}

static int
wal_read(sqlite3_file *f, void *out, int n, sqlite3_int64 off)
{
	struct wal_file *w = (struct wal_file *)f;
	int		 rc = wal_flush(w);

	return rc != SQLITE_OK ? rc :
	    w->real->pMethods->xRead(w->real, out, n, off);
}

static int
wal_truncate(sqlite3_file *f, sqlite3_int64 size)
{
	struct wal_file *w = (struct wal_file *)f;
	int		 rc = wal_flush(w);

	return rc != SQLITE_OK ? rc :
	    w->real->pMethods->xTruncate(w->real, size);
}

static int
wal_sync(sqlite3_file *f, int flags)
{
	struct wal_file *w = (struct wal_file *)f;
	int		 rc = wal_flush(w);

	return rc != SQLITE_OK ? rc : w->real->pMethods->xSync(w->real, flags);
}

static int
wal_size(sqlite3_file *f, sqlite3_int64 *size)
{
	struct wal_file *w = (struct wal_file *)f;
	int		 rc = wal_flush(w);

	return rc != SQLITE_OK ? rc :
	    w->real->pMethods->xFileSize(w->real, size);
}

static int
wal_lock(sqlite3_file *f, int lock)
{
	struct wal_file *w = (struct wal_file *)f;

	return w->real->pMethods->xLock(w->real, lock);
}

static int
wal_unlock(sqlite3_file *f, int lock)
{
	struct wal_file *w = (struct wal_file *)f;

	return w->real->pMethods->xUnlock(w->real, lock);
}

static int
wal_reserved(sqlite3_file *f, int *out)
{
	struct wal_file *w = (struct wal_file *)f;

	return w->real->pMethods->xCheckReservedLock(w->real, out);
}

static int
wal_control(sqlite3_file *f, int op, void *arg)
{
	struct wal_file *w = (struct wal_file *)f;
	int		 rc = wal_flush(w);

	return rc != SQLITE_OK ? rc :
	    w->real->pMethods->xFileControl(w->real, op, arg);
}

static int
wal_sector(sqlite3_file *f)
{
	struct wal_file *w = (struct wal_file *)f;

	return w->real->pMethods->xSectorSize(w->real);
}

static int
wal_device(sqlite3_file *f)
{
	struct wal_file *w = (struct wal_file *)f;

	return w->real->pMethods->xDeviceCharacteristics(w->real);
}

/* Version 1: a WAL file is never mapped and has no shared memory. */
static const sqlite3_io_methods wal_methods = {
	.iVersion = 1,
	.xClose = wal_close,
	.xRead = wal_read,
	.xWrite = wal_write,
	.xTruncate = wal_truncate,
	.xSync = wal_sync,
	.xFileSize = wal_size,
	.xLock = wal_lock,
	.xUnlock = wal_unlock,
	.xCheckReservedLock = wal_reserved,
	.xFileControl = wal_control,
	.xSectorSize = wal_sector,
	.xDeviceCharacteristics = wal_device,
};

static int
vfs_open(sqlite3_vfs *v, sqlite3_filename name, sqlite3_file *f, int flags,
    int *out)
{
	struct wal_file *w = (struct wal_file *)f;
	unsigned char	 h[WAL_HEADER];
	sqlite3_int64	 size = 0;
	int		 rc;

	(void)v;
	/* Anything but a WAL: the system's file itself, at f. */
	if (!(flags & SQLITE_OPEN_WAL))
		return sys->xOpen(sys, name, f, flags, out);
	memset(w, 0, sizeof(*w));
	w->real = (sqlite3_file *)((char *)f + REAL_AT);
	if ((rc = sys->xOpen(sys, name, w->real, flags, out)) != SQLITE_OK)
		return rc;	/* f->pMethods stays NULL: no close */
	f->pMethods = &wal_methods;
	/* A WAL that has frames already keeps its header (and page size). */
	if (w->real->pMethods->xFileSize(w->real, &size) == SQLITE_OK &&
	    size >= WAL_HEADER && w->real->pMethods->xRead(w->real, h,
	    WAL_HEADER, 0) == SQLITE_OK)
		w->page = header_page(h);
	return SQLITE_OK;
}

/* The rest is the system's. */
static int
vfs_delete(sqlite3_vfs *v, const char *name, int sync)
{
	(void)v;
	return sys->xDelete(sys, name, sync);
}

static int
vfs_access(sqlite3_vfs *v, const char *name, int flags, int *out)
{
	(void)v;
	return sys->xAccess(sys, name, flags, out);
}

static int
vfs_full_path(sqlite3_vfs *v, const char *name, int n, char *out)
{
	(void)v;
	return sys->xFullPathname(sys, name, n, out);
}

static void *
vfs_dl_open(sqlite3_vfs *v, const char *name)
{
	(void)v;
	return sys->xDlOpen(sys, name);
}

static void
vfs_dl_error(sqlite3_vfs *v, int n, char *out)
{
	(void)v;
	sys->xDlError(sys, n, out);
}

static void (*vfs_dl_sym(sqlite3_vfs *v, void *lib, const char *sym))(void)
{
	(void)v;
	return sys->xDlSym(sys, lib, sym);
}

static void
vfs_dl_close(sqlite3_vfs *v, void *lib)
{
	(void)v;
	sys->xDlClose(sys, lib);
}

static int
vfs_random(sqlite3_vfs *v, int n, char *out)
{
	(void)v;
	return sys->xRandomness(sys, n, out);
}

static int
vfs_sleep(sqlite3_vfs *v, int us)
{
	(void)v;
	return sys->xSleep(sys, us);
}

static int
vfs_time(sqlite3_vfs *v, double *out)
{
	(void)v;
	return sys->xCurrentTime(sys, out);
}

static int
vfs_last_error(sqlite3_vfs *v, int n, char *out)
{
	(void)v;
	return sys->xGetLastError(sys, n, out);
}

static int
vfs_time64(sqlite3_vfs *v, sqlite3_int64 *out)
{
	(void)v;
	return sys->xCurrentTimeInt64(sys, out);
}

static bool registered;

static void
vfs_register(void)
{
	if ((sys = sqlite3_vfs_find(NULL)) == NULL || sys->iVersion < 2)
		return;
	vfs = (sqlite3_vfs){
		.iVersion = 2,
		.szOsFile = (int)REAL_AT + sys->szOsFile,
		.mxPathname = sys->mxPathname,
		.zName = DB_SQLITE_VFS,
		.xOpen = vfs_open,
		.xDelete = vfs_delete,
		.xAccess = vfs_access,
		.xFullPathname = vfs_full_path,
		.xDlOpen = vfs_dl_open,
		.xDlError = vfs_dl_error,
		.xDlSym = vfs_dl_sym,
		.xDlClose = vfs_dl_close,
		.xRandomness = vfs_random,
		.xSleep = vfs_sleep,
		.xCurrentTime = vfs_time,
		.xGetLastError = vfs_last_error,
		.xCurrentTimeInt64 = vfs_time64,
	};
	registered = sqlite3_vfs_register(&vfs, 0) == SQLITE_OK;
}

const char *
db_sqlite_vfs(void)
{
	static pthread_once_t once = PTHREAD_ONCE_INIT;

	pthread_once(&once, vfs_register);
	return registered ? DB_SQLITE_VFS : NULL;
}

unsigned long
db_sqlite_vfs_wal_writes(void)
{
	return atomic_load_explicit(&wal_writes, memory_order_relaxed);
}
