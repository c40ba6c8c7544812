import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, ENGINES, phoneOfAccount, type Client, type TestApp } from '../../test/harness.ts';
import { makeIdNumber } from '../registry/id-number.ts';

/** The services workflow through the API as its real users: resident, window worker, another community, the public. */

const JC = '330212014027';
const png = Buffer.from('89504e470d0a1a0a0000000d4948445200000001000000010806000000', 'hex').toString('base64');

async function pdfText(buf: Buffer) {
  const pdfjs = await import('pdfjs-dist/legacy/build/pdf.mjs');
  const doc = await pdfjs.getDocument({ data: new Uint8Array(buf), useSystemFonts: false }).promise;
  let text = '';
  for (let i = 1; i <= doc.numPages; i++) {
    const c = await (await doc.getPage(i)).getTextContent();
    text += c.items.map((it) => ('str' in it ? it.str : '')).join('');
  }
  return { pages: doc.numPages, text };
}

describe.each(ENGINES)('services on %s', (engine) => {
  let t: TestApp;
  let resident: Client;
  let volunteer: Client;
  let worker: Client;
  let other: Client;
  let items: { id: string; name: string; homeVisit: boolean; certificateType: string | null }[];
  const item = (name: string) => items.find((i) => i.name === name)!;
  beforeAll(async () => {
    t = await createTestApp(engine);
    [resident, volunteer, worker, other] = await Promise.all(
      ['jc-resident', 'jc-volunteer', 'jiangcheng', 'xinfengyuan'].map((u) => t.login(u)),
    );
    const cat = (await resident.get('/api/services/catalogue')).json();
    items = cat.categories.flatMap((c: { items: unknown[] }) => c.items);
  });
  afterAll(async () => t?.close());

  it("publishes Yinzhou's 5×36 catalogue in 江城社区 and Daoli's 6×24 shape in 天宁区", async () => {
    const jc = (await resident.get('/api/services/catalogue')).json();
    expect(jc.community.name).toBe('江城社区');
    expect(jc.categories).toHaveLength(5);
    expect(items).toHaveLength(36);
    expect(item('居住证明开具').certificateType).toBe('residence');
    const tn = (await other.get('/api/services/catalogue')).json();
    expect(tn.categories).toHaveLength(6);
    expect(tn.categories.flatMap((c: { items: unknown[] }) => c.items)).toHaveLength(24);
    // Another community's catalogue is out of reach.
    expect((await other.get(`/api/services/catalogue?communityCode=${JC}`)).statusCode).toBe(403);
  });

  it('walks an application: apply online → materials requested → supplemented → processing → done, notified at each step', async () => {
    const applied = await resident.post('/api/services/applications', {
      itemId: item('老年人优待证办理').id,
      note: '办理老年人优待证',
      materials: [{ name: '居民身份证', fileName: 'id.png', mime: 'image/png', dataBase64: png }],
      idempotencyKey: 'test-apply-0001',
    });
    expect(applied.statusCode).toBe(201);
    const a = applied.json();
    expect(a.state).toBe('accepted');
    expect(a.number).toMatch(/^FW330212\d{12}$/);
    expect(a.deadline).toMatch(/green|yellow/);
    // The same submission retried from a bad network is the same application.
    const again = await resident.post('/api/services/applications', {
      itemId: item('老年人优待证办理').id,
      idempotencyKey: 'test-apply-0001',
    });
    expect(again.json().id).toBe(a.id);
    // Followed by number; invisible to another resident.
    expect((await resident.get(`/api/services/applications/by-number/${a.number}`)).json().id).toBe(a.id);
    expect((await volunteer.get(`/api/services/applications/${a.id}`)).statusCode).toBe(404);
    expect((await other.get(`/api/services/applications/${a.id}`)).statusCode).toBe(404);
    // The resident cannot take the worker's steps.
    expect((await resident.post(`/api/services/applications/${a.id}/actions`, { action: 'start', version: a.version })).statusCode).toBe(
      403,
    );

    const inbox = (await worker.get('/api/services/applications?state=accepted')).json().items;
    expect(inbox.some((x: { id: string }) => x.id === a.id)).toBe(true);
    const noNote = await worker.post(`/api/services/applications/${a.id}/actions`, { action: 'request_materials', version: a.version });
    expect(noNote.statusCode).toBe(400);
    const req = await worker.post(`/api/services/applications/${a.id}/actions`, {
      action: 'request_materials',
      version: a.version,
      note: '请补充近期一寸免冠照片',
    });
    expect(req.json().state).toBe('materials_requested');
    expect(req.json().deadline).toBe('paused');
    const sup = await resident.post(`/api/services/applications/${a.id}/actions`, {
      action: 'supplement',
      version: req.json().version,
      materials: [{ name: '近期一寸免冠照片', fileName: 'photo.png', mime: 'image/png', dataBase64: png }],
    });
    expect(sup.json().state).toBe('supplemented');
    const stale = await worker.post(`/api/services/applications/${a.id}/actions`, { action: 'start', version: req.json().version });
    expect(stale.statusCode).toBe(409);
    expect(stale.json().error.code).toBe('VERSION_CONFLICT');
    const started = await worker.post(`/api/services/applications/${a.id}/actions`, { action: 'start', version: sup.json().version });
    expect(started.json().state).toBe('processing');
    const done = await worker.post(`/api/services/applications/${a.id}/actions`, {
      action: 'complete',
      version: started.json().version,
      note: '优待证已制卡，请到社区领取',
    });
    expect(done.json().state).toBe('done');
    const wrong = await worker.post(`/api/services/applications/${a.id}/actions`, { action: 'start', version: done.json().version });
    expect(wrong.json().error.code).toBe('APPLICATION_STATE');

    const detail = (await resident.get(`/api/services/applications/${a.id}`)).json();
    expect(detail.steps.map((s: { action: string }) => s.action)).toEqual([
      'submit',
      'request_materials',
      'supplement',
      'start',
      'complete',
    ]);
    expect(detail.materials).toHaveLength(2);
    const file = await resident.get(`/api/services/applications/${a.id}/materials/${detail.materials[0].id}`);
    expect(file.headers['content-type']).toBe('image/png');
    const notes = (await resident.get('/api/services/notifications'))
      .json()
      .items.filter((n: { subjectId: string }) => n.subjectId === a.id);
    // submit, materials requested, processing, done (the resident's own supplement needs no notice).
    expect(notes.length).toBe(4);
  });

  it('refuses with a reason, and a resident may withdraw', async () => {
    const a = (await resident.post('/api/services/applications', { itemId: item('临时救助申请').id, note: '生活困难' })).json();
    const refuse0 = await worker.post(`/api/services/applications/${a.id}/actions`, { action: 'refuse', version: a.version, note: '' });
    expect(refuse0.statusCode).toBe(400);
    const refused = (
      await worker.post(`/api/services/applications/${a.id}/actions`, {
        action: 'refuse',
        version: a.version,
        note: '家庭收入高于救助标准',
      })
    ).json();
    expect(refused.state).toBe('refused');
    expect(refused.refusalReason).toBe('家庭收入高于救助标准');
    const b = (await resident.post('/api/services/applications', { itemId: item('失业登记').id })).json();
    expect(
      (await resident.post(`/api/services/applications/${b.id}/actions`, { action: 'withdraw', version: b.version })).json().state,
    ).toBe('withdrawn');
  });

  it('shows deadlines green, then red once overdue (clock moved)', async () => {
    const a = (await resident.post('/api/services/applications', { itemId: item('生育登记').id })).json();
    expect(a.deadline).not.toBe('red');
    await t.ctx.db
      .updateTable('service_application')
      .set({ accepted_at: new Date(Date.now() - 20 * 86_400_000), due_at: new Date(Date.now() - 86_400_000) })
      .where('id', '=', a.id)
      .execute();
    const overdue = (await worker.get('/api/services/applications?overdue=true')).json().items;
    expect(overdue.find((x: { id: string }) => x.id === a.id)?.deadline).toBe('red');
  });

  it('one window: finds a resident by ID number or phone and accepts any item at the counter', async () => {
    const idNumber = makeIdNumber('330212', '1942-01-08', 946);
    const byId = (await worker.get(`/api/services/window/lookup?q=${idNumber}`)).json().items;
    expect(byId).toHaveLength(1);
    expect(byId[0].person.name).toBe('刘淑珍');
    expect(byId[0].person.idMasked).not.toContain('19420108');
    const byPhone = (await worker.get('/api/services/window/lookup?q=13405746606')).json().items;
    expect(byPhone[0].person.id).toBe(byId[0].person.id);
    expect((await other.get(`/api/services/window/lookup?q=${idNumber}`)).json().items).toHaveLength(0);
    expect((await resident.get(`/api/services/window/lookup?q=${idNumber}`)).statusCode).toBe(403);
    const a = await worker.post('/api/services/applications', {
      itemId: item('重度残疾人托养服务申请').id,
      personId: byId[0].person.id,
      note: '家属代为申请',
    });
    expect(a.statusCode).toBe(201);
    expect(a.json().channel).toBe('counter');
    expect((await other.post('/api/services/applications', { itemId: item('生育登记').id, personId: byId[0].person.id })).statusCode).toBe(
      404,
    );

    // Home visit: the worker opens slots, the application books one; a second booking is refused.
    const start = new Date(Date.now() + 10 * 86_400_000);
    const slots = (
      await worker.post('/api/services/slots', {
        communityCode: JC,
        slots: [{ startsAt: start.toISOString(), endsAt: new Date(start.getTime() + 3600_000).toISOString() }],
      })
    ).json().items;
    const booked = await worker.post(`/api/services/slots/${slots[0].id}/book`, { applicationId: a.json().id, note: '上门评估' });
    expect(booked.json().state).toBe('booked');
    const twice = await worker.post(`/api/services/slots/${slots[0].id}/book`, { applicationId: a.json().id });
    expect(twice.json().error.code).toBe('SLOT_UNAVAILABLE');
  });

  it('certificates: refuses an unlisted type with the verifying department; issues a numbered PDF; verifies publicly', async () => {
    const me = (await resident.get('/api/points/me')).json();
    expect(me.linked).toBe(true);
    const list = (await resident.get(`/api/certificates/lists/${JC}`)).json();
    expect(list.entries.map((e: { typeKey: string }) => e.typeKey)).toContain('residence');
    const person = (await worker.get(`/api/services/window/lookup?q=${await phoneOfAccount(t, 'jc-resident')}`)).json().items[0].person;
    const refused = await worker.post('/api/certificates', {
      communityCode: JC,
      personId: person.id,
      typeKey: 'kinship',
      purpose: '银行要求',
    });
    expect(refused.statusCode).toBe(422);
    expect(refused.json().error.code).toBe('CERTIFICATE_NOT_LISTED');
    expect(refused.json().error.message).toContain('不在本社区证明事项清单内');
    expect(refused.json().error.details.verifiedBy).toContain('公安派出所');
    expect(
      (await resident.post('/api/certificates', { communityCode: JC, personId: person.id, typeKey: 'residence', purpose: '入学' }))
        .statusCode,
    ).toBe(403);
    expect(
      (await other.post('/api/certificates', { communityCode: JC, personId: person.id, typeKey: 'residence', purpose: '入学' })).statusCode,
    ).toBe(403);

    const issued = await worker.post('/api/certificates', {
      communityCode: JC,
      personId: person.id,
      typeKey: 'residence',
      purpose: '子女入学',
    });
    expect(issued.statusCode).toBe(201);
    const cert = issued.json();
    expect(cert.number).toMatch(/^江城社区证〔\d{4}〕\d{4}号$/);
    const pdf = await resident.get(`/api/certificates/${cert.id}/pdf`);
    expect(pdf.headers['content-type']).toBe('application/pdf');
    const { pages, text } = await pdfText(pdf.rawPayload);
    expect(pages).toBe(1);
    expect(text).toContain(person.name);
    expect(text).toContain(cert.number);
    expect(text.replace(/\s/g, '')).toContain('居住证明');
    expect(text).toContain(cert.verifyCode);
    expect((await volunteer.get(`/api/certificates/${cert.id}/pdf`)).statusCode).toBe(404);

    const v = await t.anonymous.get(`/api/certificates/verify/${cert.verifyCode}`);
    expect(v.statusCode).toBe(200);
    expect(v.json()).toMatchObject({ valid: true, status: 'valid', number: cert.number, communityName: '江城社区' });
    expect(v.body).not.toContain('张');
    expect((await t.anonymous.get('/api/certificates/verify/ABCDEFGHJKLM')).statusCode).toBe(404);
    const revoked = await worker.post(`/api/certificates/${cert.id}/revoke`, { reason: '信息有误', version: cert.version });
    expect(revoked.json().revokedAt).not.toBeNull();
    expect((await t.anonymous.get(`/api/certificates/verify/${cert.verifyCode}`)).json().status).toBe('revoked');
  });

  it('an item that ends with a certificate issues it when completed', async () => {
    const a = (await resident.post('/api/services/applications', { itemId: item('居住证明开具').id, note: '办理居住证' })).json();
    const s = (await worker.post(`/api/services/applications/${a.id}/actions`, { action: 'start', version: a.version })).json();
    const d = (await worker.post(`/api/services/applications/${a.id}/actions`, { action: 'complete', version: s.version })).json();
    expect(d.certificateId).toBeTruthy();
    const mine = (await resident.get('/api/certificates')).json().items;
    expect(mine.some((c: { id: string }) => c.id === d.certificateId)).toBe(true);
  });

  it('the public verification is rate-limited', async () => {
    let last = 0;
    for (let i = 0; i < 35; i++) last = (await t.anonymous.get('/api/certificates/verify/ABCDEFGHJKLN')).statusCode;
    expect(last).toBe(429);
  });
});
