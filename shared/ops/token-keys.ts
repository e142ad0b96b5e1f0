import { generateSigningKey, publicJwks, type SigningJwk } from '../auth/signing-keys.ts';

/**
 * The first token key pair of a deployment: CDK creates both secrets with a placeholder (it cannot
 * make EC keys), and the migration function, on its first run, generates the pair and writes the
 * private key to `JWT_SIGNING_KEY_SECRET_ARN` and the JWKS to `JWT_PUBLIC_KEYS_SECRET_ARN`. Later
 * runs leave existing keys alone (rotation: docs/AUTHORIZATION.md). Returns the kid in use.
 */
export async function ensureTokenKeys(): Promise<string | undefined> {
  const signingArn = process.env.JWT_SIGNING_KEY_SECRET_ARN;
  const publicArn = process.env.JWT_PUBLIC_KEYS_SECRET_ARN;
  if (!signingArn || !publicArn) return undefined;
  const { SecretsManagerClient, GetSecretValueCommand, PutSecretValueCommand } = await import('@aws-sdk/client-secrets-manager');
  const client = new SecretsManagerClient({ endpoint: process.env.AWS_ENDPOINT_URL });
  const read = async (arn: string) => (await client.send(new GetSecretValueCommand({ SecretId: arn }))).SecretString ?? '';
  const current = parse<SigningJwk>(await read(signingArn));
  if (current?.d && current.kid) return current.kid;
  const key = generateSigningKey();
  const published = parse<{ keys?: SigningJwk[] }>(await read(publicArn))?.keys ?? [];
  // The public half first: a verifier must know the key before any token signed with it exists.
  await client.send(new PutSecretValueCommand({ SecretId: publicArn, SecretString: JSON.stringify(publicJwks([key, ...published])) }));
  await client.send(new PutSecretValueCommand({ SecretId: signingArn, SecretString: JSON.stringify(key) }));
  return key.kid;
}

function parse<T>(text: string): T | undefined {
  try {
    return JSON.parse(text) as T;
  } catch {
    return undefined;
  }
}
