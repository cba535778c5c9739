import { transformAsync } from '@babel/core';
import react from '@vitejs/plugin-react';
import type { Plugin } from 'vite';
import { defineConfig } from 'vitest/config';

// relay replaces each graphql`…` tag with an import of the artifact relay-compiler generated for it, as
// babel-plugin-relay does in every Relay app. Only files holding a tag go through Babel; the rest stay with Vite's
// own (much faster) transform.
function relay(): Plugin {
  return {
    name: 'relay',
    enforce: 'pre',
    async transform(code, id) {
      if (!/\.tsx?$/.test(id) || id.includes('/node_modules/') || !code.includes('graphql`')) return null;
      const out = await transformAsync(code, {
        filename: id,
        babelrc: false,
        configFile: false,
        sourceMaps: true,
        parserOpts: { plugins: ['typescript', 'jsx'] },
        plugins: [['relay', { eagerEsModules: true }]],
      });
      return out?.code ? { code: out.code, map: out.map } : null;
    },
  };
}

export default defineConfig({
  plugins: [relay(), react()],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    sourcemap: false,
    // The app is served by the Go binary, which sends a strict Content-Security-Policy: no inline scripts, so
    // Vite's inline module-preload polyfill stays out (every browser the app supports preloads modules).
    modulePreload: { polyfill: false },
    target: 'es2022',
    reportCompressedSize: false,
    // The vendor chunk (React, Relay) is about 500 KB before gzip; scripts/bundle-budget.mjs holds what matters,
    // the gzipped JavaScript of a first visit, to its budget.
    chunkSizeWarningLimit: 700,
  },
  server: {
    // `npm run dev` against `make run` on :8080: the API and WebSocket are proxied, so the app stays same-origin.
    proxy: {
      '/api': 'http://localhost:8080',
      '/graphql': { target: 'http://localhost:8080', ws: true },
    },
  },
  test: {
    include: ['src/**/*.test.ts'],
    environment: 'node',
  },
});
