import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, ENGINES, type Client, type TestApp } from '../../test/harness.ts';

/** Home-visit appointments from the resident's side, editing catalogue items, managing certificate lists. */

const JC = '330212014027';

describe.each(ENGINES)('appointments, item edits and certificate lists on %s', (engine) => {
  let t: TestApp;
  let resident: Client;
  let owner: Client;
  let worker: Client;
  let district: Client;
  let other: Client;
  let items: { id: string; name: string; homeVisit: boolean; version: number; timeLimitDays: number }[];
  const item = (name: string) => items.find((i) => i.name === name)!;
  beforeAll(async () => {
    t = await createTestApp(engine);
    [resident, owner, worker, district, other] = await Promise.all(
      ['jc-resident', 'jc-owner-01', 'jiangcheng', 'yinzhou', 'xinfengyuan'].map((u) => t.login(u)),
    );
    items = (await resident.get('/api/services/catalogue')).json().categories.flatMap((c: { items: unknown[] }) => c.items);
  });
  afterAll(async () => t?.close());

  /** Opens one slot in the worker's calendar, days ahead at the given hour (China time). */
  async function openSlot(daysAhead: number, hour: number) {
    const d = new Date(Date.now() + 8 * 3600_000 + daysAhead * 86_400_000).toISOString().slice(0, 10);
    const start = new Date(`${d}T${String(hour).padStart(2, '0')}:00:00+08:00`);
    const r = await worker.post('/api/services/slots', {
      communityCode: JC,
      slots: [{ startsAt: start.toISOString(), endsAt: new Date(start.getTime() + 3600_000).toISOString() }],
    });
    expect(r.statusCode).toBe(201);
    return r.json().items[0] as { id: string; startsAt: string };
  }

  it('a resident picks a free slot for a home-visit item; the worker sees it booked in the calendar', async () => {
    const slot = await openSlot(10, 9);
    const from = new Date().toISOString();
    const to = new Date(Date.now() + 14 * 86_400_000).toISOString();
    const free = (await resident.get(`/api/services/slots?from=${from}&to=${to}`)).json().items;
    expect(free.some((s: { id: string }) => s.id === slot.id)).toBe(true);
    expect(free.every((s: { state: string }) => s.state === 'open')).toBe(true);
    const homeItem = item('居家养老服务补贴申请');
    expect(homeItem.homeVisit).toBe(true);
    // An item without home visits cannot be booked this way.
    const plain = items.find((i) => !i.homeVisit)!;
    expect((await resident.post('/api/services/appointments', { itemId: plain.id, slotId: slot.id })).statusCode).toBe(400);
    const r = await resident.post('/api/services/appointments', { itemId: homeItem.id, slotId: slot.id, note: '老人行动不便，请上门评估' });
    expect(r.statusCode).toBe(201);
    const { application, slot: booked } = r.json();
    expect(application.channel).toBe('home_visit');
    expect(application.handlerName).toBe(booked.workerName);
    expect(booked.state).toBe('booked');
    const calendar = (await worker.get(`/api/services/slots?communityCode=${JC}&from=${from}&to=${to}`)).json().items;
    expect(calendar.find((s: { id: string }) => s.id === slot.id)).toMatchObject({ state: 'booked', applicationId: application.id });
    // No longer offered to residents; a second booking is refused.
    expect((await owner.get(`/api/services/slots?from=${from}&to=${to}`)).json().items.some((s: { id: string }) => s.id === slot.id)).toBe(
      false,
    );
    const again = await owner.post('/api/services/appointments', { itemId: homeItem.id, slotId: slot.id });
    expect(again.statusCode).toBe(409);
    expect(again.json().error.code).toBe('SLOT_UNAVAILABLE');
    const notes = (await worker.get('/api/services/notifications')).json().items;
    expect(notes.some((n: { subjectId: string }) => n.subjectId === application.id)).toBe(true);
    // Booking is a resident's act: another community's worker is refused outright.
    expect((await other.post('/api/services/appointments', { itemId: homeItem.id, slotId: slot.id })).statusCode).toBe(403);
  });

  it('two residents racing for one slot: exactly one books it, the other leaves no application behind', async () => {
    const slot = await openSlot(11, 14);
    const homeItem = item('居家养老服务补贴申请');
    const count = async () =>
      Number(
        (
          await t.ctx.db
            .selectFrom('service_application')
            .select((eb) => eb.fn.countAll<number>().as('n'))
            .where('community_code', '=', JC)
            .executeTakeFirstOrThrow()
        ).n,
      );
    const before = await count();
    const results = await Promise.all(
      [resident, owner, resident, owner].map((c, i) =>
        c.post('/api/services/appointments', { itemId: homeItem.id, slotId: slot.id, note: `race ${i}` }),
      ),
    );
    const codes = results.map((r) => r.statusCode).sort();
    expect(codes).toEqual([201, 409, 409, 409]);
    expect(await count()).toBe(before + 1);
    const row = await t.ctx.db
      .selectFrom('service_slot')
      .select(['state', 'application_id'])
      .where('id', '=', slot.id)
      .executeTakeFirstOrThrow();
    expect(row.state).toBe('booked');
    expect(row.application_id).toBe(results.find((r) => r.statusCode === 201)!.json().application.id);
  });

  it('edits an item with its version; open applications keep their deadline', async () => {
    const it0 = item('失业登记');
    const open = (await resident.post('/api/services/applications', { itemId: it0.id, note: '申请失业登记' })).json();
    const patch = {
      version: it0.version,
      description: '失业人员办理失业登记，享受就业服务和失业保险待遇',
      eligibility: '法定劳动年龄内、有劳动能力和就业要求、处于无业状态的本社区居民',
      materials: [
        { name: '居民身份证', required: true },
        { name: '解除劳动合同证明', required: false },
      ],
      handlerRole: 'street_staff',
      timeLimitDays: it0.timeLimitDays + 5,
      feeFen: 0,
      certificateType: null,
    };
    // A community worker may not configure the catalogue.
    expect((await worker.patch(`/api/services/items/${it0.id}`, patch)).statusCode).toBe(403);
    const r = await district.patch(`/api/services/items/${it0.id}`, patch);
    expect(r.statusCode).toBe(200);
    expect(r.json()).toMatchObject({
      eligibility: patch.eligibility,
      handlerRole: 'street_staff',
      timeLimitDays: it0.timeLimitDays + 5,
      version: it0.version + 1,
    });
    expect(r.json().materials).toHaveLength(2);
    // The same stale version again is refused.
    const stale = await district.patch(`/api/services/items/${it0.id}`, { ...patch, eligibility: '改动' });
    expect(stale.statusCode).toBe(409);
    expect(
      (await district.patch(`/api/services/items/${it0.id}`, { ...patch, version: r.json().version, handlerRole: 'nobody' })).statusCode,
    ).toBe(400);
    const after = (await resident.get(`/api/services/applications/${open.id}`)).json();
    expect(after.dueAt).toBe(open.dueAt);
    const audit = await t.ctx.db.selectFrom('audit_log').select(['action', 'details']).where('target_id', '=', it0.id).execute();
    expect(audit.some((a) => a.action === 'service.item.update')).toBe(true);
  });

  it('certificate lists: the district adds and removes types with legal bases; refusals name the verifying department', async () => {
    const types = (await district.get('/api/certificates/types')).json().items;
    const kinship = types.find((x: { key: string }) => x.key === 'kinship');
    expect(kinship.communityMayIssue).toBe(false);
    expect(kinship.verifiedBy).toContain('公安');
    const refused = await district.post(`/api/certificates/lists/${JC}`, { typeKey: 'kinship' });
    expect(refused.statusCode).toBe(400);
    expect(JSON.stringify(refused.json())).toContain('公安派出所');
    // Community workers read the list but do not change it.
    expect((await worker.get(`/api/certificates/lists/${JC}`)).statusCode).toBe(200);
    expect((await worker.post(`/api/certificates/lists/${JC}`, { typeKey: 'residence' })).statusCode).toBe(403);
    const list = (await district.get(`/api/certificates/lists/${JC}`)).json();
    const entry = list.entries.find((e: { typeKey: string }) => e.typeKey === 'hardship');
    const removed = (await district.delete(`/api/certificates/lists/${JC}/${entry.id}`)).json();
    expect(removed.entries.some((e: { typeKey: string }) => e.typeKey === 'hardship')).toBe(false);
    const added = await district.post(`/api/certificates/lists/${JC}`, {
      typeKey: 'hardship',
      legalBasis: '《社会救助暂行办法》（国务院令第649号）第十一条',
      validityDays: 60,
    });
    expect(added.statusCode).toBe(200);
    expect(added.json().entries.find((e: { typeKey: string }) => e.typeKey === 'hardship').validityDays).toBe(60);
    const audit = await t.ctx.db.selectFrom('audit_log').select('action').where('place_code', '=', JC).execute();
    expect(audit.map((a) => a.action)).toEqual(expect.arrayContaining(['certificate.list.add', 'certificate.list.remove']));
  });
});
