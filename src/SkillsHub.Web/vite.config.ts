import { defineConfig } from 'vite';
import { resolve } from 'node:path';

// Multi-page build: each page is its own HTML entry; the server serves dist/ as static files.
export default defineConfig({
  resolve: {
    // @msgpack/msgpack 2.x (under @microsoft/signalr-protocol-msgpack) points bundlers at an ES5 build; its
    // TypeScript sources compile to much less code, which keeps the board's first load in budget (docs/pages.md).
    alias: { '@msgpack/msgpack': resolve(import.meta.dirname, 'node_modules/@msgpack/msgpack/src/index.ts') },
  },
  build: {
    outDir: 'dist',
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
    },
  },
  server: {
    proxy: { '/api': 'http://localhost:5000', '/hubs': { target: 'http://localhost:5000', ws: true } },
  },
});
