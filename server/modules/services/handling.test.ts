import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, ENGINES, type Client, type TestApp } from '../../test/harness.ts';
import { makeIdNumber } from '../registry/id-number.ts';

/**
 * The item's handling role (办理角色) routes the application: 最低生活保障申请 set to street staff
 * lands in the inbox of 福明街道 (fuming), not of 江城社区's community worker (jiangcheng), who may
 * still accept it at the one window and follow it, but not process it; 高龄津贴申领 (community
 * worker) goes the other way round.
 */

interface View {
  id: string;
  state: string;
  version: number;
  actions: string[];
  channel: string;
  handlerName: string;
  handlerRole: string;
  handlerRoleName: string;
}

describe.each(ENGINES)('handling role routes applications on %s', (engine) => {
  let t: TestApp;
  let resident: Client;
  let worker: Client;
  let street: Client;
  let district: Client;
  let other: Client;
  let items: { id: string; name: string; version: number; handlerRole: string }[];
  const item = (name: string) => items.find((i) => i.name === name)!;
  const inbox = async (c: Client) => ((await c.get('/api/services/applications?state=open')).json().items as View[]).map((a) => a.id);
  const act = (c: Client, a: { id: string; version: number }, action: string, note?: string) =>
    c.post(`/api/services/applications/${a.id}/actions`, { action, version: a.version, ...(note ? { note } : {}) });

  beforeAll(async () => {
    t = await createTestApp(engine);
    [resident, worker, street, district, other] = await Promise.all(
      ['jc-resident', 'jiangcheng', 'fuming', 'yinzhou', 'xinfengyuan'].map((u) => t.login(u)),
    );
    items = (await resident.get('/api/services/catalogue')).json().categories.flatMap((c: { items: unknown[] }) => c.items);
    // Every demo item is handled by the community's window until the district routes one elsewhere.
    expect(new Set(items.map((i) => i.handlerRole))).toEqual(new Set(['community_worker']));
    const dibao = item('最低生活保障申请');
    const r = await district.patch(`/api/services/items/${dibao.id}`, { version: dibao.version, handlerRole: 'street_staff' });
    expect(r.statusCode).toBe(200);
    expect(r.json().handlerRole).toBe('street_staff');
    // An item that ends with a community certificate stays with the community: the street cannot issue it.
    const residence = item('居住证明开具');
    const refused = await district.patch(`/api/services/items/${residence.id}`, {
      version: residence.version,
      handlerRole: 'street_staff',
    });
    expect(refused.statusCode).toBe(400);
    expect(refused.json().error.details.problems).toEqual([expect.objectContaining({ field: 'handlerRole' })]);
  });
  afterAll(async () => t?.close());

  it('a street-handled item lands in the street inbox, not the community worker’s; the community item the other way round', async () => {
    const dibao = (await resident.post('/api/services/applications', { itemId: item('最低生活保障申请').id, note: '家庭收入低' })).json();
    expect(dibao).toMatchObject({ state: 'accepted', handlerRole: 'street_staff', handlerRoleName: '街道工作人员' });
    const allowance = (await resident.post('/api/services/applications', { itemId: item('高龄津贴申领').id })).json();
    expect(allowance.handlerRole).toBe('community_worker');

    const streetInbox = await inbox(street);
    const workerInbox = await inbox(worker);
    expect(streetInbox).toContain(dibao.id);
    expect(streetInbox).not.toContain(allowance.id);
    expect(workerInbox).toContain(allowance.id);
    expect(workerInbox).not.toContain(dibao.id);
    // The district holds service.handle too, but neither item is routed to it; another district sees nothing.
    expect(await inbox(district)).not.toContain(dibao.id);
    expect(await inbox(other)).not.toContain(dibao.id);
    expect((await other.get(`/api/services/applications/${dibao.id}`)).statusCode).toBe(404);

    // Each sees the other's application (the same place) without a button to press.
    const seenByWorker = (await worker.get(`/api/services/applications/${dibao.id}`)).json();
    expect(seenByWorker.actions).toEqual([]);
    expect((await street.get(`/api/services/applications/${dibao.id}`)).json().actions).toEqual(
      expect.arrayContaining(['request_materials', 'start', 'refuse']),
    );
    expect((await street.get(`/api/services/applications/${allowance.id}`)).json().actions).toEqual([]);
  });

  it('the community worker is refused every handling step on a street item, in Chinese, and nothing changes', async () => {
    const a = (await resident.post('/api/services/applications', { itemId: item('最低生活保障申请').id })).json();
    for (const [action, note] of [
      ['request_materials', '请补充收入证明'],
      ['start', undefined],
      ['refuse', '不符合条件'],
      ['complete', '已办结'],
    ] as const) {
      const r = await act(worker, a, action, note);
      expect(r.statusCode, action).toBe(403);
      expect(r.json().error.code).toBe('APPLICATION_NOT_HANDLER');
      expect(r.json().error.message).toContain('由其他岗位办理');
      expect(r.json().error.details).toMatchObject({ handlerRole: 'street_staff', handlerRoleName: '街道工作人员' });
    }
    const after = (await resident.get(`/api/services/applications/${a.id}`)).json();
    expect(after).toMatchObject({ state: 'accepted', version: a.version });
    expect(after.steps.map((s: { action: string }) => s.action)).toEqual(['submit']);
    // The street is refused a community item's steps the same way.
    const allowance = (await resident.post('/api/services/applications', { itemId: item('高龄津贴申领').id })).json();
    const r = await act(street, allowance, 'start');
    expect(r.statusCode).toBe(403);
    expect(r.json().error.details.handlerRoleName).toBe('社区工作者');
  });

  it('street staff handle it through to done; the window still accepts it at the counter and the street refuses that one', async () => {
    const a = (await resident.post('/api/services/applications', { itemId: item('最低生活保障申请').id, note: '申请低保' })).json();
    const req = await act(street, a, 'request_materials', '请补充家庭成员收入情况说明');
    expect(req.statusCode).toBe(200);
    expect(req.json()).toMatchObject({ state: 'materials_requested', deadline: 'paused' });
    const sup = (await act(resident, req.json(), 'supplement')).json();
    expect(sup.state).toBe('supplemented');
    const started = (await act(street, sup, 'start')).json();
    expect(started).toMatchObject({ state: 'processing', handlerName: '福明街道 周晓燕' });
    const done = await act(street, started, 'complete', '经街道审核，纳入低保');
    expect(done.statusCode).toBe(200);
    expect(done.json().state).toBe('done');
    const detail = (await resident.get(`/api/services/applications/${a.id}`)).json();
    expect(detail.steps.map((s: { action: string; actorName: string }) => `${s.action}:${s.actorName}`)).toEqual([
      'submit:居民 张阿姨',
      'request_materials:福明街道 周晓燕',
      'supplement:居民 张阿姨',
      'start:福明街道 周晓燕',
      'complete:福明街道 周晓燕',
    ]);

    // One window (全科社工): the community worker accepts the street's item for any resident at the counter…
    const liu = (await worker.get(`/api/services/window/lookup?q=${makeIdNumber('330212', '1942-01-08', 946)}`)).json().items[0];
    const counter = await worker.post('/api/services/applications', {
      itemId: item('最低生活保障申请').id,
      personId: liu.person.id,
      note: '窗口代为申请',
    });
    expect(counter.statusCode).toBe(201);
    // …without becoming its handler: it goes to the street, and the window follows it.
    expect(counter.json()).toMatchObject({ channel: 'counter', state: 'accepted', handlerName: '', actions: [] });
    expect(await inbox(street)).toContain(counter.json().id);
    expect(await inbox(worker)).not.toContain(counter.json().id);
    const looked = (await worker.get(`/api/services/window/lookup?q=${makeIdNumber('330212', '1942-01-08', 946)}`)).json().items[0];
    expect(looked.openApplications.find((x: View) => x.id === counter.json().id).actions).toEqual([]);
    const refused = await act(street, counter.json(), 'refuse', '家庭收入高于低保标准');
    expect(refused.json()).toMatchObject({ state: 'refused', refusalReason: '家庭收入高于低保标准' });
  });
});
