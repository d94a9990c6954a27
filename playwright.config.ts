/**
 * End-to-end tests of the real UI: the built renderer in Debian Chromium, served by the e2e host
 * (src/main/browser-host) against the real engine on a fresh sandbox per test. `e2e/electron` holds the same
 * flows through the packaged Electron app; they skip, saying why, where Electron cannot run.
 */
import { defineConfig } from '@playwright/test';

export default defineConfig({
  testDir: 'e2e',
  globalSetup: './e2e/global-setup.ts',
  globalTeardown: './e2e/global-teardown.ts',
  workers: 2,
  fullyParallel: true,
  forbidOnly: !!process.env.CI,
  retries: 0,
  timeout: 120_000,
  expect: { timeout: 10_000 },
  reporter: process.env.CI ? [['list']] : [['list'], ['html', { open: 'never' }]],
  use: {
    browserName: 'chromium',
    viewport: { width: 1100, height: 820 },
    launchOptions: {
      executablePath: process.env.WSLK_CHROMIUM ?? '/usr/bin/chromium',
      args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run'],
    },
    trace: 'retain-on-failure',
  },
  projects: [
    { name: 'chromium', testMatch: '*.spec.ts', testIgnore: 'electron/**' },
    { name: 'electron', testDir: 'e2e/electron', testMatch: '*.spec.ts' },
  ],
});
