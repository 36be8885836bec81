import { defineConfig } from 'vite';
import { resolve } from 'node:path';

// Multi-page build: each page is its own HTML entry; the server serves dist/ as static files.
export default defineConfig({
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
      output: {
        // The kernel every page uses (languages, DOM helper, HTTP) travels as one file: a skill board on a
        // phone makes fewer requests (docs/pages.md, "Transfer"). The problem texts stay out of it: the
        // boards never show one.
        codeSplitting: {
          groups: [{ name: (id: string) => (/\/src\/(i18n|kernel\/(dom|http))\.ts$|modulepreload-polyfill|\/src\/style\.css$/.test(id) ? 'kernel' : null) }],
        },
      },
    },
  },
  server: {
    proxy: { '/api': 'http://localhost:5000', '/hubs': { target: 'http://localhost:5000', ws: true } },
  },
});
