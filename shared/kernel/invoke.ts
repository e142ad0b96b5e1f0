import { once } from './config.ts';

/**
 * Invoke one of the platform's functions directly, not through the API: a Lambda Invoke (IAM
 * decides who may) when `functionName` names a deployed function; else the local runtime's
 * in-process invoker, which runs the same handler module. The answer is the handler's return value.
 */
export type Invoker = (module: string, payload: unknown) => Promise<unknown>;

let localInvoker: Invoker | undefined;

/** The local runtime plugs itself in here (and unplugs on stop). */
export function useLocalInvoker(invoker: Invoker | undefined): void {
  localInvoker = invoker;
}

const INVOKE_TIMEOUT_MS = 3_000;

export async function invokeFunction(target: { module: string; functionName: string | undefined }, payload: unknown): Promise<unknown> {
  if (target.functionName) return invokeLambda(target.functionName, payload);
  if (localInvoker) return localInvoker(target.module, payload);
  throw new Error(`no function to invoke for ${target.module}: its name is not configured and no local runtime runs`);
}

const lambda = once(async () => {
  const { LambdaClient } = await import('@aws-sdk/client-lambda');
  return new LambdaClient({ endpoint: process.env.AWS_ENDPOINT_URL?.trim() || undefined });
});

async function invokeLambda(functionName: string, payload: unknown): Promise<unknown> {
  const { InvokeCommand } = await import('@aws-sdk/client-lambda');
  const out = await (await lambda()).send(
    new InvokeCommand({ FunctionName: functionName, Payload: new TextEncoder().encode(JSON.stringify(payload)) }),
    { abortSignal: AbortSignal.timeout(INVOKE_TIMEOUT_MS) },
  );
  if (out.FunctionError) throw new Error(`${functionName} failed: ${out.FunctionError}`);
  return JSON.parse(new TextDecoder().decode(out.Payload ?? new Uint8Array()));
}
