import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, ENGINES, type Client, type TestApp } from '../../test/harness.ts';
import { addOwner, createResident, personOf } from './test-helpers.ts';
import { DEMO_OWNER_ACCOUNTS, LIFT_DONE_BUILDING, LIFT_OPEN_BUILDING, RESIDENT_HOUSE } from './demo.ts';
import { tallyOwnersVote } from './tally.ts';
import * as votesStore from './votes-store.ts';

interface VoteView {
  id: string;
  kind: string;
  title: string;
  status: string;
  placeCode: string;
  version: number;
  me: { eligible: boolean; reason: string | null; houses: string[]; voted: boolean; receipt: string | null };
  canManage: boolean;
  live: null | { ballots: number; participating?: { area: number; headcount: number }; total?: { area: number; headcount: number } };
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- the stored count is JSON of two shapes
  result: null | Record<string, any>;
  options: { id: string; label: string }[];
}

const in10days = () => new Date(Date.now() + 10 * 24 * 3600 * 1000).toISOString();
const yesterday = () => new Date(Date.now() - 24 * 3600 * 1000).toISOString();

describe.each(ENGINES)('votes on %s', (engine) => {
  let t: TestApp;
  let jiangcheng: Client;
  let resident: Client;
  let volunteer: Client;
  let xinfengyuan: Client;
  let owners: Client[];
  let liftOpen: VoteView;
  let liftDone: VoteView;

  beforeAll(async () => {
    t = await createTestApp(engine);
    [jiangcheng, resident, volunteer, xinfengyuan] = await Promise.all(
      ['jiangcheng', 'jc-resident', 'jc-volunteer', 'xinfengyuan'].map((u) => t.login(u)),
    );
    owners = await Promise.all(DEMO_OWNER_ACCOUNTS.map((a) => t.login(a.username)));
    const list = (await resident.get('/api/deliberation/votes')).json().items as VoteView[];
    liftOpen = list.find((v) => v.placeCode === LIFT_OPEN_BUILDING)!;
    liftDone = list.find((v) => v.placeCode === LIFT_DONE_BUILDING)!;
  });
  afterAll(async () => t?.close());

  it('shows the demo resident the open lift vote of their building, with live participation and no choices', async () => {
    expect(liftOpen).toMatchObject({ kind: 'owners', status: 'open' });
    const v = (await resident.get(`/api/deliberation/votes/${liftOpen.id}`)).json() as VoteView;
    expect(v.me).toMatchObject({ eligible: true, houses: [RESIDENT_HOUSE], voted: false });
    expect(v.result).toBeNull();
    expect(v.live!.ballots).toBeGreaterThan(0);
    expect(v.live!.participating!.headcount).toBeLessThan(v.live!.total!.headcount);
    expect(JSON.stringify(v)).not.toMatch(/"(agree|disagree)"/);
  });

  it('takes one ballot per house and gives a receipt; a second ballot is refused', async () => {
    const cast = await resident.post(`/api/deliberation/votes/${liftOpen.id}/ballots`, { choice: 'agree' });
    expect(cast.statusCode, cast.body).toBe(201);
    expect(cast.json().receipt).toMatch(/^[A-Z2-9]{10}$/);
    expect(cast.json().houses).toEqual([RESIDENT_HOUSE]);
    const again = await resident.post(`/api/deliberation/votes/${liftOpen.id}/ballots`, { choice: 'disagree' });
    expect(again.statusCode).toBe(409);
    expect(again.json().error.code).toBe('ALREADY_VOTED');
    const v = (await resident.get(`/api/deliberation/votes/${liftOpen.id}`)).json() as VoteView;
    expect(v.me).toMatchObject({ voted: true, receipt: cast.json().receipt });
    // The audit records that the account voted, never how.
    const audit = await t.ctx.db.selectFrom('audit_log').select(['details']).where('action', '=', 'deliberation.vote.cast').execute();
    expect(audit.length).toBe(1);
    expect(audit[0].details).toEqual({ houses: 1 });
  });

  it('refuses a resident who owns nothing there, a non-owner, and a resident of another community', async () => {
    const noPerson = await volunteer.post(`/api/deliberation/votes/${liftOpen.id}/ballots`, { choice: 'agree' });
    expect(noPerson.statusCode).toBe(403);
    expect(noPerson.json().error).toMatchObject({ code: 'NOT_ELIGIBLE', details: { reason: 'not_an_owner' } });
    const elsewhere = await createResident(t, 'jc-owner-2zhuang', '居民 2幢业主', '330212014027', ['330212014027001002010301']);
    const other = await elsewhere.client.post(`/api/deliberation/votes/${liftOpen.id}/ballots`, { choice: 'agree' });
    expect(other.statusCode).toBe(403);
    expect(other.json().error.code).toBe('NOT_ELIGIBLE');
    const far = await createResident(t, 'xfy-owner', '居民 新丰苑业主', '320402002005', ['320402002005001001010101']);
    const farVote = await far.client.post(`/api/deliberation/votes/${liftOpen.id}/ballots`, { choice: 'agree' });
    expect(farVote.statusCode).toBe(404);
    expect((await xinfengyuan.get(`/api/deliberation/votes/${liftOpen.id}`)).statusCode).toBe(404);
    expect((await jiangcheng.post(`/api/deliberation/votes/${liftOpen.id}/ballots`, { choice: 'agree' })).statusCode).toBe(403);
  });

  it('under concurrency one owner gets exactly one ballot, and co-owners of one house too', async () => {
    const draft = await jiangcheng.post('/api/deliberation/votes', {
      placeCode: LIFT_OPEN_BUILDING,
      kind: 'owners',
      title: '3幢筹集电梯维修资金',
      matter: 6,
      opensAt: yesterday(),
      closesAt: in10days(),
    });
    expect(draft.statusCode, draft.body).toBe(201);
    const opened = await jiangcheng.post(`/api/deliberation/votes/${draft.json().id}/open`, { version: draft.json().version });
    expect(opened.statusCode, opened.body).toBe(200);
    const id = draft.json().id as string;
    const burst = await Promise.all(
      Array.from({ length: 8 }, () => owners[0].post(`/api/deliberation/votes/${id}/ballots`, { choice: 'agree' })),
    );
    expect(burst.filter((r) => r.statusCode === 201).length).toBe(1);
    expect(burst.filter((r) => r.statusCode === 409).every((r) => r.json().error.code === 'ALREADY_VOTED')).toBe(true);
    // owner 3 becomes co-owner of owner 2's flat: both race for that house, one wins.
    await addOwner(t, await personOf(t, 'jc-owner-03'), DEMO_OWNER_ACCOUNTS[1].house);
    const race = await Promise.all(
      [owners[1], owners[2]].map((c) => c.post(`/api/deliberation/votes/${id}/ballots`, { choice: 'disagree' })),
    );
    // owner 3 joined after the roll was frozen, so only owner 2 is an owner of that house in this vote
    expect(race.map((r) => r.statusCode).sort()).toEqual([201, 201]);
    const ballots = await votesStore.ballotsOf(t.ctx.db, '330212', id);
    expect(new Set(ballots.map((b) => b.house_code)).size).toBe(ballots.length);

    const second = await jiangcheng.post('/api/deliberation/votes', {
      placeCode: LIFT_OPEN_BUILDING,
      kind: 'owners',
      title: '3幢外墙改造',
      matter: 7,
      opensAt: yesterday(),
      closesAt: in10days(),
    });
    await jiangcheng.post(`/api/deliberation/votes/${second.json().id}/open`, { version: second.json().version });
    const race2 = await Promise.all(
      [owners[1], owners[2]].map((c) => c.post(`/api/deliberation/votes/${second.json().id}/ballots`, { choice: 'agree' })),
    );
    expect(race2.map((r) => r.statusCode).sort()).toEqual([201, 409]);
    const rows = await votesStore.ballotsOf(t.ctx.db, '330212', second.json().id);
    expect(rows.filter((b) => b.house_code === DEMO_OWNER_ACCOUNTS[1].house).length).toBe(1);
  });

  it('takes paper ballots one per house, and keeps one choice per counted owner', async () => {
    const roll = await votesStore.rollOf(t.ctx.db, '330212', liftOpen.id);
    const ballots = await votesStore.ballotsOf(t.ctx.db, '330212', liftOpen.id);
    const voted = new Set(ballots.map((b) => b.house_code));
    const free = roll.filter(
      (h) => h.ownerIds.length === 1 && !voted.has(h.houseCode) && !DEMO_OWNER_ACCOUNTS.some((a) => a.house === h.houseCode),
    );
    const ok = await jiangcheng.post(`/api/deliberation/votes/${liftOpen.id}/paper-ballots`, {
      houseCode: free[0].houseCode,
      choice: 'disagree',
    });
    expect(ok.statusCode, ok.body).toBe(201);
    const dup = await jiangcheng.post(`/api/deliberation/votes/${liftOpen.id}/paper-ballots`, {
      houseCode: free[0].houseCode,
      choice: 'agree',
    });
    expect(dup.json().error.code).toBe('ALREADY_VOTED');
    const mine = await jiangcheng.post(`/api/deliberation/votes/${liftOpen.id}/paper-ballots`, {
      houseCode: RESIDENT_HOUSE,
      choice: 'disagree',
    });
    expect(mine.json().error.code).toBe('ALREADY_VOTED');
    const offRoll = await jiangcheng.post(`/api/deliberation/votes/${liftOpen.id}/paper-ballots`, {
      houseCode: '330212014027001001010101',
      choice: 'agree',
    });
    expect(offRoll.statusCode).toBe(400);
    expect(offRoll.json().error.details.reason).toBe('house_not_on_roll');
    expect(
      (await resident.post(`/api/deliberation/votes/${liftOpen.id}/paper-ballots`, { houseCode: free[1].houseCode, choice: 'agree' }))
        .statusCode,
    ).toBe(403);

    // An owner of two flats on the roll: the second flat must carry the same choice.
    const counts = new Map<string, string[]>();
    for (const h of roll) for (const o of h.ownerIds) counts.set(o, [...(counts.get(o) ?? []), h.houseCode]);
    const two = [...counts.values()].find((hs) => hs.length === 2 && hs.every((h) => !voted.has(h)));
    expect(two, 'the demo has an owner of two flats in 3幢 who has not voted').toBeDefined();
    expect(
      (await jiangcheng.post(`/api/deliberation/votes/${liftOpen.id}/paper-ballots`, { houseCode: two![0], choice: 'agree' })).statusCode,
    ).toBe(201);
    const split = await jiangcheng.post(`/api/deliberation/votes/${liftOpen.id}/paper-ballots`, { houseCode: two![1], choice: 'disagree' });
    expect(split.statusCode).toBe(409);
    expect(split.json().error.code).toBe('BALLOT_CONFLICT');
    expect(
      (await jiangcheng.post(`/api/deliberation/votes/${liftOpen.id}/paper-ballots`, { houseCode: two![1], choice: 'agree' })).statusCode,
    ).toBe(201);
  });

  it('hides choices until the close, then counts as Art. 278 requires and shows the result', async () => {
    const before = (await jiangcheng.get(`/api/deliberation/votes/${liftOpen.id}/ballots`)).json().items as { choice: string | null }[];
    expect(before.every((b) => b.choice === null)).toBe(true);
    expect((await resident.get(`/api/deliberation/votes/${liftOpen.id}/ballots`)).statusCode).toBe(403);
    expect((await resident.post(`/api/deliberation/votes/${liftOpen.id}/close`, { version: liftOpen.version })).statusCode).toBe(403);
    const current = (await jiangcheng.get(`/api/deliberation/votes/${liftOpen.id}`)).json() as VoteView;
    expect(current.canManage).toBe(true);
    const stale = await jiangcheng.post(`/api/deliberation/votes/${liftOpen.id}/close`, { version: current.version + 5 });
    expect(stale.statusCode).toBe(409);
    const closed = await jiangcheng.post(`/api/deliberation/votes/${liftOpen.id}/close`, { version: current.version });
    expect(closed.statusCode, closed.body).toBe(200);
    const v = closed.json() as VoteView;
    expect(v.status).toBe('closed');
    const roll = await votesStore.rollOf(t.ctx.db, '330212', liftOpen.id);
    const ballots = await votesStore.ballotsOf(t.ctx.db, '330212', liftOpen.id);
    const expected = tallyOwnersVote(
      7,
      roll,
      ballots.map((b) => ({ houseCode: b.house_code!, choice: b.choice! })),
    );
    expect(v.result!.owners.passed).toBe(expected.passed);
    expect(v.result!.owners.shares).toEqual(expected.shares);
    expect(v.result!.owners.rule).toBe('three_quarters');
    const after = (await jiangcheng.get(`/api/deliberation/votes/${liftOpen.id}/ballots`)).json().items as { choice: string | null }[];
    expect(after.every((b) => b.choice !== null)).toBe(true);
    const late = await owners[0].post(`/api/deliberation/votes/${liftOpen.id}/ballots`, { choice: 'agree' });
    expect(late.statusCode).toBe(409);
    expect(late.json().error.code).toBe('VOTE_NOT_OPEN');
    expect((await jiangcheng.post(`/api/deliberation/votes/${liftOpen.id}/close`, { version: v.version })).json().error.code).toBe(
      'WRONG_STATE',
    );
  });

  it('the demo 1幢 lift vote passed with two thirds taking part and three quarters agreeing by area and headcount', async () => {
    const v = (await resident.get(`/api/deliberation/votes/${liftDone.id}`)).json() as VoteView;
    const o = v.result!.owners;
    expect(o.passed).toBe(true);
    expect(o.shares.participationArea).toBeGreaterThanOrEqual(2 / 3);
    expect(o.shares.participationHeadcount).toBeGreaterThanOrEqual(2 / 3);
    expect(o.shares.approvalArea).toBeGreaterThanOrEqual(0.75);
    expect(o.shares.approvalHeadcount).toBeGreaterThanOrEqual(0.75);
    expect(o.shares.approvalHeadcount).toBeLessThan(1);
    expect(o.total.headcount).toBeLessThan(o.total.houses); // an owner of two flats counts once
  });

  it('refuses bad votes and votes outside the worker’s community', async () => {
    const noMatter = await jiangcheng.post('/api/deliberation/votes', {
      placeCode: LIFT_OPEN_BUILDING,
      kind: 'owners',
      title: '无事项',
      opensAt: yesterday(),
      closesAt: in10days(),
    });
    expect(noMatter.statusCode).toBe(400);
    const backwards = await jiangcheng.post('/api/deliberation/votes', {
      placeCode: '330212014027',
      kind: 'selection',
      title: '时间颠倒',
      options: [{ label: 'a' }, { label: 'b' }],
      opensAt: in10days(),
      closesAt: yesterday(),
    });
    expect(backwards.statusCode).toBe(400);
    const outside = await jiangcheng.post('/api/deliberation/votes', {
      placeCode: '320402002005',
      kind: 'selection',
      title: '别的社区',
      options: [{ label: 'a' }, { label: 'b' }],
      opensAt: yesterday(),
      closesAt: in10days(),
    });
    expect(outside.statusCode).toBe(403);
    expect(
      (
        await resident.post('/api/deliberation/votes', {
          placeCode: '330212014027',
          kind: 'selection',
          title: '居民不能发起',
          options: [{ label: 'a' }, { label: 'b' }],
          opensAt: yesterday(),
          closesAt: in10days(),
        })
      ).statusCode,
    ).toBe(403);
    // A building just entered, before anyone registered its owners.
    const yinzhou = await t.login('yinzhou');
    const built = await yinzhou.post('/api/territory/330212014027003/buildings', {
      name: '新建幢',
      floors: 3,
      unitsCount: 1,
      roomsPerFloor: 2,
    });
    expect(built.statusCode).toBe(201);
    const nobody = await jiangcheng.post('/api/deliberation/votes', {
      placeCode: built.json().code,
      kind: 'owners',
      title: '没有业主登记',
      matter: 4,
      opensAt: yesterday(),
      closesAt: in10days(),
    });
    const open = await jiangcheng.post(`/api/deliberation/votes/${nobody.json().id}/open`, { version: 1 });
    expect(open.statusCode).toBe(400);
    expect(open.json().error.details.reason).toBe('no_owners_registered');
  });

  it('runs a selection: one ballot per resident, within the allowed number of choices', async () => {
    const done = ((await resident.get('/api/deliberation/votes?kind=selection&status=closed')).json().items as VoteView[])[0];
    const tenBest = (await resident.get(`/api/deliberation/votes/${done.id}`)).json() as VoteView;
    expect(tenBest.result!.selection.winners).toHaveLength(10);
    expect(tenBest.result!.ballots).toBe(412);

    const draft = await jiangcheng.post('/api/deliberation/votes', {
      placeCode: '330212014027',
      kind: 'selection',
      title: '社区议事厅命名',
      options: [{ label: '江城议事厅' }, { label: '福明同心堂' }, { label: '有事好商量' }],
      maxChoices: 2,
      winners: 1,
      secret: true,
      opensAt: yesterday(),
      closesAt: in10days(),
    });
    expect(draft.statusCode, draft.body).toBe(201);
    const early = await resident.post(`/api/deliberation/votes/${draft.json().id}/ballots`, { optionIds: [draft.json().options[0].id] });
    expect(early.json().error.code).toBe('VOTE_NOT_OPEN');
    await jiangcheng.post(`/api/deliberation/votes/${draft.json().id}/open`, { version: draft.json().version });
    const [a, b, c] = (draft.json() as VoteView).options.map((o) => o.id);
    expect((await resident.post(`/api/deliberation/votes/${draft.json().id}/ballots`, { optionIds: [a, b] })).statusCode).toBe(201);
    expect((await resident.post(`/api/deliberation/votes/${draft.json().id}/ballots`, { optionIds: [c] })).json().error.code).toBe(
      'ALREADY_VOTED',
    );
    const tooMany = await volunteer.post(`/api/deliberation/votes/${draft.json().id}/ballots`, { optionIds: [a, b, c] });
    expect(tooMany.json().error.details.reason).toBe('too_many_choices');
    expect(
      (await volunteer.post(`/api/deliberation/votes/${draft.json().id}/ballots`, { optionIds: [a, a] })).json().error.details.reason,
    ).toBe('duplicate_choice');
    expect((await volunteer.post(`/api/deliberation/votes/${draft.json().id}/ballots`, { optionIds: [a] })).statusCode).toBe(201);
    const far = await createResident(t, 'xfy-resident', '居民 新丰苑', '320402002005');
    expect((await far.client.post(`/api/deliberation/votes/${draft.json().id}/ballots`, { optionIds: [a] })).statusCode).toBe(404);
    const open = (await jiangcheng.get(`/api/deliberation/votes/${draft.json().id}`)).json() as VoteView;
    expect(open.live).toEqual({ ballots: 2 });
    expect(open.result).toBeNull();
    const closed = (
      await jiangcheng.post(`/api/deliberation/votes/${draft.json().id}/close`, { version: open.version })
    ).json() as VoteView;
    expect(closed.result!.selection.counts[0]).toMatchObject({ optionId: a, votes: 2, rank: 1 });
    expect(closed.result!.selection.winners).toEqual([a]);
  });
});
