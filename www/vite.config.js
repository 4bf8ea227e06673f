// The demo app. `realtime-context` is the parent package, linked by npm (file:..); its React
// bindings import `react`, which must resolve to the app's single copy.
import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

export default defineConfig({
  plugins: [react()],
  resolve: { dedupe: ['react', 'react-dom'] },
  build: { outDir: 'dist', emptyOutDir: true, reportCompressedSize: false },
});
