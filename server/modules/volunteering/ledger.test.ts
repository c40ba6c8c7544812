import crypto from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { canonicalJson } from '../../core/audit.ts';
import { createTestContext, ENGINES, type TestContext } from '../../test/harness.ts';
import { appendPoints, balanceOf, ledgerHash, verifyPointsLedger, type PointsEntry } from './ledger.ts';

/**
 * The ledger's bulk path: chunked appends cross statement boundaries without a broken link,
 * concurrent appenders on one chain queue on the head row (no duplicate seq, no fork), and the
 * one-call hash is the canonical one the earlier entries were sealed with.
 */

// A district of its own, so the demo's chain (330212) is not touched.
const DISTRICT = '330299';

function entries(n: number, people: string[], tag: string): PointsEntry[] {
  return Array.from({ length: n }, (_, i) => ({
    personId: people[i % people.length],
    communityCode: '330299001001',
    delta: (i % 7) + 1,
    reason: 'volunteer_hour',
    refType: i % 3 ? 'project' : null,
    refId: i % 3 ? `${tag}-${i}` : null,
    actorName: `组织者 "${tag}"`,
  }));
}

describe.each(ENGINES)('points ledger on %s', (engine) => {
  let t: TestContext;
  const people = Array.from({ length: 5 }, () => crypto.randomUUID());
  beforeAll(async () => {
    t = await createTestContext(engine);
  });
  afterAll(async () => t?.close());

  it('hashes exactly like the canonical JSON form', () => {
    const row = {
      district_code: DISTRICT,
      seq: 12,
      at: new Date('2026-11-30T08:00:00.123Z'),
      person_id: people[0],
      community_code: '330299001001',
      delta: -30,
      reason: 'redeem',
      ref_type: null,
      ref_id: '米 "五常" 5kg\n',
      actor_name: '王小明',
    };
    const body = canonicalJson([
      row.district_code,
      row.seq,
      row.at.toISOString(),
      row.person_id,
      row.community_code,
      row.delta,
      row.reason,
      row.ref_type,
      row.ref_id,
      row.actor_name,
    ]);
    const expected = crypto.createHash('sha256').update('0'.repeat(64)).update('\n').update(body).digest('hex');
    expect(ledgerHash('0'.repeat(64), row)).toBe(expected);
  });

  it('a bulk append larger than one statement chunk stays one unbroken chain with exact balances', async () => {
    const batch = entries(23_456, people, 'bulk');
    const seqs = await t.ctx.db.transaction().execute((tx) => appendPoints(tx, DISTRICT, batch));
    expect(seqs[0]).toBe(1);
    expect(seqs.at(-1)).toBe(23_456);
    const report = await verifyPointsLedger(t.ctx.db, DISTRICT);
    expect(report).toMatchObject({ ok: true, checked: 23_456 });
    const want = batch.filter((e) => e.personId === people[2]).reduce((s, e) => s + e.delta, 0);
    expect(await balanceOf(t.ctx.db, DISTRICT, people[2])).toBe(want);
  });

  it('concurrent appenders queue on the head: no duplicate seq, no fork, every entry kept', async () => {
    const before = (await verifyPointsLedger(t.ctx.db, DISTRICT)).checked;
    const writers = Array.from({ length: 6 }, (_, w) =>
      t.ctx.db.transaction().execute((tx) => appendPoints(tx, DISTRICT, entries(50 + w * 7, people, `w${w}`))),
    );
    const results = await Promise.all(writers);
    const all = results.flat().sort((a, b) => a - b);
    const total = results.reduce((s, r) => s + r.length, 0);
    expect(new Set(all).size).toBe(total);
    expect(all[0]).toBe(before + 1);
    expect(all.at(-1)).toBe(before + total);
    // Each writer got one contiguous run (its transaction held the head while it appended).
    for (const r of results) expect(r.at(-1)! - r[0]).toBe(r.length - 1);
    expect(await verifyPointsLedger(t.ctx.db, DISTRICT)).toMatchObject({ ok: true, checked: before + total });
  });

  it('a rolled-back append leaves neither entries nor a moved head', async () => {
    const before = await verifyPointsLedger(t.ctx.db, DISTRICT);
    await expect(
      t.ctx.db.transaction().execute(async (tx) => {
        await appendPoints(tx, DISTRICT, entries(100, people, 'undo'));
        throw new Error('the caller fails after appending');
      }),
    ).rejects.toThrow('the caller fails');
    expect(await verifyPointsLedger(t.ctx.db, DISTRICT)).toMatchObject({ ok: true, checked: before.checked });
    await expect(
      t.ctx.db.transaction().execute((tx) => appendPoints(tx, DISTRICT, [{ ...entries(1, people, 'z')[0], delta: 0 }])),
    ).rejects.toThrow('non-zero integer');
  });

  it('the database refuses to change, delete or truncate ledger entries (migration 0011)', async () => {
    const db = t.ctx.db;
    const before = await verifyPointsLedger(db, DISTRICT);
    expect(before.ok).toBe(true);
    const one = db.updateTable('points_ledger').where('district_code', '=', DISTRICT).where('seq', '=', 1);
    await expect(one.set({ delta: 999 }).execute()).rejects.toThrow(/append-only/);
    await expect(one.set({ reason: 'redeem', hash: 'f'.repeat(64) }).execute()).rejects.toThrow(/append-only/);
    await expect(
      db.deleteFrom('points_ledger').where('district_code', '=', DISTRICT).where('seq', '=', before.checked).execute(),
    ).rejects.toThrow(/append-only/);
    await expect(sql`truncate points_ledger`.execute(db)).rejects.toThrow(/append-only/);
    // Appending still works, and nothing above left a trace.
    await db.transaction().execute((tx) => appendPoints(tx, DISTRICT, entries(3, people, 'after-guard')));
    expect(await verifyPointsLedger(db, DISTRICT)).toMatchObject({ ok: true, checked: before.checked + 3 });
  });

  it('detects a removed tail entry through the head', async () => {
    const r = await verifyPointsLedger(t.ctx.db, DISTRICT);
    // Removing an entry needs the guard off, as an attacker with database access would do.
    await sql`alter table points_ledger disable trigger points_ledger_no_update`.execute(t.ctx.db);
    try {
      await t.ctx.db.deleteFrom('points_ledger').where('district_code', '=', DISTRICT).where('seq', '=', r.checked).execute();
    } finally {
      await sql`alter table points_ledger enable trigger points_ledger_no_update`.execute(t.ctx.db);
    }
    const after = await verifyPointsLedger(t.ctx.db, DISTRICT);
    expect(after.ok).toBe(false);
    expect(after.districts[0].reason).toContain('head');
  });
});
