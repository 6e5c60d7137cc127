// Deploys the forwarder: bundle → upload dist/lambda.zip to S3 (content-addressed key) → create or update the
// CloudFormation stack of infra/template.yaml → print the outputs the miner needs. `--dry-run` makes no AWS call.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  CloudFormationClient,
  CreateStackCommand,
  DescribeStacksCommand,
  UpdateStackCommand,
} from '@aws-sdk/client-cloudformation';
import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { Command } from 'commander';
import { parse } from 'yaml';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

const program = new Command('deploy')
  .description('Deploy the Dojo TS MTurk → SNS → Lambda forwarder with CloudFormation')
  .requiredOption('--target-url <url>', 'miner callback URL, http://<ip>:<api.port>/api/human_feedback/callback')
  .requiredOption('--bucket <name>', 'S3 bucket for the Lambda zip (same region as the stack)')
  .option('--stack-name <name>', 'CloudFormation stack name', 'dojo-mturk-forwarder')
  .option('--environment <env>', 'MTurk environment: production | sandbox', 'production')
  .option('--region <region>', 'AWS region (MTurk lives in us-east-1)', 'us-east-1')
  .option('--miner-user-arn <arn>', 'IAM user of the miner; creates the read-only verification role', '')
  .option('--dry-run', 'print what would be done and exit without calling AWS', false)
  .parse();

const opts = program.opts<{
  targetUrl: string;
  bucket: string;
  stackName: string;
  environment: string;
  region: string;
  minerUserArn: string;
  dryRun: boolean;
}>();

if (!['production', 'sandbox'].includes(opts.environment)) {
  console.error(`--environment must be production or sandbox, got ${opts.environment}`);
  process.exit(2);
}
if (!/^https?:\/\/.+\/api\/human_feedback\/callback$/.test(opts.targetUrl)) {
  console.error('--target-url must end with /api/human_feedback/callback');
  process.exit(2);
}

execFileSync(process.execPath, ['--conditions=source', '--import', 'tsx', join(root, 'scripts', 'bundle.ts')], {
  stdio: 'inherit',
});
const zip = await readFile(join(root, 'dist', 'lambda.zip'));
const key = `dojo-ts/lambda-forwarder/${createHash('sha256').update(zip).digest('hex').slice(0, 16)}.zip`;
const templateBody = await readFile(join(root, 'infra', 'template.yaml'), 'utf8');
const template = parse(templateBody) as { Resources: Record<string, { Type: string }> };
const parameters = [
  { ParameterKey: 'TargetUrl', ParameterValue: opts.targetUrl },
  { ParameterKey: 'MTurkEnvironment', ParameterValue: opts.environment },
  { ParameterKey: 'CodeBucket', ParameterValue: opts.bucket },
  { ParameterKey: 'CodeKey', ParameterValue: key },
  { ParameterKey: 'MinerUserArn', ParameterValue: opts.minerUserArn },
];

console.log(`plan for stack ${opts.stackName} in ${opts.region}:`);
console.log(`  upload   s3://${opts.bucket}/${key} (${(zip.length / 1024).toFixed(1)} KiB)`);
console.log(`  stack    create or update with CAPABILITY_IAM; resources:`);
for (const [name, r] of Object.entries(template.Resources)) console.log(`           ${name.padEnd(20)} ${r.Type}`);
console.log('  params   ' + parameters.map((p) => `${p.ParameterKey}=${p.ParameterValue || "''"}`).join(' '));
if (opts.dryRun) {
  console.log('dry run: no AWS call made');
  process.exit(0);
}

const s3 = new S3Client({ region: opts.region });
await s3.send(new PutObjectCommand({ Bucket: opts.bucket, Key: key, Body: zip, ContentType: 'application/zip' }));
const cfn = new CloudFormationClient({ region: opts.region });
const exists = await cfn
  .send(new DescribeStacksCommand({ StackName: opts.stackName }))
  .then((out) => (out.Stacks?.length ?? 0) > 0)
  .catch(() => false);
const input = {
  StackName: opts.stackName,
  TemplateBody: templateBody,
  Parameters: parameters,
  Capabilities: ['CAPABILITY_IAM' as const],
};
try {
  await cfn.send(exists ? new UpdateStackCommand(input) : new CreateStackCommand(input));
} catch (err) {
  if (/No updates are to be performed/.test(String(err))) console.log('stack already up to date');
  else throw err;
}
for (let i = 0; i < 120; i++) {
  const stack = (await cfn.send(new DescribeStacksCommand({ StackName: opts.stackName }))).Stacks?.[0];
  const status = stack?.StackStatus ?? 'UNKNOWN';
  if (status.endsWith('_COMPLETE') || status.endsWith('_FAILED')) {
    console.log(`stack ${status}`);
    for (const o of stack?.Outputs ?? []) console.log(`  ${o.OutputKey} = ${o.OutputValue}`);
    process.exit(status === 'CREATE_COMPLETE' || status === 'UPDATE_COMPLETE' ? 0 : 1);
  }
  await new Promise((r) => setTimeout(r, 5000));
}
console.error('timed out waiting for the stack');
process.exit(1);
