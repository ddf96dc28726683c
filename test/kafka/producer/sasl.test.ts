// SASL on the engine's own connections, checked against RFC 7677's SCRAM-SHA-256 example exchange (a server that
// knows the password answers, and only the right client proof is accepted) and PLAIN's message layout.
import { describe, expect, it } from 'vitest';
import { authenticate } from '../../../src/kafka/producer/sender/sasl.js';

const SERVER_FIRST = 'r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096';
const CLIENT_FINAL = 'c=biws,r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,p=dHzbZapWIk4jUhN+Ute9ytag9zjfMHgsqmmiz7AndVQ=';
const SERVER_FINAL = 'v=6rriTRBi23WpRR/wtup+mMhUZUn/dB5nLTJRsjl95G4=';

/** A broker side that plays RFC 7677's example and records what the client sent. */
function rfcServer(serverFinal = SERVER_FINAL) {
  const sent: string[] = [];
  return {
    sent,
    address: 'test:9092',
    async request(apiKey: number, body: { mechanism?: string; authBytes?: Buffer }) {
      if (apiKey === 17) return { errorCode: body.mechanism === 'SCRAM-SHA-256' || body.mechanism === 'PLAIN' ? 0 : 33, mechanisms: ['SCRAM-SHA-256', 'PLAIN'] };
      const msg = body.authBytes!.toString('utf8');
      sent.push(msg);
      if (sent.length === 1) return { errorCode: 0, errorMessage: null, authBytes: Buffer.from(SERVER_FIRST) };
      if (msg !== CLIENT_FINAL) return { errorCode: 58, errorMessage: 'Authentication failed: invalid credentials', authBytes: Buffer.alloc(0) };
      return { errorCode: 0, errorMessage: null, authBytes: Buffer.from(serverFinal) };
    },
  };
}

describe('SASL on the engine connections', () => {
  it('SCRAM-SHA-256: the RFC 7677 exchange, byte for byte', async () => {
    const server = rfcServer();
    await authenticate(server, { mechanism: 'scram-sha-256', username: 'user', password: 'pencil' }, 1000, 'rOprNGfwEbeRWgbNEkqO');
    expect(server.sent).toEqual(['n,,n=user,r=rOprNGfwEbeRWgbNEkqO', CLIENT_FINAL]);
  });

  it('SCRAM-SHA-256: a wrong password is refused by the server, and a server that cannot prove the password is refused by us', async () => {
    await expect(authenticate(rfcServer(), { mechanism: 'scram-sha-256', username: 'user', password: 'wrong' }, 1000, 'rOprNGfwEbeRWgbNEkqO')).rejects.toThrow(/invalid credentials/);
    await expect(authenticate(rfcServer('v=AAAA'), { mechanism: 'scram-sha-256', username: 'user', password: 'pencil' }, 1000, 'rOprNGfwEbeRWgbNEkqO')).rejects.toThrow(/server signature/);
  });

  it('PLAIN sends authzid, user and password separated by NUL; other mechanisms are named as unsupported', async () => {
    const server = rfcServer();
    await authenticate(server, { mechanism: 'plain', username: 'alice', password: 's3cret' }, 1000).catch(() => {});
    expect(server.sent[0]).toBe('\u0000alice\u0000s3cret');
    await expect(authenticate(server, { mechanism: 'oauthbearer' }, 1000)).rejects.toThrow(/not supported/);
  });
});
