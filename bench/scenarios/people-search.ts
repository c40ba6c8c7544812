import path from 'node:path';
import { sql } from 'kysely';
import { openDatabase } from '../../server/db/connection.ts';
import { createKeyring, loadMasterKey } from '../../server/core/crypto.ts';
import { parseIdNumber } from '../../server/modules/registry/id-number.ts';
import { namePinyin } from '../../server/modules/registry/names.ts';
import { sealIdNumber, sealPhone } from '../../server/modules/registry/pii.ts';
import { freePort, login, request } from '../lib/http.ts';
import { benchPerson } from '../lib/people-data.ts';
import { gongzhiEnv, runNode, startServer } from '../lib/proc.ts';
import { percentile, round } from '../lib/stats.ts';
import type { BenchEnv, DbTarget, Row, Scenario } from '../lib/types.ts';

/**
 * People search (issue 3): 1,000,000 people in the demo district's houses (100,000 with --quick),
 * then GET /api/registry/persons as the district administrator `yinzhou` and as the 江城社区
 * community worker, one request at a time: by a two-character name prefix, by pinyin initials
 * and by a full ID number (blind index). The figure is the p95 latency over the samples.
 */

const SAMPLES = 200;

async function fill(env: BenchEnv, target: DbTarget, count: number) {
  const database = await openDatabase(target.databaseUrl ? { databaseUrl: target.databaseUrl } : { pgliteDir: path.join(target.dataDir, 'pglite') });
  const keyring = createKeyring(loadMasterKey(null, target.dataDir));
  try {
    const houses = await database.db
      .selectFrom('house')
      .select(['district_code', 'code', sql<string>`path::text`.as('path')])
      .where('district_code', '=', '330212')
      .orderBy('code')
      .execute();
    const started = performance.now();
    const batch = 2000;
    for (let i = 0; i < count; i += batch) {
      const rows = [];
      for (let j = i; j < Math.min(count, i + batch); j++) {
        // Offset keeps these numbers apart from the demo residents' (other birth sequences).
        const p = benchPerson(j + 5_000_000, []);
        const id = parseIdNumber(p.idNumber);
        if (!id.ok) continue;
        const h = houses[j % houses.length];
        const sid = sealIdNumber(keyring, 'resident', p.idNumber);
        const sp = sealPhone(keyring, p.phone);
        const py = namePinyin(p.name);
        rows.push({
          district_code: h.district_code,
          community_code: h.code.slice(0, 12),
          house_code: h.code,
          path: h.path,
          name: p.name,
          name_pinyin: py.full,
          name_initials: py.initials,
          id_type: 'resident' as const,
          id_enc: sid.enc,
          id_bidx: sid.bidx,
          gender: id.value.gender,
          birth_date: id.value.birthDate,
          phone_enc: sp.enc,
          phone_bidx: sp.bidx,
        });
      }
      await database.db.insertInto('person').values(rows).onConflict((oc) => oc.doNothing()).execute();
      if ((i / batch) % 50 === 0) env.log(`people-search: ${i.toLocaleString('en')} people inserted`);
    }
    await sql`analyze person`.execute(database.db);
    env.log(`people-search: ${count.toLocaleString('en')} people in ${((performance.now() - started) / 1000).toFixed(0)} s`);
  } finally {
    await database.close();
  }
}

async function timed(url: string, headers: Record<string, string>) {
  const t = performance.now();
  const res = await request(url, { headers, timeoutMs: 30_000 });
  const ms = performance.now() - t;
  if (res.status !== 200) throw new Error(`${url} answered ${res.status}: ${res.body.slice(0, 200)}`);
  return { ms, found: (res.json() as { items: unknown[] }).items.length };
}

export const scenario: Scenario = {
  name: 'people-search',
  description: 'search 1,000,000 people by name prefix, pinyin initials and exact ID through the API (p95, one request at a time)',
  order: 41,
  async run(env) {
    const count = env.opts.quick ? 100_000 : 1_000_000;
    const target = await env.newTarget('people-search');
    await runNode('gongzhi seed --demo', ['bin/gongzhi.js', 'seed', '--demo'], gongzhiEnv(target), env.root, path.join(env.workDir, 'logs', 'people-search-seed.log'));
    await fill(env, target, count);
    const port = await freePort();
    const server = await startServer({
      name: 'gongzhi serve (people-search)',
      args: ['bin/gongzhi.js', 'serve'],
      env: gongzhiEnv(target, { PORT: String(port) }),
      cwd: env.root,
      port,
      logFile: path.join(env.workDir, 'logs', 'people-search-serve.log'),
    });
    try {
      const password = process.env.GONGZHI_DEMO_PASSWORD || 'Gongzhi@2026';
      const users = { district: await login(server.url, 'yinzhou', password), community: await login(server.url, 'jiangcheng', password) };
      const picks = Array.from({ length: SAMPLES }, (_, k) => benchPerson(5_000_000 + ((k * 7919) % count), []));
      const queries = {
        name: picks.map((p) => p.name.slice(0, 2)),
        pinyin: picks.map((p) => namePinyin(p.name).initials),
        id: picks.map((p) => p.idNumber),
      };
      // Baseline: the same server answering an authenticated request that touches no person
      // (GET /api/me), so a loaded machine's floor shows beside each figure.
      const floor: Record<string, number | null> = {};
      for (const [who, headers] of Object.entries(users)) {
        const ms: number[] = [];
        for (let k = 0; k < SAMPLES; k++) {
          const t = performance.now();
          const res = await request(`${server.url}/api/me`, { headers });
          if (res.status !== 200) throw new Error(`/api/me answered ${res.status}`);
          ms.push(performance.now() - t);
        }
        floor[who] = round(percentile(ms, 95) ?? 0);
      }
      const rows: Row[] = [];
      for (const [kind, qs] of Object.entries(queries)) {
        for (const [who, headers] of Object.entries(users)) {
          // Warm-up: the first requests load indexes into the cache.
          for (const q of qs.slice(0, 10)) await timed(`${server.url}/api/registry/persons?q=${encodeURIComponent(q)}`, headers);
          const ms: number[] = [];
          let empty = 0;
          for (const q of qs) {
            const r = await timed(`${server.url}/api/registry/persons?q=${encodeURIComponent(q)}`, headers);
            ms.push(r.ms);
            if (!r.found) empty++;
          }
          const id = who === 'district' ? `search.${kind}.p95` : `search.${kind}.community.p95`;
          rows.push({
            id,
            scenario: 'people-search',
            label: `search by ${kind} among ${count.toLocaleString('en')} (${who === 'district' ? 'yinzhou, district' : 'jiangcheng, community'})`,
            unit: 'ms',
            ours: round(percentile(ms, 95) ?? 0),
            baseline: floor[who],
            baselineLabel: 'GET /api/me p95',
            samples: { ours: ms.map(round), baseline: [] },
            ...(empty ? { note: `${empty} of ${qs.length} queries found nobody` } : {}),
          });
        }
      }
      return rows;
    } finally {
      await server.stop();
    }
  },
};
