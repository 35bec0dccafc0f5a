import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';
import { createRoutes } from './routes.mjs';

// `npm run dev` and `vite preview` answer /config.json, /healthz and /dev/token like server.mjs does.
const serverRoutes = () => ({
  name: 'ordergraph-server-routes',
  configureServer(server) {
    server.middlewares.use(createRoutes(process.env));
  },
  configurePreviewServer(server) {
    server.middlewares.use(createRoutes(process.env));
  },
});

export default defineConfig({
  plugins: [react(), serverRoutes()],
  server: { port: Number(process.env.WEB_PORT || 3000) },
  preview: { port: Number(process.env.WEB_PORT || 3000) },
});
