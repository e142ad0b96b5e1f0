/** Written at deploy time next to index.html (never cached); locally served from public/. */
export interface RuntimeConfig {
  /** Where the API is; '' = this origin (CloudFront and the local runtime serve both). */
  apiBaseUrl: string;
  stage: string;
}

export async function loadConfig(): Promise<RuntimeConfig> {
  const fallback: RuntimeConfig = { apiBaseUrl: '', stage: 'local' };
  try {
    const res = await fetch('/config.json', { cache: 'no-store' });
    return res.ok ? { ...fallback, ...((await res.json()) as Partial<RuntimeConfig>) } : fallback;
  } catch {
    return fallback;
  }
}
