// `node:crypto` as the bundles see it (BUNDLE.alias): the same functions, with the module loaded on
// the first call instead of at start-up. Loading it is most of what the authorizer's cold start
// costs over an empty bundle, yet a decision needs only Web Crypto (jose), and Powertools Logger
// imports it for a sampling draw. A named import missing here fails the build, never a request.
let crypto;
// No import (that would load it): process.getBuiltinModule, Node ≥ 20.16 / 22.3 as every runtime here.
const load = () => (crypto ??= process.getBuiltinModule('node:crypto'));

export const createHash = (...args) => load().createHash(...args);
export const randomInt = (...args) => load().randomInt(...args);
export const randomUUID = (...args) => load().randomUUID(...args);
export const randomBytes = (...args) => load().randomBytes(...args);
export const generateKeyPairSync = (...args) => load().generateKeyPairSync(...args);
