/**
 * `npm run enrol -- --id rx-thon-3-cho --hamlet thon-3 --name "Cụm loa chợ thôn Nam" [--out agent.json]`
 * enrols a receiver through the running controller's API and writes its agent config, mode 0600,
 * only when enrolment succeeded (exit 0). Otherwise it says why in both languages, leaves no file
 * and exits 1 (the controller refused or cannot be reached) or 2 (wrong usage, --out taken).
 * `--existing` enrols a receiver that already exists (POST /api/receivers/{id}/enrol: listed in
 * the config, or enrolled before, whose old secret then stops working).
 */
import { existsSync, readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { configFilePath } from '../config-file.js';
import { agentConfigSchema } from '../protocol/agent-config.js';
import { loadSettings } from '../settings.js';
import { PrivateFileDraft } from '../system/private-file.js';
import {
  ControllerApi,
  explainToolError,
  inBothLanguages,
  localApiUrl,
  readToken,
  ToolError,
} from './controller-api.js';

interface Enrolment {
  receiver: { id: string; hamlet_id: string };
  agent_config: unknown;
}

async function main(): Promise<void> {
  let values;
  try {
    ({ values } = parseArgs({
      options: {
        id: { type: 'string' },
        hamlet: { type: 'string' },
        name: { type: 'string' },
        existing: { type: 'boolean' },
        out: { type: 'string', default: 'agent.json' },
        force: { type: 'boolean' },
        url: { type: 'string' },
        config: { type: 'string' },
        'token-file': { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    }));
  } catch (err) {
    throw new ToolError('cli_failed', { detail: (err as Error).message }, 2);
  }
  if (values.help) {
    console.log(inBothLanguages('cli_enrol_usage'));
    return;
  }
  const required = (option: string, value: string | undefined) => value ?? fail(option);
  const id = required('--id', values.id);
  const body = values.existing
    ? undefined
    : { id, hamlet_id: required('--hamlet', values.hamlet), name: required('--name', values.name) };
  const out = values.out!;
  const token = readToken(values['token-file']);
  const configPath = configFilePath(values.config);
  const settings = loadSettings(configPath);
  const api = new ControllerApi({
    url: values.url ?? localApiUrl(settings),
    token,
    configPath,
    ca: settings.tls_ca_file ? readFileSync(settings.tls_ca_file, 'utf8') : undefined,
  });

  // Before anything is enrolled: a secret handed out with nowhere to keep it would be lost.
  if (existsSync(out) && !values.force) throw new ToolError('cli_enrol_out_exists', { file: out }, 2);
  let draft: PrivateFileDraft;
  try {
    draft = PrivateFileDraft.open(out);
  } catch (err) {
    throw new ToolError(
      'cli_enrol_out_unwritable',
      { file: out, detail: (err as NodeJS.ErrnoException).code ?? (err as Error).message },
      2,
    );
  }
  const discard = () => draft.discard();
  process.once('SIGINT', () => {
    discard();
    process.exit(130);
  });
  try {
    const answer = await enrol(api, id, body);
    // Checked as the agent will read it, and kept as the controller wrote it (a newer controller's fields included).
    agentConfigSchema.parse(answer.agent_config);
    draft.commit(`${JSON.stringify(answer.agent_config, null, 2)}\n`);
    // The hamlet by its name, as people know it; its id if the token may not read hamlets.
    const hamlet = await api
      .request<{ name: string }>('GET', `/api/hamlets/${encodeURIComponent(answer.receiver.hamlet_id)}`)
      .then((h) => h.name)
      .catch(() => answer.receiver.hamlet_id);
    console.log(inBothLanguages('cli_enrol_written', { id: answer.receiver.id, hamlet, file: out }));
  } finally {
    discard();
  }
}

async function enrol(
  api: ControllerApi,
  id: string,
  body: { id: string; hamlet_id: string; name: string } | undefined,
): Promise<Enrolment> {
  if (!body) return api.request<Enrolment>('POST', `/api/receivers/${encodeURIComponent(id)}/enrol`);
  try {
    return await api.request<Enrolment>('POST', '/api/receivers', body);
  } catch (err) {
    // The id is taken: say what the controller said, and how to enrol that receiver if it is the one meant.
    if (err instanceof ToolError && err.params.status === 409)
      throw new ToolError(err.key, err.params, err.exitCode, 'cli_enrol_exists_hint');
    throw err;
  }
}

function fail(option: string): never {
  throw new ToolError('cli_option_missing', { option }, 2);
}

try {
  await main();
} catch (err) {
  console.error(explainToolError(err));
  process.exit(err instanceof ToolError ? err.exitCode : 1);
}
