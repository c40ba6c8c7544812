import { sql, type Kysely, type SelectQueryBuilder } from 'kysely';
import type { Actor, AppContext } from '../../core/context.ts';
import { AppError } from '../../core/errors.ts';
import { appendAudit } from '../../core/audit.ts';
import { pathInScope } from '../../core/permissions.ts';
import type { DB } from '../../db/types.ts';
import type { AppraisalResult, CertificateKind, PostKind, SchemeKind } from '../../db/types-workforce.ts';
import { auditOf, loadWorker } from './archive.ts';
import { packPayLines, runGrades, runPay, unpackItems, type ItemShape, type PackedItem, type RunWorker } from './grade-run.ts';
import { gradeFor, monthlyPay, type PayRules } from './pay-rules.ts';
import { validateRules } from './pay-rules-schema.ts';
import { refreshGridScores } from './grid-score-service.ts';
import { settingsOf } from './staffing.ts';
import * as store from './store.ts';

/**
 * Pay (W4): schemes are versioned rule sets (a change is a new version from a month on, never an
 * edit); the yearly grade run proposes, is approved, and takes effect from January; the monthly
 * pay run stores every worker's explained lines, so later rule changes never rewrite a past month.
 */

async function districtForPay(ctx: AppContext, actor: Actor, districtCode: string) {
  const d = await store.findDivision(ctx.db, districtCode);
  if (!d || d.level !== 'district') throw new AppError('TERRITORY_NOT_FOUND', { districtCode });
  if (!pathInScope(actor.scope('workforce.pay'), d.path)) throw new AppError('OUT_OF_SCOPE', { districtCode });
  return d;
}

function schemeView(s: {
  id: string;
  district_code: string;
  code: string;
  name: string;
  kind: SchemeKind;
  version_no: number;
  effective_from: string;
  rules: unknown;
  note: string;
  created_by: string;
  created_at: Date;
}) {
  return {
    id: s.id,
    districtCode: s.district_code,
    code: s.code,
    name: s.name,
    kind: s.kind,
    versionNo: s.version_no,
    effectiveFrom: s.effective_from,
    rules: s.rules as PayRules,
    note: s.note,
    createdBy: s.created_by,
    createdAt: s.created_at.toISOString(),
  };
}

export async function listSchemes(ctx: AppContext, actor: Actor, districtCode: string) {
  await districtForPay(ctx, actor, districtCode);
  const rows = await ctx.db
    .selectFrom('pay_scheme')
    .selectAll()
    .where('district_code', '=', districtCode)
    .orderBy('code')
    .orderBy('version_no', 'desc')
    .execute();
  const settings = await settingsOf(ctx, districtCode);
  return { inUse: settings.paySchemeCode, items: rows.map(schemeView) };
}

/** The version of a scheme in force in a month: the latest that starts on or before it. */
export async function schemeFor(db: Kysely<DB>, districtCode: string, code: string, month: string) {
  return db
    .selectFrom('pay_scheme')
    .selectAll()
    .where('district_code', '=', districtCode)
    .where('code', '=', code)
    .where('effective_from', '<=', month)
    .orderBy('effective_from', 'desc')
    .limit(1)
    .executeTakeFirst();
}

async function schemeInUse(ctx: AppContext, districtCode: string, month: string) {
  const settings = await settingsOf(ctx, districtCode);
  const s = settings.paySchemeCode ? await schemeFor(ctx.db, districtCode, settings.paySchemeCode, month) : undefined;
  if (!s) throw new AppError('PAY_SCHEME_MISSING', { districtCode, month });
  return s;
}

export interface SchemeInput {
  districtCode: string;
  code: string;
  name: string;
  effectiveFrom: string;
  rules: unknown;
  note?: string;
}

