/**
 * Coldkey password from the environment (§12.4): `BT_COLD_PW_<NAME>` (bittensor v7, plain text) or `BT_PW_<PATH>`
 * (btwallet: base64 of the password XOR-ed with the variable name's bytes).
 * @param walletName - wallet name (upper-cased, `-` → `_` for the v7 variable).
 * @param coldkeyPath - absolute coldkey path (separators and dots → `_`, upper-cased, for the btwallet variable).
 * @param env - environment (default `process.env`).
 * @returns the password, or null when neither variable is set.
 */
export function coldkeyPasswordFromEnv(
  walletName: string,
  coldkeyPath: string,
  env: NodeJS.ProcessEnv = process.env,
): string | null {
  const v7 = env[`BT_COLD_PW_${walletName.toUpperCase().replaceAll('-', '_')}`];
  if (v7 !== undefined && v7 !== '') return v7;
  const name = `BT_PW_${coldkeyPath.replace(/[/\\.]/g, '_').toUpperCase()}`;
  const encoded = env[name];
  if (encoded === undefined || encoded === '') return null;
  const key = Buffer.from(name, 'utf8');
  const bytes = Buffer.from(encoded, 'base64');
  for (let i = 0; i < bytes.length; i++) bytes[i] = (bytes[i] ?? 0) ^ (key[i % key.length] ?? 0);
  return bytes.toString('utf8');
}
