/**
 * electron-builder.yml: valid against electron-builder's own JSON schema (and its own validation
 * code), and the settings that matter for safety and for the product are what they must be.
 */
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import Ajv from 'ajv';
import { describe, expect, it } from 'vitest';
import { buildCli } from '../helpers/cli';
import { ROOT } from '../helpers/sandbox';

const require = createRequire(import.meta.url);
// js-yaml and ajv come with electron-builder (app-builder-lib depends on both).
const yaml = require('js-yaml') as { load(text: string): unknown };

type Config = Record<string, unknown> & {
  executableName: string;
  files: string[];
  asar: boolean;
  beforePack: string;
  extraResources: { from: string; to: string; filter?: string[] }[];
  electronFuses: Record<string, boolean>;
  win: { target: { target: string; arch: string[] }[]; requestedExecutionLevel: string };
  nsis: Record<string, unknown> & { include: string };
  linux: { target: { target: string }[] };
};

const config = yaml.load(readFileSync(join(ROOT, 'electron-builder.yml'), 'utf8')) as Config;
const schema = JSON.parse(readFileSync(require.resolve('app-builder-lib/scheme.json'), 'utf8')) as object;

function validator() {
  // The options electron-builder itself compiles its schema with (strict: false for its custom
  // keywords), minus type coercion: the file must be right as written.
  return new Ajv({ allErrors: true, strict: false }).compile(schema);
}

describe('electron-builder.yml against electron-builder’s schema', () => {
  it('is valid', () => {
    const validate = validator();
    const ok = validate(config);
    expect(validate.errors ?? []).toEqual([]);
    expect(ok).toBe(true);
  });

  it('the validator rejects a misspelt or mistyped option (so the check can fail)', () => {
    const validate = validator();
    expect(validate({ ...config, nsis: { ...config.nsis, perMachin: true } })).toBe(false);
    expect(validate({ ...config, win: { ...config.win, requestedExecutionLevel: 'root' } })).toBe(false);
    expect(validate({ ...config, asar: 'yes' })).toBe(false);
  });

  it("passes electron-builder's own configuration validation", async () => {
    const { validateConfiguration } = require('app-builder-lib/out/util/config/config') as {
      validateConfiguration(config: unknown, logger: unknown): Promise<void>;
    };
    const { DebugLogger } = require('builder-util') as { DebugLogger: new (enabled?: boolean) => unknown };
    await expect(validateConfiguration(structuredClone(config), new DebugLogger(false))).resolves.toBeUndefined();
    await expect(validateConfiguration({ ...structuredClone(config), nsis: { oneClik: false } }, new DebugLogger(false))).rejects.toThrow(/configuration\.nsis/);
  });
});

describe('what the configuration says', () => {
  it('builds a per-machine NSIS installer that requires administrator, for x64 and arm64', () => {
    expect(config.win.requestedExecutionLevel).toBe('requireAdministrator');
    expect(config.win.target).toEqual([{ target: 'nsis', arch: ['x64', 'arm64'] }]);
    expect(config.nsis).toMatchObject({ oneClick: false, perMachine: true, allowElevation: true, createStartMenuShortcut: true });
    expect(config.linux.target).toEqual([{ target: 'dir' }]);
  });

  it('packs only the built app into the asar, with the hardened fuses', () => {
    expect(config.asar).toBe(true);
    expect(config.files).toEqual(expect.arrayContaining(['out/main/**', 'out/preload/**', 'out/renderer/**', 'package.json']));
    expect(config.files.filter((f) => !f.startsWith('!') && !f.startsWith('out/') && f !== 'package.json')).toEqual([]);
    expect(config.electronFuses).toMatchObject({
      enableNodeOptionsEnvironmentVariable: false,
      enableNodeCliInspectArguments: false,
      onlyLoadAppFromAsar: true,
      enableEmbeddedAsarIntegrityValidation: true,
    });
    // Kept on only because resources/cli/wslk.cmd runs the CLI with ELECTRON_RUN_AS_NODE.
    expect(config.electronFuses.runAsNode).toBe(true);
    const main = (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { main: string }).main;
    expect(main).toBe('out/main/index.js');
  });

  it('ships the payload folder, the CLI bundle and wslk.cmd as resources', () => {
    expect(config.extraResources).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ from: 'assets/payload', to: 'payload' }),
        { from: 'out/cli', to: 'cli', filter: ['wslk.cjs', '*.mjs'] },
        { from: 'assets/wslk.cmd', to: 'cli/wslk.cmd' },
      ]),
    );
    expect(existsSync(join(ROOT, 'assets', 'wslk.cmd'))).toBe(true);
  });

  it('wslk.cmd runs the CLI bundle with the app’s runtime in Node mode and keeps the exit code', () => {
    const cmd = readFileSync(join(ROOT, 'assets', 'wslk.cmd'), 'latin1');
    expect(cmd.split('\n').slice(0, -1).every((line) => line.endsWith('\r'))).toBe(true);
    expect(cmd).toMatch(/^set "ELECTRON_RUN_AS_NODE=1"\r$/m);
    expect(cmd).toContain(`"%~dp0..\\..\\${config.executableName}.exe" "%~dp0wslk.cjs" %*`);
    expect(cmd).toMatch(/^exit \/b %ERRORLEVEL%\r$/m);
  });

  it('refuses to package without a real payload (beforePack hook)', async () => {
    expect(config.beforePack).toBe('out/build/before-pack.cjs');
    buildCli();
    // Loaded as electron-builder loads it: a dynamic import, then the export named after the hook.
    const hook = (await import(pathToFileURL(join(ROOT, config.beforePack)).href)) as { beforePack?: unknown };
    expect(typeof hook.beforePack).toBe('function');
  });

  it('adds Start-menu shortcuts for settings and repair, and removes them on uninstall', () => {
    expect(config.nsis.include).toBe('assets/installer.nsh');
    const nsh = readFileSync(join(ROOT, config.nsis.include), 'utf8');
    const install = /!macro customInstall\n([\s\S]*?)!macroend/.exec(nsh)?.[1] ?? '';
    const uninstall = /!macro customUnInstall\n([\s\S]*?)!macroend/.exec(nsh)?.[1] ?? '';
    for (const [flag, name] of [
      ['--settings', 'Settings'],
      ['--repair', 'Repair'],
    ] as const) {
      const link = `"$SMPROGRAMS\\\${PRODUCT_NAME} - ${name}.lnk"`;
      expect(install).toContain(`CreateShortCut ${link} "$INSTDIR\\\${APP_EXECUTABLE_FILENAME}" "${flag}"`);
      expect(uninstall).toContain(`Delete ${link}`);
    }
    // Per-machine: the all-users Start menu in both directions.
    expect(install).toContain('SetShellVarContext all');
    expect(uninstall).toContain('SetShellVarContext all');
  });
});
