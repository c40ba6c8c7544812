import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

/**
 * Keys for personal data and secrets at rest. One 32-byte master key from GONGZHI_SECRET_KEY
 * (base64 or hex) or a key file created on first start with mode 0600; sub-keys are derived
 * with HKDF so the encryption key and the blind-index key are never the same bytes.
 */
export interface Keyring {
  encrypt(plain: string): string;
  decrypt(blob: string): string;
  /** HMAC-SHA256 blind index for exact lookup of an encrypted value. */
  blindIndex(value: string): string;
}

export function loadMasterKey(secret: string | null, dataDir: string): Buffer {
  if (secret) return parseKey(secret);
  const file = path.join(dataDir, 'secret.key');
  if (fs.existsSync(file)) return parseKey(fs.readFileSync(file, 'utf8').trim());
  fs.mkdirSync(dataDir, { recursive: true });
  const key = crypto.randomBytes(32);
  fs.writeFileSync(file, key.toString('base64') + '\n', { mode: 0o600, flag: 'wx' });
  return key;
}

function parseKey(text: string): Buffer {
  const key = /^[0-9a-f]{64}$/i.test(text) ? Buffer.from(text, 'hex') : Buffer.from(text, 'base64');
  if (key.length !== 32) throw new Error('GONGZHI_SECRET_KEY must be 32 bytes, base64 or hex encoded');
  return key;
}

export function createKeyring(master: Buffer): Keyring {
  const derive = (info: string) => Buffer.from(crypto.hkdfSync('sha256', master, Buffer.alloc(0), Buffer.from(info), 32));
  const encKey = crypto.createSecretKey(derive('gongzhi:aes-256-gcm:v1'));
  const idxKey = derive('gongzhi:blind-index:v1');
  // IVs come from the CSPRNG in blocks: one randomBytes call per 4,096 encryptions instead of one
  // each (a synchronous randomBytes call cost more than the encryption itself in bulk imports).
  // Every IV is still fresh random bytes, and each 12-byte slice is handed out once.
  let ivPool = Buffer.alloc(0);
  let ivAt = 0;
  const nextIv = () => {
    if (ivAt + 12 > ivPool.length) {
      ivPool = crypto.randomBytes(12 * 4096);
      ivAt = 0;
    }
    ivAt += 12;
    return ivPool.subarray(ivAt - 12, ivAt);
  };
  return {
    encrypt(plain) {
      const iv = nextIv();
      const cipher = crypto.createCipheriv('aes-256-gcm', encKey, iv);
      const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
      return `v1:${Buffer.concat([iv, cipher.getAuthTag(), body]).toString('base64')}`;
    },
    decrypt(blob) {
      if (!blob.startsWith('v1:')) throw new Error('unknown ciphertext version');
      const raw = Buffer.from(blob.slice(3), 'base64');
      const decipher = crypto.createDecipheriv('aes-256-gcm', encKey, raw.subarray(0, 12));
      decipher.setAuthTag(raw.subarray(12, 28));
      return Buffer.concat([decipher.update(raw.subarray(28)), decipher.final()]).toString('utf8');
    },
    blindIndex(value) {
      return crypto.createHmac('sha256', idxKey).update(value).digest('base64url');
    },
  };
}

export function randomToken(bytes = 32): string {
  return crypto.randomBytes(bytes).toString('base64url');
}

export function sha256(text: string): string {
  return crypto.createHash('sha256').update(text).digest('hex');
}
