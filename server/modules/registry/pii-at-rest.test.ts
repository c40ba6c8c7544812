import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { execFile, spawn } from 'node:child_process';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { makeIdNumber } from './id-number.ts';
import { writeCsv } from './test-support/sheets.ts';

/**
 * R4 end to end on a real data directory: people imported with the CLI, then searched by exact
 * ID number and phone (in the query string), revealed and exported through a running server with
 * request logging on. Afterwards no ID number or phone may appear in any file under the data
 * directory nor in the logs — while the names (stored in clear) are found, so the scan works.
 */
const run = promisify(execFile);
const BIN = path.resolve('bin/gongzhi.js');
const PASSWORD = 'Jiang#2026cheng';

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = net.createServer().listen(0, '127.0.0.1', () => {
      const port = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(port));
    });
  });
}

function filesUnder(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    return e.isDirectory() ? filesUnder(p) : e.isFile() ? [p] : [];
  });
}

describe('personal data never stored or logged in clear', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gz-pii-'));
  const dataDir = path.join(dir, 'data');
  const env = { ...process.env, GONGZHI_DATA_DIR: dataDir, LOG_LEVEL: 'info', GONGZHI_DEMO: '0' } as Record<string, string>;
  delete env.DATABASE_URL;
  const people = Array.from({ length: 30 }, (_, i) => ({
    name: `欧阳测试${'一二三四五六七八九十'[i % 10]}${'甲乙丙'[Math.floor(i / 10)]}`,
    id: makeIdNumber('330212', `19${60 + (i % 30)}-0${1 + (i % 9)}-1${i % 9}`, 100 + i),
    phone: `1390574${String(1000 + i).padStart(4, '0')}`,
  }));
  const logs: string[] = [];
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('imports with the CLI (JSON summary, exit codes, error report), serves, then leaves no trace', async () => {
    const rows = people.map((p) => [p.name, p.id, p.phone, '汉族', '户籍', '', '', '', '', '']);
    const good = writeCsv(path.join(dir, 'people.csv'), rows, 'gbk');
    const r1 = await run(process.execPath, [BIN, 'import', 'people', good, '--community', '330212014027', '--mode', 'all', '--json'], {
      env,
      cwd: dir,
      timeout: 120_000,
    });
    logs.push(r1.stdout, r1.stderr);
    expect(JSON.parse(r1.stdout)).toEqual({ imported: 30, updated: 0, rejected: 0, report: null });

    // All or nothing with a bad row: nothing imported, exit code 1, a report next to the file.
    const bad = [
      ...rows.slice(0, 2),
      ['坏行', people[0].id.slice(0, 17) + (people[0].id[17] === '1' ? '2' : '1'), '', '', '', '', '', '', '', ''],
    ];
    const badFile = writeCsv(path.join(dir, 'bad.csv'), bad, 'utf8');
    const r2 = await run(process.execPath, [BIN, 'import', 'people', badFile, '--community', '330212014027', '--mode', 'all', '--json'], {
      env,
      cwd: dir,
      timeout: 120_000,
    }).then(
      () => null,
      (e: { code: number; stdout: string; stderr: string }) => e,
    );
    expect(r2?.code).toBe(1);
    logs.push(r2!.stdout, r2!.stderr);
    const summary = JSON.parse(r2!.stdout);
    expect(summary).toMatchObject({ imported: 0, updated: 0, rejected: 1 });
    expect(fs.existsSync(summary.report)).toBe(true);

    const user = await run(
      process.execPath,
      [
        BIN,
        'users',
        'create',
        'jcworker',
        '--name',
        '江城社区 测试',
        '--password',
        PASSWORD,
        '--role',
        'community_worker',
        '--scope',
        '330212014027',
      ],
      { env, cwd: dir, timeout: 120_000 },
    );
    logs.push(user.stdout, user.stderr);

    const port = await freePort();
    const server = spawn(process.execPath, [BIN, 'serve'], { env: { ...env, PORT: String(port), HOST: '127.0.0.1' }, cwd: dir });
    let out = '';
    server.stdout.on('data', (d) => (out += d));
    server.stderr.on('data', (d) => (out += d));
    const base = `http://127.0.0.1:${port}`;
    try {
      for (let i = 0; i < 600; i++) {
        const ok = await fetch(`${base}/api/health`).then(
          (r) => r.ok,
          () => false,
        );
        if (ok) break;
        await new Promise((r) => setTimeout(r, 100));
      }
      const login = await fetch(`${base}/api/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ username: 'jcworker', password: PASSWORD }),
      });
      expect(login.status).toBe(200);
      const cookie = login.headers.get('set-cookie')!.split(';')[0];
      const csrf = ((await login.json()) as { csrfToken: string }).csrfToken;
      const h = { cookie, 'x-csrf-token': csrf, 'content-type': 'application/json' };
      // An account created with the CLI changes its initial password first.
      const changed = await fetch(`${base}/api/me/password`, {
        method: 'POST',
        headers: h,
        body: JSON.stringify({ currentPassword: PASSWORD, newPassword: 'Changed#2026jc' }),
      });
      expect(changed.status).toBeLessThan(300);
      const byId = await fetch(`${base}/api/registry/persons?q=${people[3].id}`, { headers: h });
      if (byId.status === 403) {
        const body = await byId.json();
        throw new Error(`search refused: ${JSON.stringify(body)}`);
      }
      expect(((await byId.json()) as { items: { name: string }[] }).items.map((p) => p.name)).toEqual([people[3].name]);
      const byPhone = await fetch(`${base}/api/registry/persons?q=${people[4].phone}`, { headers: h });
      const found = ((await byPhone.json()) as { items: { id: string; phoneMasked: string }[] }).items;
      expect(found[0].phoneMasked).toBe(`139****${people[4].phone.slice(7)}`);
      const reveal = await fetch(`${base}/api/registry/persons/${found[0].id}/reveal`, {
        method: 'POST',
        headers: h,
        body: JSON.stringify({ reason: '核对' }),
      });
      expect(((await reveal.json()) as { phone: string }).phone).toBe(people[4].phone);
      const exported = await fetch(`${base}/api/registry/persons/export.xlsx`, { headers: h });
      expect(exported.status).toBe(200);
      expect((await exported.arrayBuffer()).byteLength).toBeGreaterThan(1000);
    } finally {
      server.kill('SIGTERM');
      await new Promise((r) => server.once('exit', r));
    }
    logs.push(out);
    expect(out).toContain('incoming request'); // request logging was on

    const haystacks = [...filesUnder(dataDir).map((f) => fs.readFileSync(f)), Buffer.from(logs.join('\n'))];
    const containing = (needle: string) => haystacks.filter((h) => h.includes(Buffer.from(needle, 'utf8'))).length;
    // The scan can find what is stored in clear: names.
    expect(containing(people[0].name)).toBeGreaterThan(0);
    for (const p of people) {
      expect(containing(p.id), `ID ${p.id}`).toBe(0);
      expect(containing(p.phone), `phone ${p.phone}`).toBe(0);
    }
  }, 240_000);
});
