/** Build the renderer for the browser host before any test runs (WSLK_E2E_SKIP_BUILD=1 reuses the last build). */
import { execSync } from 'node:child_process';
import { existsSync, mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';

export default function globalSetup(): void {
  const root = join(__dirname, '..');
  const built = existsSync(join(root, 'out', 'renderer-web', 'index.html'));
  if (!(process.env.WSLK_E2E_SKIP_BUILD === '1' && built)) {
    execSync('npx vite build -c vite.renderer.config.ts --logLevel warn', { cwd: root, stdio: 'inherit', env: { ...process.env, ELECTRON_SKIP_BINARY_DOWNLOAD: '1' } });
  }
  // Screenshots and axe reports of this run only.
  const shots = join(root, 'e2e', 'screenshots');
  rmSync(shots, { recursive: true, force: true });
  mkdirSync(join(shots, 'axe'), { recursive: true });
}
