/** Builds the bench's bare React page (see main.ts). */
import { resolve } from 'node:path';
import { defineConfig } from 'vite';

export default defineConfig({ root: resolve(__dirname), base: './' });
