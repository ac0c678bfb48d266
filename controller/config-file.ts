/**
 * Which configuration file the controller reads, and so which one every tool beside it reads
 * (the admin CLI, enrolment, the simulator): --config, else TT_CONFIG, else config/commune.yaml
 * when it exists, else the example. One rule, so a tool never talks to a controller that the
 * controller is not.
 */
import { existsSync } from 'node:fs';

export function configFilePath(flag: string | undefined, env: NodeJS.ProcessEnv = process.env): string {
  return (
    flag ?? env.TT_CONFIG ?? (existsSync('config/commune.yaml') ? 'config/commune.yaml' : 'config/commune.example.yaml')
  );
}
