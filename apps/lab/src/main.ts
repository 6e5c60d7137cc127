// The dojo-lab CLI: the only file that reads argv (lab.md §2).

import { DojoError } from '@dojo-ts/protocol';
import { Command } from 'commander';
import { runLab, STEPS, type StepName } from './run/runner.js';

const program = new Command('dojo-lab').description(
  'YAML experiments on Dojo TS scoring (model → data → query → analysis)',
);
program
  .command('run')
  .argument('[config]', 'YAML experiment file')
  .option('--config <path>', 'YAML experiment file')
  .option('--offline', 'W&B offline mode (no effect while W&B is disabled)', false)
  .option('--job_type <str>', 'W&B job type', 'default')
  .option('--group <str>', 'W&B group', 'default')
  .option('--profile', 'CPU-profile the run (profile.cpuprofile in the run folder)', false)
  .option('--force', 'rerun steps whose cached artifact exists', false)
  .option('--steps <list>', `comma-separated subset of ${STEPS.join(',')}`)
  .option('--output-dir <dir>', 'parent folder of run folders (overrides output.dir)')
  .action(async (positional: string | undefined, opts: Record<string, string | boolean | undefined>) => {
    const configPath = (opts.config as string | undefined) ?? positional;
    if (!configPath) {
      console.error('dojo-lab run: a config file is required (dojo-lab run <config.yml>)');
      process.exitCode = 2;
      return;
    }
    const steps =
      typeof opts.steps === 'string' ? (opts.steps.split(',').map((s) => s.trim()) as StepName[]) : undefined;
    const r = await runLab({
      configPath,
      offline: Boolean(opts.offline),
      profile: Boolean(opts.profile),
      force: Boolean(opts.force),
      ...(steps ? { steps } : {}),
      ...(typeof opts.outputDir === 'string' ? { outputDir: opts.outputDir } : {}),
      jobType: opts.job_type as string,
      group: opts.group as string,
    });
    for (const s of r.steps)
      console.log(`${s.step.padEnd(9)} ${s.id.padEnd(28)} ${s.status.padEnd(8)} ${s.seconds.toFixed(3)} s`);
    console.log(`run folder: ${r.runDir}`);
    console.log(`report:     ${r.reportPath}`);
  });

program.parseAsync(process.argv).catch((err: unknown) => {
  if (err instanceof DojoError) console.error(`${err.code}: ${err.message}`);
  else console.error(err);
  process.exitCode = 1;
});
