// Build config: Preact JSX through Vite's own transformer (oxc), and a Workbox service worker
// built from src/sw.js by vite-plugin-pwa (injectManifest), so the shell is precached with hashed names.
import { defineConfig } from 'vite';
import { VitePWA } from 'vite-plugin-pwa';

const manifest = {
  name: 'Dịch vụ công Đồng Nai',
  short_name: 'DVC Đồng Nai',
  description: 'Tìm thủ tục, nộp hồ sơ trực tuyến và tra cứu hồ sơ hành chính tỉnh Đồng Nai.',
  lang: 'vi',
  dir: 'ltr',
  start_url: '/',
  scope: '/',
  id: '/',
  display: 'standalone',
  orientation: 'portrait',
  theme_color: '#0b3a6e',
  background_color: '#ffffff',
  categories: ['government', 'utilities'],
  icons: [
    { src: '/icons/icon-192.png', sizes: '192x192', type: 'image/png', purpose: 'any' },
    { src: '/icons/icon-512.png', sizes: '512x512', type: 'image/png', purpose: 'any' },
    { src: '/icons/maskable-192.png', sizes: '192x192', type: 'image/png', purpose: 'maskable' },
    { src: '/icons/maskable-512.png', sizes: '512x512', type: 'image/png', purpose: 'maskable' },
  ],
};

export default defineConfig({
  oxc: {
    jsx: { runtime: 'automatic', importSource: 'preact' },
  },
  build: {
    target: 'es2020',
    outDir: 'dist',
    assetsDir: 'assets',
    sourcemap: false,
    // One small first-load bundle; the officials' pages, signing (with pdf.js) and verification are lazy chunks.
    modulePreload: { polyfill: false },
  },
  // pdf.js's worker (signing page only) is bundled as its own ES module file.
  worker: { format: 'es' },
  server: {
    // `npm run dev` next to a running `make run`: API calls go to the real backend.
    proxy: {
      '/api': process.env.API_ORIGIN || 'http://127.0.0.1:8080',
      '/dev': process.env.API_ORIGIN || 'http://127.0.0.1:8080',
    },
  },
  plugins: [
    VitePWA({
      strategies: 'injectManifest',
      srcDir: 'src',
      filename: 'sw.js',
      registerType: 'prompt',
      injectRegister: false, // src/offline/register-sw.js registers it and drives the update prompt
      manifestFilename: 'manifest.webmanifest',
      includeManifestIcons: false, // the glob below already takes every icon
      manifest,
      injectManifest: {
        globPatterns: ['**/*.{js,css,html,png,svg}'], // the plugin adds manifest.webmanifest itself
        // pdf.js (≈ 130 KB + 360 KB gzipped) is for leaders signing on-line: citizens' phones never fetch it.
        globIgnores: ['**/pdf-view-*.js', '**/pdf.worker*'],
        minify: true,
      },
      devOptions: { enabled: false },
    }),
  ],
});
