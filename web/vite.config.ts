import { resolve } from "node:path";
import type { Connect, Plugin } from "vite";
import react from "@vitejs/plugin-react";
import { defineConfig } from "vitest/config";

// The dev server serves the console's index.html for its client-side routes, like the
// gateway does in production (/console/* → console/index.html).
function consoleFallback(): Plugin {
  const rewrite: Connect.NextHandleFunction = (req, _res, next) => {
    const url = req.url ?? "";
    if (/^\/console(\/[^.]*)?(\?.*)?$/.test(url)) req.url = "/console/index.html";
    next();
  };
  return {
    name: "dinghuo-console-fallback",
    configureServer: (server) => void server.middlewares.use(rewrite),
    configurePreviewServer: (server) => void server.middlewares.use(rewrite),
  };
}

export default defineConfig({
  plugins: [react(), consoleFallback()],
  build: {
    // DINGHUO_WEB_DIST: build elsewhere (tools/system.py passes it; parallel builds).
    outDir: process.env.DINGHUO_WEB_DIST ?? "dist",
    emptyOutDir: true,
    chunkSizeWarningLimit: 1500,
    rollupOptions: {
      input: {
        portal: resolve(__dirname, "index.html"),
        console: resolve(__dirname, "console/index.html"),
      },
      output: {
        manualChunks: (id) => {
          if (!id.includes("node_modules")) return undefined;
          if (/node_modules\/(react|react-dom|scheduler|react-router|react-router-dom)\//.test(id))
            return "react";
          if (/node_modules\/(i18next|react-i18next)\//.test(id)) return "i18n";
          // Charts (the console's statistics) load only where they are shown.
          if (/node_modules\/(echarts|zrender|echarts-for-react|size-sensor)\//.test(id)) return "echarts";
          // China's provinces and cities (the area pickers) load where they are used.
          if (/node_modules\/@vant\/area-data\//.test(id)) return "area-data";
          return "vendor";
        },
      },
    },
  },
  server: {
    proxy: { "/api": { target: "http://127.0.0.1:8080", changeOrigin: false } },
  },
  test: {
    environment: "jsdom",
    globals: true,
    setupFiles: ["src/test/setup.ts"],
    css: false,
    // jsdom renders of whole antd pages take seconds on a loaded 2-core machine; the
    // limit only catches a hang (timing is never asserted here).
    testTimeout: 60000,
  },
});
