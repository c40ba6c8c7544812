import path from 'node:path';
import { sql } from 'kysely';
import { migrateToLatest, openDatabase } from '../../server/db/connection.ts';
import { ensureDivisions } from '../../server/modules/territory/seed.ts';
import { loadConfig } from '../../server/core/config.ts';
import { createKeyring } from '../../server/core/crypto.ts';
import { systemActor, type AppContext } from '../../server/core/context.ts';
import * as pay from '../../server/modules/workforce/pay.ts';
import * as staffing from '../../server/modules/workforce/staffing.ts';
import { runGrades, runPay } from '../../server/modules/workforce/grade-run.ts';
import { DEMO_THREE_POST } from '../../server/modules/workforce/demo-schemes.ts';
import { median } from '../lib/stats.ts';
import type { BenchEnv, Row, Scenario } from '../lib/types.ts';

/**
 * Workforce runs (issue 6): the yearly grade run and one month's pay for a city of 20,000
 * workers, through the services (load the facts in set queries, compute, store every line with
 * its reasons). Baseline: the same pure computation in memory with no database, i.e. the cost
 * the storage adds. Data: 20,000 workers over 鄞州区's real communities, generated in SQL.
 */
/** 20,000 workers (--quick: 5,000; WF_BENCH_WORKERS overrides). */
function workerCount(quick: boolean): number {
  const n = Number(process.env.WF_BENCH_WORKERS);
  return Number.isInteger(n) && n > 0 ? n : quick ? 5_000 : 20_000;
}
const DISTRICT = '330212';

export async function seedWorkers(ctx: AppContext, workers = workerCount(false)) {
  const actor = systemActor('bench');
  await pay.createSchemeVersion(ctx, actor, {
    districtCode: DISTRICT,
    code: 'bench-3p18g',
    name: 'bench',
    effectiveFrom: '2025-01',
    rules: DEMO_THREE_POST,
  });
  await staffing.updateSettings(ctx, actor, DISTRICT, { version: 0, paySchemeCode: 'bench-3p18g' });
  // Persons and workers spread over the district's communities; ID data is opaque filler.
  await sql`
    with c as (select code, path, row_number() over (order by code) - 1 as i, count(*) over () as n
               from division where level = 'community' and code like ${DISTRICT + '%'})
    insert into person (district_code, id, community_code, path, name, id_type, id_enc, id_bidx, gender, birth_date)
    select ${DISTRICT}, md5('p' || g)::uuid, c.code, c.path, '社工' || g, 'resident', 'x', md5('b' || g), case when g % 2 = 0 then 'F' else 'M' end,
      date '1965-01-01' + (g % 12000)
    from generate_series(1, ${workers}) g join c on c.i = g % c.n`.execute(ctx.db);
  await sql`
    insert into worker (district_code, id, person_id, community_code, path, education, work_start, party_affairs)
    select p.district_code, md5('w' || p.id)::uuid, p.id, p.community_code, p.path,
      (array['high_school','junior_college','bachelor','bachelor','master'])[1 + (hashtext(p.id::text) & 3)],
      date '1988-01-01' + (abs(hashtext(p.id::text)) % 13000), abs(hashtext(p.name)) % 9 = 0
    from person p where p.district_code = ${DISTRICT}`.execute(ctx.db);
  await sql`
    insert into worker_post (district_code, worker_id, community_code, post, start_on)
    select district_code, id, community_code,
      (array['dual_head','head','deputy','staff','staff','staff','staff','staff'])[1 + (abs(hashtext(id::text)) % 8)], work_start
    from worker where district_code = ${DISTRICT}`.execute(ctx.db);
  await sql`
    insert into worker_certificate (district_code, worker_id, kind, name, issued_on)
    select district_code, id, (array['assistant_social_worker','social_worker','senior_social_worker'])[1 + (abs(hashtext(id::text)) % 3)], 'cert', date '2015-06-20'
    from worker where district_code = ${DISTRICT} and abs(hashtext(id::text || 'c')) % 3 = 0`.execute(ctx.db);
  await sql`
    insert into worker_appraisal (district_code, worker_id, year, result)
    select district_code, id, 2025, (array['excellent','competent','competent','competent','basic','incompetent'])[1 + (abs(hashtext(id::text || 'a')) % 6)]
    from worker where district_code = ${DISTRICT}`.execute(ctx.db);
}

export const scenario: Scenario = {
  name: 'workforce',
  description: 'yearly grade run and monthly pay run for 20,000 workers (services vs pure compute)',
  order: 60,
  async run(env: BenchEnv): Promise<Row[]> {
    const target = await env.migratedCopy('workforce');
    const workers = workerCount(env.opts.quick);
    const database = await openDatabase(
      target.databaseUrl ? { databaseUrl: target.databaseUrl } : { pgliteDir: path.join(target.dataDir, 'pglite') },
    );
    const secret = Buffer.alloc(32, 9);
    const ctx: AppContext = {
      db: database.db,
      dbKind: database.kind,
      config: { ...loadConfig({}), secretKey: secret.toString('base64') },
      keyring: createKeyring(secret),
    };
    try {
      await migrateToLatest(ctx.db);
      await ensureDivisions(ctx.db);
      env.log(`workforce: generating ${workers} workers`);
      await seedWorkers(ctx, workers);
      const actor = systemActor('bench');
      const grade: number[] = [];
      const payTimes: number[] = [];
      const pureGrade: number[] = [];
      const purePay: number[] = [];
      const runs = env.opts.quick ? 1 : Math.max(1, Math.min(env.opts.runs, 3));
      let workerCount = 0;
      for (let i = 0; i < runs; i++) {
        // A proposed run is recomputed in place, so each repetition does the whole work again.
        let t = performance.now();
        const run = await pay.startGradeRun(ctx, actor, { districtCode: DISTRICT, year: 2026 });
        grade.push((performance.now() - t) / 1000);
        workerCount = run.workerCount;
        // An approved run cannot be recomputed (CONFLICT grade_run_approved): approve only the last
        // repetition's, so every repetition's grade run does the whole work.
        if (i === runs - 1) await pay.approveGradeRun(ctx, actor, run.id, run.version);
        t = performance.now();
        await pay.computePayRun(ctx, actor, { districtCode: DISTRICT, month: '2026-10' });
        payTimes.push((performance.now() - t) / 1000);
        const facts = await pay.loadFacts(ctx.db, DISTRICT, { month: '2026-10', schemeCode: 'bench-3p18g', withScores: true });
        t = performance.now();
        runGrades(DEMO_THREE_POST, facts, 2027);
        pureGrade.push((performance.now() - t) / 1000);
        t = performance.now();
        runPay(DEMO_THREE_POST, facts, '2026-10');
        purePay.push((performance.now() - t) / 1000);
      }
      return [
        {
          id: 'workforce.grade-run-20k',
          scenario: 'workforce',
          label: `grade run, ${workerCount} workers (load, propose, store reasons)`,
          unit: 's',
          ours: median(grade),
          baseline: median(pureGrade),
          baselineLabel: 'pure compute in memory',
          samples: { ours: grade, baseline: pureGrade },
        },
        {
          id: 'workforce.pay-run-20k',
          scenario: 'workforce',
          label: `pay run, one month, ${workerCount} workers (load, compute, store lines)`,
          unit: 's',
          ours: median(payTimes),
          baseline: median(purePay),
          baselineLabel: 'pure compute in memory',
          samples: { ours: payTimes, baseline: purePay },
        },
      ];
    } finally {
      await database.close();
    }
  },
};
