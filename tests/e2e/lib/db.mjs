// tests/e2e/lib/db.mjs: the database under test, on either backend. With
// ICOMMIT_BACKEND unset (or sqlite) a stack's database is a SQLite file and
// queries go through the sqlite3 CLI; with ICOMMIT_BACKEND=postgres each
// stack gets a fresh database on the cluster that scripts/lib/pg.sh started
// (ICOMMIT_PG_HOST: its socket directory, ICOMMIT_PG_PORT, ICOMMIT_PG_USER:
// the role the daemon and the tests use, ICOMMIT_PG_SUPERUSER: the one that
// creates and drops databases; ICOMMIT_PG_BIN: where psql is) and queries go
// through psql, printing what sqlite3 prints: rows as a|b|c, NULL as
// nothing, and with { json: true } an array of row objects (nothing at all
// for no row).
import { spawn, spawnSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

const BACKENDS = ['sqlite', 'postgres'];

/** 'sqlite' or 'postgres', from ICOMMIT_BACKEND. */
export const backend = (() => {
  const b = process.env.ICOMMIT_BACKEND || 'sqlite';
  if (!BACKENDS.includes(b)) throw new Error(`ICOMMIT_BACKEND must be ${BACKENDS.join(' or ')}, not '${b}'`);
  return b;
})();

export const isPostgresBackend = backend === 'postgres';

/**
 * For the `skip` option of a test that only means something on SQLite
 * (its files, its WAL, PRAGMA integrity_check, sqlite3 backups): false on
 * SQLite, else the reason, which node --test prints.
 */
export const sqliteOnly = (why) => (isPostgresBackend ? `SQLite only: ${why}` : false);

/** Whether db (a stack's dbPath) names a PostgreSQL database. */
export const isPostgres = (db) => typeof db === 'string' && /^postgres(ql)?:\/\//.test(db);

let psqlPath = null;
function psql() {
  if (psqlPath) return psqlPath;
  const dirs = [process.env.ICOMMIT_PG_BIN];
  try {
    dirs.push(...fs.readdirSync('/usr/lib/postgresql')
      .filter((v) => /^\d+$/.test(v))
      .sort((a, b) => Number(b) - Number(a))
      .map((v) => `/usr/lib/postgresql/${v}/bin`));
  } catch {
    // not Debian's layout: PATH
  }
  psqlPath = dirs.filter(Boolean).map((d) => path.join(d, 'psql')).find((f) => fs.existsSync(f)) ?? 'psql';
  return psqlPath;
}

/** The cluster of ICOMMIT_PG_*; throws when they are not set. */
export function pgCluster() {
  const host = process.env.ICOMMIT_PG_HOST;
  const port = process.env.ICOMMIT_PG_PORT;
  if (!host || !port) {
    throw new Error('ICOMMIT_BACKEND=postgres needs ICOMMIT_PG_HOST and ICOMMIT_PG_PORT '
      + '(a cluster of scripts/lib/pg.sh: eval "$(scripts/lib/pg.sh start DIR)")');
  }
  return {
    host,
    port,
    user: process.env.ICOMMIT_PG_USER || 'icommit',
    superuser: process.env.ICOMMIT_PG_SUPERUSER || 'postgres',
  };
}

/**
 * The libpq URI of database name on the cluster: an empty host part and
 * host= naming a directory mean its unix socket there.
 */
export function pgUri(name, cluster = pgCluster()) {
  const v = encodeURIComponent;
  return `postgresql:///${v(name)}?host=${v(cluster.host)}&port=${v(cluster.port)}&user=${v(cluster.user)}`;
}

function runPsql(args, input, { timeoutMs = 30000 } = {}) {
  return spawnSync(psql(), ['-X', '-q', '-v', 'ON_ERROR_STOP=1', ...args],
    { input, encoding: 'utf8', maxBuffer: 64 << 20, timeout: timeoutMs });
}

function asSuperuser(sql) {
  const c = pgCluster();
  const r = runPsql(['-h', c.host, '-p', c.port, '-U', c.superuser, '-d', 'postgres', '-c', sql], '');
  if (r.status !== 0) throw new Error(`psql "${sql}": exit ${r.status ?? r.signal}: ${r.stderr}`);
}

const checkName = (name) => {
  if (!/^[a-z_][a-z0-9_]{0,62}$/.test(name)) throw new Error(`bad database name '${name}'`);
  return name;
};

/** Creates database name, owned by the role the daemon uses; its URI. */
export function createDatabase(name) {
  const c = pgCluster();
  asSuperuser(`CREATE DATABASE ${checkName(name)} OWNER ${c.user}`);
  return pgUri(name, c);
}

/** Drops database name (closing what is still connected to it). */
export function dropDatabase(name) {
  asSuperuser(`DROP DATABASE IF EXISTS ${checkName(name)} WITH (FORCE)`);
}

/**
 * Ends every connection to db (a postgresql:// URI) but the caller's, as a
 * failover or an administrator's pg_terminate_backend would; the number
 * ended.
 */
export function terminateConnections(db) {
  const c = pgCluster();
  const name = checkName(decodeURIComponent(new URL(db).pathname.slice(1)));
  const r = runPsql(['-A', '-t', '-h', c.host, '-p', c.port, '-U', c.superuser, '-d', 'postgres', '-c',
    `SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE datname = '${name}' AND pid <> pg_backend_pid()`], '');
  if (r.status !== 0) throw new Error(`pg_terminate_backend on ${name}: exit ${r.status ?? r.signal}: ${r.stderr}`);
  return Number(r.stdout.trim());
}

/**
 * Runs sql (one or more statements) on db, a SQLite file or a postgresql://
 * URI; returns the trimmed output, throws on an error. json: the rows of
 * the one SELECT in sql as a JSON array (an empty string for no row, as
 * sqlite3 -json prints).
 */
export function query(db, sql, { json = false, timeoutMs = 30000 } = {}) {
  if (!isPostgres(db)) {
    const r = spawnSync('sqlite3', ['-bail', ...(json ? ['-json'] : []), '-cmd', `.timeout ${timeoutMs}`, db],
      { input: sql, encoding: 'utf8', maxBuffer: 64 << 20 });
    if (r.status !== 0) throw new Error(`sqlite3 "${sql.slice(0, 300)}": exit ${r.status}: ${r.stderr}`);
    return r.stdout.trim();
  }
  let input = sql;
  if (json) {
    const select = sql.trim().replace(/;+$/, '');
    input = `SELECT json_agg(icommit_rows) FROM (${select}) AS icommit_rows`;
  }
  const r = runPsql(['-A', '-t', '-F', '|', '-d', db], input, { timeoutMs });
  if (r.status !== 0) throw new Error(`psql "${sql.slice(0, 300)}": exit ${r.status ?? r.signal}: ${r.stderr}`);
  return r.stdout.trim();
}

/**
 * query() without json in a process of its own, for SQL that has to run
 * while the test goes on (a transaction held open, as a node's writer holds
 * its rows): resolves to the trimmed output, rejects on an error.
 */
export function queryAsync(db, sql, { timeoutMs = 30000 } = {}) {
  const [cmd, args] = isPostgres(db)
    ? [psql(), ['-X', '-q', '-v', 'ON_ERROR_STOP=1', '-A', '-t', '-F', '|', '-d', db]]
    : ['sqlite3', ['-bail', '-cmd', `.timeout ${timeoutMs}`, db]];
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { stdio: ['pipe', 'pipe', 'pipe'], timeout: timeoutMs });
    let out = '';
    let err = '';
    child.stdout.on('data', (c) => { out += c; });
    child.stderr.on('data', (c) => { err += c; });
    child.on('error', reject);
    child.on('close', (code, signal) => {
      if (code === 0) resolve(out.trim());
      else reject(new Error(`${path.basename(cmd)} "${sql.slice(0, 300)}": exit ${code ?? signal}: ${err}`));
    });
    child.stdin.end(sql);
  });
}

