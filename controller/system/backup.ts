/**
 * A backup of the data directory that is safe to take while the controller runs: the database
 * through SQLite's online backup (a consistent copy, whatever is being written meanwhile; copying
 * the file and its WAL by hand can catch them between two writes), and every other file as it is
 * (audio, keys, secrets). The running controller's lock file is left out, so that the copy starts.
 * Restoring is starting a controller on the copy (TT_DATA_DIR, or moving it into place).
 */
import { cpSync, existsSync, readdirSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import type { Db } from '../db/database.js';
import { LOCK_FILE } from './data-dir-lock.js';

const DATABASE = 'controller.sqlite';
/** The database's own files (copied by the online backup) and the running controller's lock. */
const LEFT_OUT = new Set([DATABASE, `${DATABASE}-wal`, `${DATABASE}-shm`, `${DATABASE}-journal`, LOCK_FILE]);

export class BackupTargetNotEmpty extends Error {}

/** Copies `dataDir` into `out`, which must not exist or be empty (a backup never overwrites one). */
export async function backupDataDir(db: Db, dataDir: string, out: string): Promise<void> {
  const source = resolve(dataDir);
  const target = resolve(out);
  if (existsSync(target) && readdirSync(target).length > 0) throw new BackupTargetNotEmpty(target);
  cpSync(source, target, {
    recursive: true,
    preserveTimestamps: true,
    filter: (path) => !(resolve(path, '..') === source && LEFT_OUT.has(basename(path))),
  });
  await db.backup(join(target, DATABASE));
}
