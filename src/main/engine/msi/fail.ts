/** The one way the MSI reader refuses its input. */
import { KernelSetupError } from '../../../shared/errors';

/** A package that cannot be read, with the specific reason in the message. */
export function invalidMsi(reason: string, details: Record<string, unknown> = {}): KernelSetupError {
  return new KernelSetupError('invalid-msi', `The installer package cannot be read: ${reason}.`, { reason, ...details });
}

/** Whether a name from the package is a plain file name: no path, no parent reference, no drive. */
export function isPlainFileName(name: string): boolean {
  return (
    name.length > 0 &&
    name.length <= 255 &&
    !name.includes('..') &&
    !/[/\\:*?"<>|]/.test(name) &&
    // eslint-disable-next-line no-control-regex
    !/[\u0000-\u001f]/.test(name) &&
    // Windows opens devices for these names (CON would wait for console input) and drops trailing dots.
    !/^(con|prn|aux|nul|com[0-9¹²³]|lpt[0-9¹²³])(\..*)?$/i.test(name) &&
    !/[. ]$/.test(name)
  );
}

/** Run a parser; anything it throws that is not already a KernelSetupError becomes invalid-msi. */
export function guardParse<T>(what: string, parse: () => T): T {
  try {
    return parse();
  } catch (err) {
    if (err instanceof KernelSetupError) throw err;
    throw invalidMsi(`${what} is malformed (${err instanceof Error ? err.message : String(err)})`);
  }
}