/** A new version of a scheme from a month on; months already paid cannot be reached back into. */
export async function createSchemeVersion(ctx: AppContext, actor: Actor, input: SchemeInput) {
  await districtForPay(ctx, actor, input.districtCode);
  const checked = validateRules(input.rules);
  if (!checked.ok) throw new AppError('VALIDATION_FAILED', { problems: checked.problems });
  const paid = await ctx.db
    .selectFrom('pay_run')
    .select(sql<string | null>`max(month)`.as('last'))
    .where('district_code', '=', input.districtCode)
    .executeTakeFirst();
  if (paid?.last && input.effectiveFrom <= paid.last)
    throw new AppError('VALIDATION_FAILED', {
      problems: [{ field: 'effectiveFrom', reason: `${paid.last} 已核算薪酬，新规则只能从之后的月份起生效` }],
    });
  const prev = await ctx.db
    .selectFrom('pay_scheme')
    .select(['version_no', 'effective_from', 'kind'])
    .where('district_code', '=', input.districtCode)
    .where('code', '=', input.code)
    .orderBy('version_no', 'desc')
    .limit(1)
    .executeTakeFirst();
  if (prev && prev.kind !== checked.rules.kind)
    throw new AppError('VALIDATION_FAILED', { problems: [{ field: 'rules.kind', reason: '同一薪酬方案不能改变体系类型，请新建方案' }] });
  if (prev && input.effectiveFrom <= prev.effective_from)
    throw new AppError('VALIDATION_FAILED', {
      problems: [{ field: 'effectiveFrom', reason: `须晚于上一版本的生效月份 ${prev.effective_from}` }],
    });
  const id = await ctx.db.transaction().execute(async (tx) => {
    const r = await tx
      .insertInto('pay_scheme')
      .values({
        district_code: input.districtCode,
        code: input.code,
        name: input.name,
        kind: checked.rules.kind,
        version_no: (prev?.version_no ?? 0) + 1,
        effective_from: input.effectiveFrom,
        rules: JSON.stringify(checked.rules),
        note: input.note ?? '',
        created_by: actor.username,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    await appendAudit(
      tx,
      auditOf(actor, 'workforce.pay.scheme.version', 'pay_scheme', r.id, input.districtCode, {
        code: input.code,
        effectiveFrom: input.effectiveFrom,
      }),
    );
    return r.id;
  });
  const row = await ctx.db.selectFrom('pay_scheme').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
  return schemeView(row);
}

// ------------------------------------------------------------------ facts

interface FactsOptions {
  workerIds?: string[];
  /** Grades in force in this month (YYYY-MM). */
  month: string;
  schemeCode: string;
  /** Include the month's grid performance scores. */
  withScores: boolean;
}

/**
 * Loads the facts of every active worker of a district with one simple query per table (no
 * joins): plans stay linear even where statistics are missing (PGlite runs no autovacuum, and a
 * nested loop over an unanalysed 20,000-row table took 9 s for 2,000 workers).
 */
const NO_WORKER = '00000000-0000-0000-0000-000000000000';

/** Runs a select and returns its rows from one JSON document (see loadFacts). */
async function asJson<O>(db: Kysely<DB>, q: SelectQueryBuilder<DB, keyof DB, O>): Promise<O[]> {
  const r = await sql<{ doc: string }>`select coalesce(json_agg(q), '[]')::text as doc from ${q} q`.execute(db);
  return JSON.parse(r.rows[0].doc) as O[];
}

export async function loadFacts(db: Kysely<DB>, districtCode: string, o: FactsOptions): Promise<RunWorker[]> {
  const NONE = ['00000000-0000-0000-0000-000000000000'];
  const ids = o.workerIds ? (o.workerIds.length ? o.workerIds : NONE) : null;
  const monthEnd = sql<string>`(${o.month + '-01'}::date + interval '1 month' - interval '1 day')::date`;
  // Each table comes back as one JSON text parsed in JS: PGlite converts a 20,000-row result
  // column by column in WASM, which cost more than the query itself.
  const workers = await asJson(
    db,
    db
      .selectFrom('worker')
      .select(['id', store.ymd('work_start').as('work_start'), 'education', 'party_affairs'])
      .where('district_code', '=', districtCode)
      .where('status', '=', 'active')
      // Paid from the month they start in.
      .where('work_start', '<=', monthEnd)
      .$if(!!ids, (qq) => qq.where('id', 'in', ids!))
      .orderBy('community_code')
      .orderBy('id'),
  );
  const posts = await asJson(
    db,
    db
      .selectFrom('worker_post')
      .select(['worker_id', 'post'])
      .where('district_code', '=', districtCode)
      .where('end_on', 'is', null)
      .$if(!!ids, (qq) => qq.where('worker_id', 'in', ids!)),
  );
  const postBy = new Map(posts.map((p) => [p.worker_id, p.post]));
  const certs = await asJson(
    db,
    db
      .selectFrom('worker_certificate')
      .select(['worker_id', 'kind', store.ymd('issued_on').as('issued_on')])
      .where('district_code', '=', districtCode)
      .$if(!!ids, (qq) => qq.where('worker_id', 'in', ids!)),
  );
  const appraisals = await asJson(
    db,
    db
      .selectFrom('worker_appraisal')
      .select(['worker_id', 'year', 'result'])
      .where('district_code', '=', districtCode)
      .$if(!!ids, (qq) => qq.where('worker_id', 'in', ids!)),
  );
  // Only the grade in force: the latest row per worker up to the month.
  const grades = await asJson(
    db,
    db
      .selectFrom('worker_grade')
      .distinctOn('worker_id')
      .select(['worker_id', 'grade', 'effective_from'])
      .where('district_code', '=', districtCode)
      .where('scheme_code', '=', o.schemeCode)
      .where('effective_from', '<=', o.month)
      .$if(!!ids, (qq) => qq.where('worker_id', 'in', ids!))
      .orderBy('worker_id')
      .orderBy('effective_from', 'desc'),
  );
  const scores = o.withScores
    ? await asJson(
        db,
        db
          .selectFrom('worker_month_score')
          .select(['worker_id', 'score'])
          .where('district_code', '=', districtCode)
          .where('month', '=', o.month),
      )
    : [];
  const certBy = new Map<string, { kind: CertificateKind; issuedOn: string }[]>();
  for (const c of certs) {
    const list = certBy.get(c.worker_id) ?? [];
    list.push({ kind: c.kind, issuedOn: c.issued_on });
    certBy.set(c.worker_id, list);
  }
  const apprBy = new Map<string, { year: number; result: AppraisalResult }[]>();
  for (const a of appraisals) {
    const list = apprBy.get(a.worker_id) ?? [];
    list.push({ year: a.year, result: a.result });
    apprBy.set(a.worker_id, list);
  }
  const gradeBy = new Map<string, { grade: number; from: string }>();
  for (const g of grades) {
    const cur = gradeBy.get(g.worker_id);
    if (!cur || g.effective_from > cur.from) gradeBy.set(g.worker_id, { grade: g.grade, from: g.effective_from });
  }
  const scoreBy = new Map(scores.map((s) => [s.worker_id, Number(s.score)]));
  return workers
    .filter((w) => postBy.has(w.id))
    .map((w) => ({
      id: w.id,
      post: postBy.get(w.id)! as PostKind,
      workStart: w.work_start,
      education: w.education,
      partyAffairs: w.party_affairs,
      certificates: certBy.get(w.id) ?? [],
      appraisals: apprBy.get(w.id) ?? [],
      grade: gradeBy.get(w.id)?.grade ?? null,
      monthScore: scoreBy.get(w.id) ?? null,
    }));
}

// ------------------------------------------------------------------ preview

/** "What would this worker get": the rules of a draft or of a stored version, applied to one worker. */
export async function preview(
  ctx: AppContext,
  actor: Actor,
  input: { workerId: string; month: string; rules?: unknown; schemeId?: string },
) {
  const w = await loadWorker(ctx, actor, input.workerId);
  const d = await districtForPay(ctx, actor, w.district_code);
  let rules: PayRules;
  let code: string;
  if (input.rules !== undefined) {
    const checked = validateRules(input.rules);
    if (!checked.ok) throw new AppError('VALIDATION_FAILED', { problems: checked.problems });
    rules = checked.rules;
    code = '';
  } else {
    const s = input.schemeId
      ? await ctx.db
          .selectFrom('pay_scheme')
          .selectAll()
          .where('district_code', '=', d.code)
          .where('id', '=', input.schemeId)
          .executeTakeFirst()
      : await schemeInUse(ctx, d.code, input.month);
    if (!s) throw new AppError('NOT_FOUND', { schemeId: input.schemeId });
    rules = s.rules as PayRules;
    code = s.code;
  }
  const [facts] = await loadFacts(ctx.db, d.code, { workerIds: [w.id], month: input.month, schemeCode: code, withScores: true });
  if (!facts) throw new AppError('CONFLICT', { reason: 'worker_not_active' });
  // A draft has no graded workers yet: it is previewed with the grade its own rules give.
  const grade = input.rules !== undefined ? null : facts.grade;
  const slip = monthlyPay(rules, facts, grade, input.month);
  const ruleGrade = gradeFor(rules, facts, `${input.month.slice(0, 4)}-01-01`);
  return { workerId: w.id, name: w.name, ...slip, storedGrade: facts.grade, ruleGrade };
}

// ------------------------------------------------------------------ grade runs

export async function startGradeRun(ctx: AppContext, actor: Actor, input: { districtCode: string; year: number }) {
  await districtForPay(ctx, actor, input.districtCode);
  const scheme = await schemeInUse(ctx, input.districtCode, `${input.year}-01`);
  const existing = await ctx.db
    .selectFrom('grade_run')
    .selectAll()
    .where('district_code', '=', input.districtCode)
    .where('year', '=', input.year)
    .executeTakeFirst();
  if (existing?.status === 'approved') throw new AppError('CONFLICT', { reason: 'grade_run_approved', runId: existing.id });
  // Grades before the run: those in force in December of the year before.
  const facts = await loadFacts(ctx.db, input.districtCode, { month: `${input.year - 1}-12`, schemeCode: scheme.code, withScores: false });
  const { lines, changed } = runGrades(scheme.rules as PayRules, facts, input.year);
  const id = await ctx.db.transaction().execute(async (tx) => {
    let runId: string;
    if (existing) {
      runId = existing.id;
      await tx.deleteFrom('grade_run_line').where('district_code', '=', input.districtCode).where('run_id', '=', runId).execute();
      await tx
        .updateTable('grade_run')
        .set({
          scheme_id: scheme.id,
          worker_count: lines.length,
          changed_count: changed,
          created_by: actor.username,
          updated_at: new Date(),
          version: existing.version + 1,
        })
        .where('district_code', '=', input.districtCode)
        .where('id', '=', runId)
        .execute();
    } else {
      const r = await tx
        .insertInto('grade_run')
        .values({
          district_code: input.districtCode,
          year: input.year,
          scheme_id: scheme.id,
          status: 'proposed',
          created_by: actor.username,
          worker_count: lines.length,
          changed_count: changed,
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      runId = r.id;
    }
    // One statement over one JSON document: far cheaper than a multi-row VALUES or jsonb[] literal.
    const doc = JSON.stringify(lines.map((l) => ({ w: l.workerId, c: l.current, p: l.proposed, r: l.reasons })));
    await sql`
      insert into grade_run_line (district_code, run_id, worker_id, current_grade, proposed_grade, reasons)
      select ${input.districtCode}, ${runId}::uuid, x.w, x.c, x.p, x.r
      from json_to_recordset(${doc}::json) as x(w uuid, c int, p int, r jsonb)`.execute(tx);
    await appendAudit(
      tx,
      auditOf(actor, 'workforce.pay.grade_run', 'grade_run', runId, input.districtCode, {
        year: input.year,
        workers: lines.length,
        changed,
      }),
    );
    return runId;
  });
  return getGradeRun(ctx, actor, id, { limit: 200 });
}

async function runDistrictVisible(ctx: AppContext, actor: Actor, districtCode: string, id: string) {
  const d = await store.findDivision(ctx.db, districtCode);
  if (!d || !pathInScope(actor.scope('workforce.pay'), d.path)) throw new AppError('NOT_FOUND', { id });
}

async function loadGradeRun(ctx: AppContext, actor: Actor, id: string) {
  const r = await ctx.db.selectFrom('grade_run').selectAll().where('id', '=', id).executeTakeFirst();
  if (!r) throw new AppError('NOT_FOUND', { id });
  await runDistrictVisible(ctx, actor, r.district_code, id);
  return r;
}

async function loadPayRun(ctx: AppContext, actor: Actor, id: string) {
  const r = await ctx.db.selectFrom('pay_run').selectAll().where('id', '=', id).executeTakeFirst();
  if (!r) throw new AppError('NOT_FOUND', { id });
  await runDistrictVisible(ctx, actor, r.district_code, id);
  return r;
}

export async function getGradeRun(ctx: AppContext, actor: Actor, id: string, opts: { onlyChanged?: boolean; limit?: number } = {}) {
  const run = await loadGradeRun(ctx, actor, id);
  let q = ctx.db
    .selectFrom('grade_run_line as l')
    .innerJoin('worker as w', (j) => j.onRef('w.district_code', '=', 'l.district_code').onRef('w.id', '=', 'l.worker_id'))
    .innerJoin('person as p', (j) => j.onRef('p.district_code', '=', 'w.district_code').onRef('p.id', '=', 'w.person_id'))
    .innerJoin('division as c', 'c.code', 'w.community_code')
    .select(['l.worker_id', 'p.name', 'c.name as community_name', 'l.current_grade', 'l.proposed_grade', 'l.reasons'])
    .where('l.district_code', '=', run.district_code)
    .where('l.run_id', '=', id);
  if (opts.onlyChanged) q = q.where(sql<boolean>`l.current_grade is distinct from l.proposed_grade`);
  const lines = await q
    .orderBy('w.community_code')
    .orderBy('p.name')
    .limit(opts.limit ?? 5000)
    .execute();
  return {
    id: run.id,
    districtCode: run.district_code,
    year: run.year,
    status: run.status,
    workerCount: run.worker_count,
    changedCount: run.changed_count,
    approvedBy: run.approved_by,
    version: run.version,
    lines: lines.map((l) => ({
      workerId: l.worker_id,
      name: l.name,
      communityName: l.community_name,
      current: l.current_grade,
      proposed: l.proposed_grade,
      reasons: l.reasons as string[],
    })),
  };
}

export async function approveGradeRun(ctx: AppContext, actor: Actor, id: string, version: number) {
  const run = await loadGradeRun(ctx, actor, id);
  if (run.status !== 'proposed') throw new AppError('CONFLICT', { reason: 'already_approved' });
  if (run.version !== version) throw new AppError('VERSION_CONFLICT', { currentVersion: run.version });
  const scheme = await ctx.db
    .selectFrom('pay_scheme')
    .select('code')
    .where('district_code', '=', run.district_code)
    .where('id', '=', run.scheme_id)
    .executeTakeFirstOrThrow();
  const from = `${run.year}-01`;
  await ctx.db.transaction().execute(async (tx) => {
    // Grades take effect from January of the run's year, in one statement.
    await sql`
      insert into worker_grade (district_code, worker_id, scheme_code, grade, effective_from, run_id, reason)
      select l.district_code, l.worker_id, ${scheme.code}, l.proposed_grade, ${from}, l.run_id, ${`${run.year} 年度自然晋升`}
      from grade_run_line l where l.district_code = ${run.district_code} and l.run_id = ${id}
      on conflict (district_code, worker_id, scheme_code, effective_from)
      do update set grade = excluded.grade, run_id = excluded.run_id, reason = excluded.reason, updated_at = now(), version = worker_grade.version + 1`.execute(
      tx,
    );
    await tx
      .updateTable('grade_run')
      .set({ status: 'approved', approved_by: actor.username, approved_at: new Date(), updated_at: new Date(), version: run.version + 1 })
      .where('district_code', '=', run.district_code)
      .where('id', '=', id)
      .execute();
    await appendAudit(tx, auditOf(actor, 'workforce.pay.grade_run.approve', 'grade_run', id, run.district_code, { year: run.year }));
  });
  return getGradeRun(ctx, actor, id, { limit: 50 });
}

// ------------------------------------------------------------------ pay runs

export async function computePayRun(ctx: AppContext, actor: Actor, input: { districtCode: string; month: string }) {
  await districtForPay(ctx, actor, input.districtCode);
  const scheme = await schemeInUse(ctx, input.districtCode, input.month);
  const existing = await ctx.db
    .selectFrom('pay_run')
    .selectAll()
    .where('district_code', '=', input.districtCode)
    .where('month', '=', input.month)
    .executeTakeFirst();
  if (existing?.status === 'confirmed') throw new AppError('PAY_RUN_CONFIRMED', { runId: existing.id });
  let firstPage: string[] = [];
  const id = await ctx.db.transaction().execute(async (tx) => {
    // The month's grid scores are counted from the events first, so the 网格绩效 line is current.
    await refreshGridScores(tx, input.districtCode, input.month);
    const facts = await loadFacts(tx, input.districtCode, { month: input.month, schemeCode: scheme.code, withScores: true });
    const { lines, totalFen } = runPay(scheme.rules as PayRules, facts, input.month);
    firstPage = facts.slice(0, 200).map((f) => f.id);
    let runId: string;
    if (existing) {
      runId = existing.id;
      await tx.deleteFrom('pay_line').where('district_code', '=', input.districtCode).where('run_id', '=', runId).execute();
      await tx
        .updateTable('pay_run')
        .set({
          scheme_id: scheme.id,
          worker_count: lines.length,
          total_fen: totalFen,
          created_by: actor.username,
          updated_at: new Date(),
          version: existing.version + 1,
        })
        .where('district_code', '=', input.districtCode)
        .where('id', '=', runId)
        .execute();
    } else {
      const r = await tx
        .insertInto('pay_run')
        .values({
          district_code: input.districtCode,
          month: input.month,
          scheme_id: scheme.id,
          status: 'computed',
          worker_count: lines.length,
          total_fen: totalFen,
          created_by: actor.username,
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      runId = r.id;
    }
    const packed = packPayLines(lines);
    await tx
      .updateTable('pay_run')
      .set({ item_dict: JSON.stringify(packed.dict) })
      .where('district_code', '=', input.districtCode)
      .where('id', '=', runId)
      .execute();
    const doc = JSON.stringify(packed.lines.map((l) => ({ w: l.workerId, g: l.grade, i: l.items, t: l.totalFen })));
    await sql`
      insert into pay_line (district_code, run_id, worker_id, grade, items, total_fen)
      select ${input.districtCode}, ${runId}::uuid, x.w, x.g, x.i, x.t
      from json_to_recordset(${doc}::json) as x(w uuid, g int, i jsonb, t bigint)`.execute(tx);
    await appendAudit(
      tx,
      auditOf(actor, 'workforce.pay.run', 'pay_run', runId, input.districtCode, { month: input.month, workers: lines.length, totalFen }),
    );
    return runId;
  });
  // The first page by the facts' order: index lookups, not a sort of every line by name.
  return getPayRun(ctx, actor, id, { workerIds: firstPage });
}

export async function getPayRun(
  ctx: AppContext,
  actor: Actor,
  id: string,
  opts: { limit?: number; offset?: number; workerIds?: string[] } = {},
) {
  const run = await loadPayRun(ctx, actor, id);
  const scheme = await ctx.db
    .selectFrom('pay_scheme')
    .select(['code', 'name', 'version_no', 'kind'])
    .where('district_code', '=', run.district_code)
    .where('id', '=', run.scheme_id)
    .executeTakeFirstOrThrow();
  const lines = await ctx.db
    .selectFrom('pay_line as l')
    .innerJoin('worker as w', (j) => j.onRef('w.district_code', '=', 'l.district_code').onRef('w.id', '=', 'l.worker_id'))
    .innerJoin('person as p', (j) => j.onRef('p.district_code', '=', 'w.district_code').onRef('p.id', '=', 'w.person_id'))
    .innerJoin('division as c', 'c.code', 'w.community_code')
    .select(['l.worker_id', 'p.name', 'c.name as community_name', 'l.grade', 'l.items', 'l.total_fen'])
    .where('l.district_code', '=', run.district_code)
    .where('l.run_id', '=', id)
    .$if(!!opts.workerIds, (q) => q.where('l.worker_id', 'in', opts.workerIds!.length ? opts.workerIds! : [NO_WORKER]))
    .orderBy('w.community_code')
    .orderBy('p.name')
    .limit(opts.limit ?? 100_000)
    .offset(opts.offset ?? 0)
    .execute();
  return {
    id: run.id,
    districtCode: run.district_code,
    month: run.month,
    status: run.status,
    scheme: { id: run.scheme_id, code: scheme.code, name: scheme.name, versionNo: scheme.version_no, kind: scheme.kind },
    workerCount: run.worker_count,
    totalFen: run.total_fen,
    version: run.version,
    lines: lines.map((l) => ({
      workerId: l.worker_id,
      name: l.name,
      communityName: l.community_name,
      grade: l.grade,
      items: run.item_dict
        ? unpackItems(run.item_dict as ItemShape[], l.items as PackedItem[])
        : (l.items as { code: string; label: string; amountFen: number; explain: string }[]),
      totalFen: l.total_fen,
    })),
  };
}

export async function listRuns(ctx: AppContext, actor: Actor, districtCode: string) {
  await districtForPay(ctx, actor, districtCode);
  const [grades, pays] = await Promise.all([
    ctx.db
      .selectFrom('grade_run')
      .select(['id', 'year', 'status', 'worker_count', 'changed_count', 'version'])
      .where('district_code', '=', districtCode)
      .orderBy('year', 'desc')
      .execute(),
    ctx.db
      .selectFrom('pay_run')
      .select(['id', 'month', 'status', 'worker_count', 'total_fen', 'version'])
      .where('district_code', '=', districtCode)
      .orderBy('month', 'desc')
      .execute(),
  ]);
  return {
    gradeRuns: grades.map((g) => ({
      id: g.id,
      year: g.year,
      status: g.status,
      workerCount: g.worker_count,
      changedCount: g.changed_count,
      version: g.version,
    })),
    payRuns: pays.map((p) => ({
      id: p.id,
      month: p.month,
      status: p.status,
      workerCount: p.worker_count,
      totalFen: p.total_fen,
      version: p.version,
    })),
  };
}

export async function confirmPayRun(ctx: AppContext, actor: Actor, id: string, version: number) {
  const run = await loadPayRun(ctx, actor, id);
  if (run.status !== 'computed') throw new AppError('PAY_RUN_CONFIRMED', { runId: id });
  if (run.version !== version) throw new AppError('VERSION_CONFLICT', { currentVersion: run.version });
  await ctx.db.transaction().execute(async (tx) => {
    await tx
      .updateTable('pay_run')
      .set({
        status: 'confirmed',
        confirmed_by: actor.username,
        confirmed_at: new Date(),
        updated_at: new Date(),
        version: run.version + 1,
      })
      .where('district_code', '=', run.district_code)
      .where('id', '=', id)
      .execute();
    await appendAudit(tx, auditOf(actor, 'workforce.pay.run.confirm', 'pay_run', id, run.district_code, {}));
  });
  return getPayRun(ctx, actor, id, { limit: 200 });
}
