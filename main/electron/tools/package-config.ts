/**
 * What a release build must be told and the checkout must not guess: where app updates live
 * and whose code-signing certificate signs them. electron-builder.yml holds everything else;
 * these come from the environment of the build machine, and packaging refuses to start
 * without them (a build pointing at a made-up host would never update; one without the
 * publisher name would accept any signed update, or none).
 *
 *   PITCHCASE_UPDATE_URL      https://updates.example.com/pitchcase  (${os}/${arch} is added)
 *   PITCHCASE_PUBLISHER_NAME  the subject CN of the code-signing certificate; several
 *                             names (a certificate renewal) separated by "|"
 */
export interface PackagingOverrides {
  publish: { provider: 'generic'; url: string };
  win: { signtoolOptions: { publisherName: string[] } };
}

export class PackagingConfigError extends Error {
  override readonly name = 'PackagingConfigError';
}

const RESERVED_HOST = /(^|\.)(example|invalid|test|localhost)$|^localhost$|^127\.|^\[?::1\]?$/i;

export function packagingOverrides(env: NodeJS.ProcessEnv): PackagingOverrides {
  const problems: string[] = [];
  const rawUrl = env.PITCHCASE_UPDATE_URL?.trim() ?? '';
  let url: URL | null = null;
  if (!rawUrl) {
    problems.push('PITCHCASE_UPDATE_URL is not set (the https folder app updates are published to)');
  } else {
    try {
      url = new URL(rawUrl);
    } catch {
      problems.push(`PITCHCASE_UPDATE_URL is not a URL: ${rawUrl}`);
    }
  }
  if (url && url.protocol !== 'https:')
    problems.push(`PITCHCASE_UPDATE_URL must be https (electron-updater fetches over it): ${rawUrl}`);
  if (url && RESERVED_HOST.test(url.hostname))
    problems.push(`PITCHCASE_UPDATE_URL points at a reserved or local host: ${url.hostname}`);
  if (url && (url.search || url.hash)) problems.push('PITCHCASE_UPDATE_URL must not carry a query or fragment');
  const names = (env.PITCHCASE_PUBLISHER_NAME ?? '')
    .split('|')
    .map((n) => n.trim())
    .filter(Boolean);
  if (names.length === 0)
    problems.push('PITCHCASE_PUBLISHER_NAME is not set (the subject CN of the code-signing certificate)');
  if (problems.length > 0)
    throw new PackagingConfigError(`Cannot package a release build:\n  - ${problems.join('\n  - ')}`);
  const base = url!.href.replace(/\/+$/, '');
  return {
    publish: { provider: 'generic', url: `${base}/\${os}/\${arch}` },
    win: { signtoolOptions: { publisherName: names } },
  };
}

/** electron-builder.yml with the overrides merged in (objects merged, everything else replaced). */
export function mergeConfig(base: Record<string, unknown>, overrides: PackagingOverrides): Record<string, unknown> {
  const merge = (a: unknown, b: unknown): unknown => {
    if (
      typeof a !== 'object' ||
      a === null ||
      Array.isArray(a) ||
      typeof b !== 'object' ||
      b === null ||
      Array.isArray(b)
    )
      return b;
    const out: Record<string, unknown> = { ...(a as Record<string, unknown>) };
    for (const [k, v] of Object.entries(b)) out[k] = merge(out[k], v);
    return out;
  };
  return merge(base, overrides) as Record<string, unknown>;
}
