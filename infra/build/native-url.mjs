// `whatwg-url` as the bundles see it (BUNDLE.alias): Node's own WHATWG URL implementation. The
// MongoDB driver's connection-string parser imports only these two classes from the package, which
// with tr46's Unicode tables was 275 KB of every user-manager bundle.
export const URL = globalThis.URL;
export const URLSearchParams = globalThis.URLSearchParams;
