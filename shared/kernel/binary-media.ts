/**
 * API Gateway's binary media types, and its rule for them (REST API, Lambda proxy):
 * - a request body whose Content-Type matches one reaches the function base64-encoded;
 * - a response the function marks `isBase64Encoded` is decoded back to bytes only when the
 *   request's FIRST Accept media type matches one — otherwise the client receives the base64 text.
 * Connect and gRPC-Web clients set no binary Accept (browsers send `*\/*` or nothing useful), so a
 * list of proto media types would hand them base64 text: `*\/*` is AWS's documented answer. Every
 * body then reaches the functions base64-encoded; all of them decode it (parseJsonBody, the RPC
 * adapter), and JSON answers stay text because the functions never base64-encode them.
 * The CDK stack configures this list; the local gateway applies the same rule with it.
 */
export const BINARY_MEDIA_TYPES: readonly string[] = ['*/*'];

/** Does a Content-Type / Accept value (its first media type, parameters ignored) match the list? */
export function matchesBinaryMediaType(value: string | undefined, types: readonly string[] = BINARY_MEDIA_TYPES): boolean {
  // A missing header matches only the catch-all (assumed: API Gateway documents no other case).
  const media = (value ?? '').split(',')[0]!.split(';')[0]!.trim().toLowerCase() || '*/*';
  const [type, subtype] = media.split('/');
  return types.some((entry) => {
    const [t, s] = entry.toLowerCase().split('/');
    return (t === '*' || t === type) && (s === '*' || s === subtype) && (media !== '*/*' || entry === '*/*');
  });
}
