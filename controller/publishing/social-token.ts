/**
 * The fanpage's and the Zalo OA's access tokens, kept like the controller's other secrets: in a
 * file (mode 0600, outside the config) or an environment variable, never in the config text.
 * The file is read again at every attempt, so a token renewed by hand (or by a script that
 * refreshes the Zalo token) is used from the next retry on, without a restart.
 */
import { existsSync, readFileSync } from 'node:fs';

export interface TokenSource {
  /** The token now, or null when none is set. */
  read(): string | null;
  /** Where a person puts it (a file path or an environment variable), for the error messages. */
  readonly where: string;
}

export function tokenSource(envName: string, file: string | null, env: NodeJS.ProcessEnv = process.env): TokenSource {
  return {
    where: file ? `${file} (${envName})` : envName,
    read() {
      const fromEnv = env[envName]?.trim();
      if (fromEnv) return fromEnv;
      if (!file || !existsSync(file)) return null;
      return readFileSync(file, 'utf8').trim() || null;
    },
  };
}

/**
 * Takes a token out of text that may hold it (a platform's error page that echoes the request,
 * a URL): whatever is stored or logged goes through here.
 */
export function scrub(text: string, token: string | null): string {
  let out = text.replace(/(access_token["']?\s*[=:]\s*["']?)[^&\s"',}]+/gi, '$1[hidden]');
  if (token && token.length >= 4) out = out.split(token).join('[hidden]');
  return out;
}
