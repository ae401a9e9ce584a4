/**
 * Request targets no browser sends, written straight onto a socket: each gets a 400 and the host
 * keeps serving (a throw while parsing one used to kill the whole process).
 */
import { connect } from 'node:net';
import { describe, expect, it } from 'vitest';
import { batteryHosts } from './battery.ts';

/** Sends `head` as it is and resolves with the status line of the answer ('' if none came). */
export function rawRequest(port: number, head: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    let answer = '';
    socket.setEncoding('latin1');
    socket.on('data', (chunk: string) => {
      answer += chunk;
      if (answer.includes('\r\n')) socket.destroy();
    });
    socket.on('close', () => resolve(answer.split('\r\n')[0] ?? ''));
    socket.on('error', reject);
    socket.write(head);
  });
}

const malformedTargets = [
  'http://[/',
  'http://[::1/',
  'http://127.0.0.1:99999/',
  'http://',
  '//',
  '//evil.example/',
  'http://127.0.0.1/api/getLibrary',
  '*',
  'a',
  '/%',
  '/content/%zz',
];

describe.each(batteryHosts())('malformed request targets ($kind profile)', (host) => {
  it.each(['app', 'site'] as const)('the %s origin answers each with 400 and keeps serving', async (origin) => {
    const port = origin === 'app' ? host.port : Number(new URL(host.siteUrl).port);
    for (const target of malformedTargets) {
      const status = await rawRequest(
        port,
        `GET ${target} HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nConnection: close\r\n\r\n`,
      );
      expect(status, `GET ${target}`).toMatch(/^HTTP\/1\.1 400 /);
    }
    const index = await fetch(host.url);
    expect(index.status).toBe(200);
    await index.body?.cancel();
  });
});
