import { defineConfig } from 'vite';

/** The console is served by the service itself at `/`: same origin, no CDN, no inline script. */
export default defineConfig({
  root: import.meta.dirname,
  base: '/',
  build: { outDir: 'dist', emptyOutDir: true, sourcemap: false, target: 'es2022' },
});
