/**
 * A file that will hold a secret (a receiver's agent config), written all at once: opened as a
 * hidden draft beside its final name before the secret exists (so a folder we cannot write to is
 * found before anything is enrolled), then either committed (written, synced, renamed into place:
 * a reader or a crash sees the whole file or none) or discarded. Mode 0600 from the first byte,
 * so the secret is never readable by others, whatever the umask.
 */
import { closeSync, fchmodSync, fsyncSync, openSync, renameSync, rmSync, writeSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';

export class PrivateFileDraft {
  private fd: number | null;

  private constructor(
    readonly file: string,
    private readonly draft: string,
    fd: number,
  ) {
    this.fd = fd;
  }

  /** Throws (EACCES, ENOENT, …) when the folder cannot take the file. */
  static open(file: string): PrivateFileDraft {
    const draft = join(dirname(file), `.${basename(file)}.${process.pid}.draft`);
    const fd = openSync(draft, 'wx', 0o600);
    fchmodSync(fd, 0o600);
    return new PrivateFileDraft(file, draft, fd);
  }

  commit(text: string): void {
    const fd = this.takeFd();
    let open = true;
    try {
      writeSync(fd, text);
      fsyncSync(fd);
      closeSync(fd);
      open = false;
      renameSync(this.draft, this.file);
    } catch (err) {
      if (open) closeSync(fd);
      rmSync(this.draft, { force: true });
      throw err;
    }
  }

  /** Removes the draft; safe to call after commit or twice. */
  discard(): void {
    if (this.fd === null) return;
    closeSync(this.takeFd());
    rmSync(this.draft, { force: true });
  }

  private takeFd(): number {
    if (this.fd === null) throw new Error(`${this.file}: draft already closed`);
    const fd = this.fd;
    this.fd = null;
    return fd;
  }
}
