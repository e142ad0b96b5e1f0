import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

/** The SPA's build. Locally the runtime serves it through Vite's middleware (infra/local/frontend.ts). */
export default defineConfig({
  root: import.meta.dirname,
  plugins: [react()],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    // Hashed file names under assets/: CloudFront caches them for a year (infra/stacks/frontend-stack.ts).
    assetsDir: 'assets',
    // scripts/check-budget.mjs reads it: which chunks the first page load needs.
    manifest: true,
  },
});
