/** The order of kernel releases (docs/design.md, "Version order"), by example and by property. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compareLevels, compareReleases } from '../../../../src/main/engine/kernel/release-order';

const older: [string, string][] = [
  ['6.12.96+deb13-cloud-amd64', '6.12.100+deb13-cloud-amd64'],
  ['6.12.96+deb13-amd64', '6.12.96+deb14-amd64'],
  ['6.12.96', '6.12.96+deb13'],
  ['6.1.0-47-cloud-amd64', '6.1.0-50-cloud-amd64'],
  ['6.1.0-47-cloud-amd64', '6.1.0-50-rt-amd64'],
  ['6.1.0-9-amd64', '6.1.0-10-amd64'],
  ['5.15.153.1-microsoft-standard-WSL2', '5.15.153.1-microsoft-standard-WSL2+'],
  ['5.15.153.1-microsoft-standard-WSL2+', '5.15.167.4-microsoft-standard-WSL2'],
  ['5.10.16.3-microsoft-standard-WSL2', '5.10.102.1-microsoft-standard-WSL2'],
  ['5.10.102.1', '5.15.90.1'],
  ['4.19.121-microsoft-standard', '5.4.72-microsoft-standard-WSL2'],
  ['9.99', '10.0'],
  ['99999999999999999998', '99999999999999999999'],
];

describe('compareReleases', () => {
  it.each(older)('%s < %s', (a, b) => {
    expect(compareReleases(a, b)).toBe(-1);
    expect(compareReleases(b, a)).toBe(1);
  });

  const part = fc.oneof(fc.nat(200).map(String), fc.constantFrom('007', '0'));
  const numeric = fc.array(part, { minLength: 1, maxLength: 4 }).map((p) => p.join('.'));
  const rest = fc.array(fc.oneof(fc.nat(60).map(String), fc.constantFrom('+', '-', '+deb', '-cloud-amd', '-microsoft-standard-WSL', 'rc', '.', '~', '+')), { maxLength: 5 }).map((p) => p.join(''));
  const release = fc.oneof(fc.tuple(numeric, rest).map(([n, r]) => n + r), fc.string({ maxLength: 8 }));

  it('is a strict total order: antisymmetric, transitive, and 0 only for equal strings', () => {
    fc.assert(
      fc.property(release, release, release, (a, b, c) => {
        const ab = compareReleases(a, b);
        expect(ab).toBe(-compareReleases(b, a) || 0);
        expect(ab === 0).toBe(a === b);
        if (ab < 0 && compareReleases(b, c) < 0) expect(compareReleases(a, c)).toBe(-1);
      }),
      { numRuns: 2000 },
    );
  });

  it('sorts dotted numbers as the numbers they are, whatever follows them', () => {
    const nums = fc.array(fc.nat(100_000), { minLength: 1, maxLength: 4 });
    fc.assert(
      fc.property(nums, nums, rest, rest, (x, y, rx, ry) => {
        // A rest that starts with a digit would be part of the dotted number itself.
        fc.pre(!/^\.?\d/.test(rx) && !/^\.?\d/.test(ry));
        const pad = (a: number[]) => [...a, 0, 0, 0, 0].slice(0, 4);
        const [px, py] = [pad(x), pad(y)];
        const i = px.findIndex((v, j) => v !== py[j]);
        fc.pre(i >= 0);
        const want = px[i]! < py[i]! ? -1 : 1;
        expect(compareReleases(x.join('.') + rx, y.join('.') + ry)).toBe(want);
      }),
      { numRuns: 2000 },
    );
  });

  it('sorts distro revision numbers as numbers (96+deb13 < 100+deb13, -47- < -50-)', () => {
    fc.assert(
      fc.property(fc.nat(10_000), fc.nat(10_000), fc.constantFrom('6.12.{n}+deb13-cloud-amd64', '6.12.96+deb{n}-amd64', '6.1.0-{n}-cloud-amd64', '5.15.153.{n}-microsoft-standard-WSL2+'), (m, n, shape) => {
        fc.pre(m !== n);
        const a = shape.replace('{n}', String(m));
        const b = shape.replace('{n}', String(n));
        expect(compareReleases(a, b)).toBe(m < n ? -1 : 1);
      }),
      { numRuns: 1000 },
    );
  });

  it('levels: flavours and custom builds of one level are neither older nor newer; the total order refines the levels', () => {
    expect(compareLevels('6.1.0-47-cloud-amd64', '6.1.0-47-rt-amd64')).toBe(0);
    expect(compareLevels('5.15.153.1-microsoft-standard-WSL2', '5.15.153.1-microsoft-standard-WSL2+')).toBe(0);
    expect(compareLevels('6.1.0-47-cloud-amd64', '6.1.0-50-rt-amd64')).toBe(-1);
    expect(compareLevels('6.12.96+deb13-cloud-amd64', '6.12.100+deb13-cloud-amd64')).toBe(-1);
    fc.assert(
      fc.property(release, release, release, (a, b, c) => {
        const ab = compareLevels(a, b);
        expect(ab).toBe(-compareLevels(b, a) || 0);
        if (ab !== 0) expect(compareReleases(a, b)).toBe(ab);
        if (ab <= 0 && compareLevels(b, c) <= 0) expect(compareLevels(a, c)).toBeLessThanOrEqual(0);
        if (ab === 0) expect(compareLevels(a, c)).toBe(compareLevels(b, c));
      }),
      { numRuns: 2000 },
    );
  });
});
