import { fileURLToPath, URL } from 'node:url'
import { defineConfig } from 'vite'
import vue from '@vitejs/plugin-vue'
import Components from 'unplugin-vue-components/vite'
import { ElementPlusResolver } from 'unplugin-vue-components/resolvers'

// `npm run dev` proxies /api to a running gateway (make dev), so the app and the APIs share one origin.
export default defineConfig({
  plugins: [vue(), Components({ resolvers: [ElementPlusResolver({ importStyle: 'css' })], dts: false })],
  resolve: { alias: { '@': fileURLToPath(new URL('./src', import.meta.url)) } },
  build: {
    target: 'es2022',
    cssCodeSplit: true,
    chunkSizeWarningLimit: 900,
    rollupOptions: {
      output: {
        // no chunk of its own for element-plus: a chunk for the whole package takes in every component its index
        // names (913 KB, 294 KB gzipped, for the two the portal uses); left to the graph, only those two come
        manualChunks: (id) => {
          if (id.includes('node_modules/vue') || id.includes('node_modules/@vue') || id.includes('@intlify')) return 'vue'
          return undefined
        },
      },
    },
  },
  server: { proxy: { '/api': 'http://127.0.0.1:8080', '/status-lists': 'http://127.0.0.1:8080' } },
})
