/**
 * Ed25519 signing keys of a feed. Root keys and online keys (targets, snapshot, timestamp) are kept
 * in separate folders, so the root keys can live offline; neither folder is ever inside the feed.
 */
import { createHash, createPrivateKey, createPublicKey, generateKeyPairSync, sign } from 'node:crypto';
import { mkdir, readFile, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { canonicalize } from '@tufjs/canonical-json';
import { Key, Signature } from '@tufjs/models';

export type RoleName = 'root' | 'targets' | 'snapshot' | 'timestamp';
export const ONLINE_ROLES: readonly RoleName[] = ['targets', 'snapshot', 'timestamp'];

export interface KeyFile {
  keyid: string;
  keytype: 'ed25519';
  scheme: 'ed25519';
  role: RoleName;
  /** Raw 32-byte public key, hex (TUF's ed25519 keyval). */
  public: string;
  /** PKCS#8 PEM. */
  private: string;
  created: string;
}

export interface SigningKey {
  file: KeyFile;
  key: Key;
  signer: (data: Buffer) => Signature;
}

export function publicKeyOf(file: Pick<KeyFile, 'keytype' | 'scheme' | 'public'>): Key {
  const keyVal = { public: file.public };
  // TUF key id: the SHA-256 of the key's canonical JSON.
  const keyID = createHash('sha256')
    .update(canonicalize({ keytype: file.keytype, scheme: file.scheme, keyval: keyVal }))
    .digest('hex');
  return new Key({ keyID, keyType: file.keytype, scheme: file.scheme, keyVal });
}

export function generateKey(role: RoleName): KeyFile {
  const { publicKey, privateKey } = generateKeyPairSync('ed25519');
  // The SPKI DER of an Ed25519 key ends with the 32 raw key bytes.
  const raw = publicKey.export({ format: 'der', type: 'spki' }).subarray(-32).toString('hex');
  const key = publicKeyOf({ keytype: 'ed25519', scheme: 'ed25519', public: raw });
  return {
    keyid: key.keyID,
    keytype: 'ed25519',
    scheme: 'ed25519',
    role,
    public: raw,
    private: privateKey.export({ format: 'pem', type: 'pkcs8' }).toString(),
    created: new Date().toISOString(),
  };
}

export function signingKey(file: KeyFile): SigningKey {
  const key = publicKeyOf(file);
  if (key.keyID !== file.keyid) throw new Error(`Key file for ${file.role} is inconsistent (key id ${file.keyid} does not match its public key).`);
  const priv = createPrivateKey(file.private);
  const pub = createPublicKey(priv).export({ format: 'der', type: 'spki' }).subarray(-32).toString('hex');
  if (pub !== file.public) throw new Error(`Key file for ${file.role}: the private key does not belong to the public key.`);
  return { file, key, signer: (data) => new Signature({ keyID: key.keyID, sig: sign(null, data, priv).toString('hex') }) };
}

/** Where a role's keys live: `<keys>/root/` for root, `<keys>/online/` for the others. */
export function keyFolder(keysDir: string, role: RoleName): string {
  return join(keysDir, role === 'root' ? 'root' : 'online');
}

export async function saveKey(keysDir: string, file: KeyFile): Promise<string> {
  const dir = keyFolder(keysDir, file.role);
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const path = join(dir, `${file.role}-${file.keyid.slice(0, 16)}.json`);
  await writeFile(path, JSON.stringify(file, null, 2) + '\n', { mode: 0o600, flag: 'wx' });
  return path;
}

/** Every key of a role found in its folder (a missing folder has none). */
export async function loadKeys(keysDir: string, role: RoleName): Promise<SigningKey[]> {
  const dir = keyFolder(keysDir, role);
  let names: string[];
  try {
    names = await readdir(dir);
  } catch {
    return [];
  }
  const out: SigningKey[] = [];
  for (const name of names.sort()) {
    if (!name.startsWith(`${role}-`) || !name.endsWith('.json')) continue;
    out.push(signingKey(JSON.parse(await readFile(join(dir, name), 'utf8')) as KeyFile));
  }
  return out;
}
