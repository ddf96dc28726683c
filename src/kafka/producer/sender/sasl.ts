// SASL on the producer's own connections (SaslHandshake v1, then SaslAuthenticate): PLAIN (RFC 4616) and
// SCRAM-SHA-256/512 (RFC 5802, RFC 7677). Hand-written because no npm SCRAM client speaks Kafka's framing, and the
// exchange is a handful of HMACs over node:crypto.
import { createHash, createHmac, pbkdf2Sync, randomBytes, timingSafeEqual } from 'node:crypto';
import { errorName } from '../../../wire/error-codes.js';
import { KafkaError } from '../errors.js';
import { Api } from './protocol-client.js';

export interface SaslOptions {
  mechanism: string;
  username?: string;
  password?: string;
}

interface Requester {
  readonly address: string;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  request(apiKey: number, body: object, timeoutMs: number): Promise<any>;
}

const authFailed = (address: string, why: string) => new KafkaError('SASL_AUTHENTICATION_FAILED', `SASL authentication with ${address} failed: ${why}`, false);

async function exchange(c: Requester, bytes: Buffer, timeoutMs: number): Promise<Buffer> {
  const res = await c.request(Api.SaslAuthenticate, { authBytes: bytes }, timeoutMs);
  if (res.errorCode !== 0) throw authFailed(c.address, res.errorMessage ?? errorName(res.errorCode));
  return res.authBytes as Buffer;
}

const saslName = (s: string) => s.replace(/=/g, '=3D').replace(/,/g, '=2C');

async function scram(c: Requester, hash: 'sha256' | 'sha512', user: string, password: string, timeoutMs: number, nonce: string): Promise<void> {
  const firstBare = `n=${saslName(user)},r=${nonce}`;
  const serverFirst = (await exchange(c, Buffer.from(`n,,${firstBare}`), timeoutMs)).toString('utf8');
  const attrs = new Map(serverFirst.split(',').map((kv) => [kv[0], kv.slice(2)] as const));
  const serverNonce = attrs.get('r') ?? '';
  const salt = Buffer.from(attrs.get('s') ?? '', 'base64');
  const iterations = Number(attrs.get('i'));
  if (!serverNonce.startsWith(nonce) || !Number.isInteger(iterations) || iterations < 1) throw authFailed(c.address, 'unexpected SCRAM server-first message');
  const keyLength = hash === 'sha256' ? 32 : 64;
  const salted = pbkdf2Sync(password, salt, iterations, keyLength, hash);
  const clientKey = createHmac(hash, salted).update('Client Key').digest();
  const storedKey = createHash(hash).update(clientKey).digest();
  const finalWithoutProof = `c=biws,r=${serverNonce}`;
  const authMessage = `${firstBare},${serverFirst},${finalWithoutProof}`;
  const signature = createHmac(hash, storedKey).update(authMessage).digest();
  const proof = Buffer.from(clientKey.map((b, i) => b ^ signature[i]));
  const serverFinal = (await exchange(c, Buffer.from(`${finalWithoutProof},p=${proof.toString('base64')}`), timeoutMs)).toString('utf8');
  const serverKey = createHmac(hash, salted).update('Server Key').digest();
  const expected = createHmac(hash, serverKey).update(authMessage).digest();
  const got = Buffer.from(serverFinal.startsWith('v=') ? serverFinal.slice(2) : '', 'base64');
  if (got.length !== expected.length || !timingSafeEqual(got, expected)) throw authFailed(c.address, 'the server signature did not verify');
}

/** `nonce` is the SCRAM client nonce: random unless a test pins it (RFC 7677's example). */
export async function authenticate(c: Requester, sasl: SaslOptions, timeoutMs: number, nonce = randomBytes(24).toString('base64')): Promise<void> {
  const mechanism = sasl.mechanism.toUpperCase();
  if (!['PLAIN', 'SCRAM-SHA-256', 'SCRAM-SHA-512'].includes(mechanism)) {
    throw new KafkaError('UNSUPPORTED_SASL_MECHANISM', `SASL ${sasl.mechanism} is not supported by the engine's connections (PLAIN, SCRAM-SHA-256 and SCRAM-SHA-512 are)`, false);
  }
  const hs = await c.request(Api.SaslHandshake, { mechanism }, timeoutMs);
  if (hs.errorCode !== 0) throw authFailed(c.address, `${errorName(hs.errorCode)} (the broker offers ${(hs.mechanisms as string[]).join(', ')})`);
  const user = sasl.username ?? '';
  const password = sasl.password ?? '';
  if (mechanism === 'PLAIN') await exchange(c, Buffer.from(`\u0000${user}\u0000${password}`), timeoutMs);
  else await scram(c, mechanism === 'SCRAM-SHA-256' ? 'sha256' : 'sha512', user, password, timeoutMs, nonce);
}
