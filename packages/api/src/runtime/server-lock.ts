import { readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';

/**
 * `server.json` in the data folder says a server has this PGlite database open.
 * PGlite allows one process per folder, so the CLI talks to that server over
 * HTTP instead of opening the folder a second time.
 */
export interface ServerLock {
  pid: number;
  url: string;
}

const lockPath = (dataDir: string) => path.join(dataDir, 'server.json');

export async function writeServerLock(dataDir: string, lock: ServerLock): Promise<void> {
  await writeFile(lockPath(dataDir), JSON.stringify(lock));
}

export async function removeServerLock(dataDir: string): Promise<void> {
  await rm(lockPath(dataDir), { force: true });
}

/** The running server's lock, or null when there is none or its process is gone. */
export async function readLiveServerLock(dataDir: string): Promise<ServerLock | null> {
  try {
    const lock = JSON.parse(await readFile(lockPath(dataDir), 'utf8')) as ServerLock;
    process.kill(lock.pid, 0);
    return lock;
  } catch {
    return null;
  }
}