/**
 * The database's own consistency check: 'ok', or what is wrong. SQLite:
 * PRAGMA integrity_check. PostgreSQL: amcheck (as the superuser, which
 * installs it) over every table (verify_heapam) and every B-tree index
 * (bt_index_check, each heap tuple found in it); an index check that
 * fails throws.
 */
export function integrityCheck(db) {
  if (!isPostgres(db)) return query(db, 'PRAGMA integrity_check;');
  const c = pgCluster();
  const name = decodeURIComponent(new URL(db).pathname.slice(1));
  const sql = `SET client_min_messages = warning;
    CREATE EXTENSION IF NOT EXISTS amcheck;
    DO $$ DECLARE i regclass; BEGIN
      FOR i IN SELECT c.oid FROM pg_class c JOIN pg_am a ON a.oid = c.relam
          WHERE c.relnamespace = current_schema()::regnamespace AND c.relkind = 'i' AND a.amname = 'btree'
      LOOP PERFORM bt_index_check(i, true); END LOOP; END $$;
    SELECT coalesce(string_agg(c.relname || ' block ' || v.blkno || ': ' || v.msg, E'\n'), 'ok')
      FROM pg_class c CROSS JOIN LATERAL verify_heapam(c.oid) v
      WHERE c.relnamespace = current_schema()::regnamespace AND c.relkind = 'r';`;
  const r = runPsql(['-A', '-t', '-h', c.host, '-p', c.port, '-U', c.superuser, '-d', name], sql);
  if (r.status !== 0) throw new Error(`amcheck on ${name}: exit ${r.status ?? r.signal}: ${r.stderr}`);
  return r.stdout.trim();
}

/** An SQL expression: the bytes of a bytea/BLOB column as upper-case hex. */
export const hexOf = (col) => (isPostgresBackend ? `upper(encode(${col}, 'hex'))` : `hex(${col})`);

/** The SHA-256 of text, as lower-case hex. */
export const sha256Hex = (text) => crypto.createHash('sha256').update(text).digest('hex');

/**
 * The key a mailed or session token is stored under (src/token.h), as
 * lower-case hex: the token's first six bytes (the time it was made, in
 * milliseconds) and then the first 26 bytes of its SHA-256.
 */
export const tokenKeyHex = (token) =>
  Buffer.from(token.slice(0, 8), 'base64url').toString('hex') + sha256Hex(token).slice(0, 52);

/** An SQL literal of the bytes written as hex. */
export const bytesLiteral = (hex) => (isPostgresBackend ? `'\\x${hex}'::bytea` : `X'${hex}'`);

/** An SQL condition: the UTF-8 bytes of s occur in the bytea/BLOB column. */
export const bytesContain = (col, s) => (isPostgresBackend
  ? `position(convert_to(${sqlText(s)}, 'UTF8') IN ${col}) > 0`
  : `instr(CAST(${col} AS TEXT), ${sqlText(s)}) > 0`);

/** An SQL literal of a string with its exact UTF-8 bytes (any control character but NUL). */
export function sqlText(s) {
  if (s === null || s === undefined) return 'NULL';
  const hex = Buffer.from(String(s), 'utf8').toString('hex');
  return isPostgresBackend ? `convert_from('\\x${hex}'::bytea, 'UTF8')` : `CAST(X'${hex}' AS TEXT)`;
}
