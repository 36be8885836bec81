import { defineConfig, type Plugin } from 'vite';
import { resolve } from 'node:path';
import { readFileSync, writeFileSync } from 'node:fs';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';

// Hashed assets never change, so they are compressed once here at the highest levels; the server sends these
// copies (Hosting/PrecompressedAssets.cs) instead of compressing each answer at its fastest level (docs/pages.md).
function precompress(): Plugin {
  return {
    name: 'skillshub-precompress',
    apply: 'build',
    writeBundle(options, bundle) {
      for (const name of Object.keys(bundle)) {
        if (!/\.(js|css|svg)$/.test(name)) continue;
        const file = resolve(options.dir ?? 'dist', name);
        const data = readFileSync(file);
        writeFileSync(`${file}.br`, brotliCompressSync(data, { params: { [constants.BROTLI_PARAM_QUALITY]: 11, [constants.BROTLI_PARAM_SIZE_HINT]: data.length } }));
        writeFileSync(`${file}.gz`, gzipSync(data, { level: 9 }));
      }
    },
  };
}

// Multi-page build: each page is its own HTML entry; the server serves dist/ as static files.
export default defineConfig({
  plugins: [precompress()],
  resolve: {
    // @msgpack/msgpack 2.x (under @microsoft/signalr-protocol-msgpack) points bundlers at an ES5 build; its
    // TypeScript sources compile to much less code, which keeps the board's first load in budget (docs/pages.md).
    alias: { '@msgpack/msgpack': resolve(import.meta.dirname, 'node_modules/@msgpack/msgpack/src/index.ts') },
  },
  build: {
    outDir: 'dist',
    // No module-preload polyfill: every browser the venue's phones run since 2023 (Safari 17, Firefox 115) preloads the
    // pages' modules itself, and an older one loads them in turn without it. About 230 bytes of every first load, which
    // keeps a skill board's within budget (docs/pages.md, "Transfer").
    modulePreload: { polyfill: false },
    emptyOutDir: true,
    rollupOptions: {
      input: {
        index: resolve(import.meta.dirname, 'index.html'),
        board: resolve(import.meta.dirname, 'board.html'),
        judge: resolve(import.meta.dirname, 'judge.html'),
        agency: resolve(import.meta.dirname, 'agency.html'),
        verify: resolve(import.meta.dirname, 'verify.html'),
        console: resolve(import.meta.dirname, 'console.html'),
        error: resolve(import.meta.dirname, 'error.html'),
      },
      output: {
        // The kernel every page uses (languages, DOM helper, HTTP) travels as one file: a skill board on a
        // phone makes fewer requests (docs/pages.md, "Transfer"). The problem texts stay out of it: the
        // boards never show one.
        codeSplitting: {
          groups: [{ name: (id: string) => (/\/src\/(i18n|kernel\/(dom|http))\.ts$|\/src\/style\.css$/.test(id) ? 'kernel' : null) }],
        },
      },
    },
  },
  server: {
    proxy: { '/api': 'http://localhost:5000', '/hubs': { target: 'http://localhost:5000', ws: true } },
  },
});
