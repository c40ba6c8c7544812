import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { createTestApp, ENGINES, type TestApp } from '../test/harness.ts';
import { appendAudit, appendAuditBatch, canonicalJson, sealAudit, startAuditSealer, verifyAuditChain } from './audit.ts';

describe('canonicalJson', () => {
  it('sorts keys at every depth so storage order cannot change a hash', () => {
    expect(canonicalJson({ b: 1, a: { d: [2, { z: 1, y: 2 }], c: null } })).toBe('{"a":{"c":null,"d":[2,{"y":2,"z":1}]},"b":1}');
  });
});

describe.each(ENGINES)('audit log on %s', (engine) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp(engine);
    await t.login('jiangcheng');
    for (let i = 0; i < 5; i++)
      await appendAudit(t.ctx.db, { actorName: 'test', action: 'test.event', details: { i, nested: { b: 2, a: 1 } } });
  });
  afterAll(async () => t?.close());

  it('verifies an untouched chain', async () => {
    const report = await verifyAuditChain(t.ctx.db);
    expect(report).toMatchObject({ ok: true, brokenAt: null });
    expect(report.checked).toBeGreaterThanOrEqual(7);
  });

  it('refuses updates and deletes at the database', async () => {
    await expect(sql`update audit_log set action = 'x' where id = 1`.execute(t.ctx.db)).rejects.toThrow(/append-only/);
    await expect(sql`delete from audit_log where id = 1`.execute(t.ctx.db)).rejects.toThrow(/append-only/);
  });

  it('chains concurrent writers in commit order, skipping rolled-back rows, with no gap in seq', async () => {
    const before = await sealAudit(t.ctx.db, { wait: true });
    expect(before).toBeGreaterThanOrEqual(0);
    const writes = Array.from({ length: 40 }, (_, i) =>
      t.ctx.db
        .transaction()
        .execute(async (tx) => {
          await appendAudit(tx, { actorName: 'race', action: 'test.race', details: { i } });
          if (i % 7 === 0) throw new Error('rolled back');
        })
        .catch(() => 'rolled back'),
    );
    // Two sealers race the writers: the head lets one seal at a time, the other skips.
    const sealing = Promise.all([sealAudit(t.ctx.db), sealAudit(t.ctx.db)]);
    await Promise.all(writes);
    await sealing;
    await appendAuditBatch(t.ctx.db, [
      { actorName: 'race', action: 'test.batch', details: { k: 1 } },
      { actorName: 'race', action: 'test.batch', details: { k: 2 } },
    ]);
    const report = await verifyAuditChain(t.ctx.db);
    expect(report).toMatchObject({ ok: true, brokenAt: null });
    const r = await sql<{ n: number; unsealed: number; maxseq: number; race: number }>`
      select count(*)::int as n, count(*) filter (where seq is null)::int as unsealed, max(seq)::int as maxseq,
             count(*) filter (where action = 'test.race')::int as race
      from audit_log`.execute(t.ctx.db);
    expect(r.rows[0]).toMatchObject({ unsealed: 0, race: 40 - 6 });
    expect(r.rows[0].maxseq).toBe(r.rows[0].n);
    expect(report.checked).toBe(r.rows[0].n);
  });

  it('lets the sealer fill the chain once and nothing else through the append-only trigger', async () => {
    await appendAudit(t.ctx.db, { actorName: 'test', action: 'test.unsealed' });
    const row = await t.ctx.db
      .selectFrom('audit_log')
      .select(['id', 'seq'])
      .where('action', '=', 'test.unsealed')
      .executeTakeFirstOrThrow();
    expect(row.seq).toBeNull();
    await expect(sql`update audit_log set action = 'x' where id = ${row.id}`.execute(t.ctx.db)).rejects.toThrow(/append-only/);
    await expect(
      sql`update audit_log set seq = 999999, prev_hash = 'a', hash = 'b', actor_name = 'forged' where id = ${row.id}`.execute(t.ctx.db),
    ).rejects.toThrow(/append-only/);
    await sealAudit(t.ctx.db, { wait: true });
    await expect(sql`update audit_log set seq = seq + 1000 where id = ${row.id}`.execute(t.ctx.db)).rejects.toThrow(/append-only/);
    expect((await verifyAuditChain(t.ctx.db)).ok).toBe(true);
  });

  it('seals in the background soon after a write, and seals the rest on stop', async () => {
    const stop = startAuditSealer(t.ctx.db, { intervalMs: 20, idleMs: 60_000 });
    try {
      await appendAudit(t.ctx.db, { actorName: 'test', action: 'test.background' });
      const sealed = async () =>
        (await t.ctx.db.selectFrom('audit_log').select('seq').where('action', '=', 'test.background').executeTakeFirstOrThrow()).seq;
      const deadline = Date.now() + 5000;
      while ((await sealed()) === null && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
      expect(await sealed()).not.toBeNull();
    } finally {
      await stop();
    }
    await appendAudit(t.ctx.db, { actorName: 'test', action: 'test.after-stop' });
    const after = await t.ctx.db.selectFrom('audit_log').select('seq').where('action', '=', 'test.after-stop').executeTakeFirstOrThrow();
    expect(after.seq).toBeNull();
  });

  it('lets only the audit administrator search, export and verify it', async () => {
    const auditor = await t.login('auditor');
    const list = await auditor.get('/api/audit?action=auth.login&pageSize=5');
    expect(list.statusCode).toBe(200);
    expect(list.json().total).toBeGreaterThanOrEqual(2);
    expect(list.json().items[0]).toMatchObject({ action: 'auth.login', outcome: 'success' });
    const csv = await auditor.get('/api/audit/export?action=auth');
    expect(csv.statusCode).toBe(200);
    expect(csv.headers['content-type']).toContain('text/csv');
    expect(csv.body.charCodeAt(0)).toBe(0xfeff);
    expect(csv.body).toContain('auth.login');
    expect((await auditor.get('/api/audit/verify')).json()).toMatchObject({ ok: true });
    for (const who of ['sysadmin', 'secadmin', 'yinzhou', 'jiangcheng']) {
      const c = await t.login(who);
      expect((await c.get('/api/audit')).statusCode, who).toBe(403);
    }
  });

  it('detects a changed row, a deleted row and a deleted tail', async () => {
    // Tampering needs the trigger off, as an attacker with database access would do.
    await sql`alter table audit_log disable trigger audit_log_no_update`.execute(t.ctx.db);
    try {
      const target = 3;
      await sql`update audit_log set details = '{"i": 999}' where seq = ${target}`.execute(t.ctx.db);
      let report = await verifyAuditChain(t.ctx.db);
      expect(report).toMatchObject({ ok: false, brokenAt: target });
      const auditor = await t.login('auditor');
      expect((await auditor.get('/api/audit/verify')).json()).toMatchObject({ ok: false, brokenAt: target });

      const original = await t.ctx.db.selectFrom('audit_log').select('hash').where('seq', '=', target).executeTakeFirstOrThrow();
      await sql`delete from audit_log where seq = ${target}`.execute(t.ctx.db);
      report = await verifyAuditChain(t.ctx.db);
      expect(report).toMatchObject({ ok: false, brokenAt: target });
      expect(report.reason).toMatch(/missing/);
      expect(original.hash).toHaveLength(64);

      const last = await sql<{ id: number }>`select max(seq)::int as id from audit_log`.execute(t.ctx.db);
      await sql`delete from audit_log where seq >= ${target}`.execute(t.ctx.db);
      report = await verifyAuditChain(t.ctx.db);
      expect(report.ok).toBe(false);
      expect(report.reason).toMatch(/head/);
      expect(last.rows[0].id).toBeGreaterThan(target);
    } finally {
      await sql`alter table audit_log enable trigger audit_log_no_update`.execute(t.ctx.db);
    }
  });
});
