import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, ENGINES, type Client, type TestApp } from '../../test/harness.ts';

interface Org {
  id: string;
  kind: string;
  level: string | null;
  name: string;
  parentId: string | null;
  territoryCode: string;
  version: number;
}

describe.each(ENGINES)('organisations on %s', (engine) => {
  let t: TestApp;
  let fuming: Client;
  let jiangcheng: Client;
  beforeAll(async () => {
    t = await createTestApp(engine);
    [fuming, jiangcheng] = await Promise.all([t.login('fuming'), t.login('jiangcheng')]);
  });
  afterAll(async () => t?.close());

  it('holds the four-level party tree beside the territory for 江城社区', async () => {
    const party = (await fuming.get('/api/orgs?kind=party')).json().items as Org[];
    const street = party.find((o) => o.level === 'street_committee' && o.territoryCode === '330212014')!;
    const community = party.find((o) => o.level === 'community_committee' && o.territoryCode === '330212014027')!;
    expect(street.name).toContain('福明街道');
    expect(community.parentId).toBe(street.id);
    const branch = party.find((o) => o.level === 'estate_branch' && o.parentId === community.id)!;
    expect(branch).toBeDefined();
    expect(party.some((o) => o.level === 'building_group' && o.parentId === branch.id)).toBe(true);
  });

  it('lists departments, property companies, owners committees, resident units and social organisations', async () => {
    const all = (await jiangcheng.get('/api/orgs')).json().items as Org[];
    const kinds = new Set(all.map((o) => o.kind));
    for (const k of ['party', 'department', 'property_company', 'owners_committee', 'resident_unit', 'social_org'])
      expect(kinds.has(k), k).toBe(true);
    // Nothing of another district or of a sibling community.
    expect(all.every((o) => '330212014027'.startsWith(o.territoryCode.slice(0, 6)))).toBe(true);
    expect(all.some((o) => o.territoryCode.startsWith('330212014028'))).toBe(false);
    const depts = (await fuming.get('/api/orgs?kind=department&territoryCode=330212')).json().items as Org[];
    const names = depts.map((d) => d.name).join();
    for (const word of ['综合行政执法', '市场监督管理', '住房和城乡建设', '民政', '卫生健康', '应急管理', '派出所'])
      expect(names).toContain(word);
  });

  it('lets street staff add a building party group under an estate branch, and checks the level', async () => {
    const party = (await fuming.get('/api/orgs?kind=party&territoryCode=330212014027')).json().items as Org[];
    const branch = party.find((o) => o.level === 'estate_branch')!;
    const created = await fuming.post('/api/orgs', {
      kind: 'party',
      level: 'building_group',
      name: '测试楼栋党小组',
      parentId: branch.id,
      territoryCode: '330212014027001',
    });
    expect(created.statusCode).toBe(201);
    expect(created.json()).toMatchObject({ parentId: branch.id, territoryCode: '330212014027001' });
    const wrongLevel = await fuming.post('/api/orgs', {
      kind: 'party',
      level: 'community_committee',
      name: '错误层级',
      parentId: branch.id,
      territoryCode: '330212014027',
    });
    expect(wrongLevel.statusCode).toBe(400);
    const outside = await fuming.post('/api/orgs', { kind: 'social_org', name: '外区社会组织', territoryCode: '530102001' });
    expect(outside.statusCode).toBe(403);
    expect((await jiangcheng.post('/api/orgs', { kind: 'social_org', name: '社区读书会', territoryCode: '330212014027' })).statusCode).toBe(
      403,
    );
  });

  it('refuses a stale version with 409', async () => {
    const org = ((await fuming.get('/api/orgs?kind=social_org&territoryCode=330212014027')).json().items as Org[])[0];
    const ok = await fuming.patch(`/api/orgs/${org.id}`, { version: org.version, contactName: '李主任' });
    expect(ok.statusCode).toBe(200);
    expect(ok.json().version).toBe(org.version + 1);
    const stale = await fuming.patch(`/api/orgs/${org.id}`, { version: org.version, name: '改名' });
    expect(stale.statusCode).toBe(409);
    expect(stale.json().error.code).toBe('VERSION_CONFLICT');
  });
});
