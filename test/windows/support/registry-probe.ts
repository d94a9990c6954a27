/**
 * Runs under Node for Windows (bundled by the suite): writes, reads back and deletes values through
 * one of the Windows registry adapters, and prints what it read as JSON.
 *
 * argv: <adapter: reg-exe | native> <key> <values.json (Z:\… path)>
 */
import { readFileSync } from 'node:fs';
import type { RegValue, Registry } from '../../../src/main/engine/machine/machine';
import { RegExeRegistry } from '../../../src/main/engine/windows/reg-exe';
import { loadNativeRegistry } from '../../../src/main/engine/windows/native-registry';
import { decodeValue, encodeValue, type ProbeValue } from './registry-values';

async function main(): Promise<void> {
  const [adapter, key, file] = process.argv.slice(2);
  if (!adapter || !key || !file) throw new Error('usage: registry-probe <adapter> <key> <values.json>');
  const registry: Registry | null = adapter === 'native' ? loadNativeRegistry() : new RegExeRegistry();
  if (!registry) throw new Error('the native registry binding did not load');
  const values = JSON.parse(readFileSync(file, 'utf8')) as { name: string; value: ProbeValue }[];
  const read: Record<string, ProbeValue | null | { error: string }> = {};
  const started = Date.now();
  for (const v of values) await registry.setValue(key, v.name, decodeValue(v.value));
  for (const v of values) {
    try {
      const got: RegValue | null = await registry.getValue(key, v.name);
      read[v.name] = got && encodeValue(got);
    } catch (err) {
      read[v.name] = { error: (err as Error).message };
    }
  }
  const keyExists = await registry.keyExists(key);
  const missingKey = await registry.keyExists(`${key}\\Missing`);
  const first = values[0]?.name ?? '';
  await registry.deleteValue(key, first);
  const afterDelete = await registry.getValue(key, first);
  await registry.deleteValue(key, first); // deleting an absent value is a no-op
  const absent = await registry.getValue(`${key}\\Missing`, 'x');
  const ms = Date.now() - started;
  process.stdout.write(JSON.stringify({ read, keyExists, missingKey, afterDelete, absent, ms }));
}

main().catch((err: unknown) => {
  process.stdout.write(JSON.stringify({ fatal: (err as Error).stack ?? String(err) }));
  process.exitCode = 1;
});
