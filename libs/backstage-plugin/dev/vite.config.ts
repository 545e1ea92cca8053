/**
 * Vite config of the dev app. Env: `PORT` (default 3000), `KARPENTER_TS_API` (live mode: the controller API
 * base URL, proxied at /api/proxy/karpenter-ts like the Backstage proxy), `KARPENTER_TS_TOKEN` (bearer token the
 * proxy adds). Without `KARPENTER_TS_API` the app runs on fixtures.
 */
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

const port = Number(process.env['PORT'] ?? 3000);
const api = process.env['KARPENTER_TS_API'];
const token = process.env['KARPENTER_TS_TOKEN'];
const origin = `http://127.0.0.1:${port}`;

export default defineConfig({
  root: import.meta.dirname,
  plugins: [react()],
  define: {
    'process.env.APP_CONFIG': JSON.stringify([{ context: 'dev', data: { app: { baseUrl: origin, title: 'karpenter-ts dev' }, backend: { baseUrl: origin } } }]),
    'process.env.HAS_REACT_DOM_CLIENT': JSON.stringify('true'),
    'import.meta.env.VITE_KARPENTER_TS_MODE': JSON.stringify(api ? 'live' : 'fixtures'),
    global: 'globalThis',
  },
  server: {
    port,
    strictPort: true,
    host: '127.0.0.1',
    proxy: api
      ? {
          '/api/proxy/karpenter-ts': {
            target: api,
            changeOrigin: true,
            rewrite: (path) => path.replace(/^\/api\/proxy\/karpenter-ts/, ''),
            ...(token ? { headers: { Authorization: `Bearer ${token}` } } : {}),
          },
        }
      : {},
  },
});
