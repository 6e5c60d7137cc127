import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';

type Statement = { Effect: string; Action: string | string[]; Resource?: unknown; Principal?: unknown };
type Resource = { Type: string; Properties: Record<string, unknown>; Condition?: string };
const template = parse(readFileSync(join(import.meta.dirname, '..', 'infra', 'template.yaml'), 'utf8')) as {
  Parameters: Record<string, unknown>;
  Resources: Record<string, Resource>;
  Outputs: Record<string, { Value: unknown }>;
};
const actions = (s: Statement) => (Array.isArray(s.Action) ? s.Action : [s.Action]);
const statements = (role: Resource) =>
  (role.Properties['Policies'] as Array<{ PolicyDocument: { Statement: Statement[] } }>).flatMap(
    (p) => p.PolicyDocument.Statement,
  );

/** Every Ref / GetAtt / ${X} in the template names a parameter, a resource or a pseudo parameter. */
function references(node: unknown, out: string[] = []): string[] {
  if (Array.isArray(node)) for (const n of node) references(n, out);
  else if (node && typeof node === 'object') {
    for (const [k, v] of Object.entries(node)) {
      if (k === 'Ref' && typeof v === 'string') out.push(v);
      else if (k === 'Fn::GetAtt' && Array.isArray(v)) out.push(String(v[0]));
      else if (k === 'Fn::Sub' && typeof v === 'string') for (const m of v.matchAll(/\$\{([^}.]+)/g)) out.push(m[1]!);
      else references(v, out);
    }
  }
  return out;
}

describe('infrastructure template', () => {
  it('references only defined parameters, resources and pseudo parameters', () => {
    const known = new Set([...Object.keys(template.Parameters), ...Object.keys(template.Resources)]);
    const unknown = references(template).filter((r) => !r.startsWith('AWS::') && !known.has(r));
    expect(unknown).toEqual([]);
  });

  it('lets only the MTurk service publish to the topic', () => {
    const policy = template.Resources['TopicPolicy']!.Properties['PolicyDocument'] as { Statement: Statement[] };
    expect(policy.Statement).toEqual([
      expect.objectContaining({ Principal: { Service: 'mturk-requester.amazonaws.com' }, Action: 'SNS:Publish' }),
    ]);
  });

  it('gives the forwarder role least privilege: logs, ListAssignmentsForHIT, and its own secret', () => {
    const granted = statements(template.Resources['ForwarderRole']!).flatMap(actions).sort();
    expect(granted).toEqual([
      'logs:CreateLogStream',
      'logs:PutLogEvents',
      'mechanicalturk:ListAssignmentsForHIT',
      'secretsmanager:GetSecretValue',
    ]);
    const secretStatement = statements(template.Resources['ForwarderRole']!).find((s) =>
      actions(s).includes('secretsmanager:GetSecretValue'),
    );
    expect(secretStatement?.Resource).toEqual({ Ref: 'CallbackSecret' });
  });

  it('wires SNS to the function and reads the secret from Secrets Manager, never from a parameter', () => {
    const fn = template.Resources['Forwarder']!;
    expect(fn.Properties['Runtime']).toBe('nodejs20.x');
    expect(fn.Properties['Handler']).toBe('index.handler');
    const vars = (fn.Properties['Environment'] as { Variables: Record<string, unknown> }).Variables;
    // biome-ignore lint/suspicious/noTemplateCurlyInString: CloudFormation Fn::Sub syntax, not a JS template
    expect(vars['DOJO_CALLBACK_SECRET_SOURCE']).toEqual({ 'Fn::Sub': 'secretsmanager:${CallbackSecret}' });
    expect(Object.keys(template.Parameters)).not.toContain('CallbackSecret');
    expect(template.Resources['Subscription']!.Properties).toMatchObject({
      Protocol: 'lambda',
      TopicArn: { Ref: 'Topic' },
    });
    expect(template.Resources['SnsInvokePermission']!.Properties).toMatchObject({ Principal: 'sns.amazonaws.com' });
  });

  it('creates the validator verification role only with a miner user, limited to GetHIT and ListAssignmentsForHIT', () => {
    const role = template.Resources['VerificationRole']!;
    expect(role.Condition).toBe('HasMinerUser');
    expect(statements(role).flatMap(actions).sort()).toEqual([
      'mechanicalturk:GetHIT',
      'mechanicalturk:ListAssignmentsForHIT',
    ]);
  });
});
