import { sql } from 'kysely';
import type { Actor, AppContext } from '../../core/context.ts';
import { AppError } from '../../core/errors.ts';
import { appendAudit } from '../../core/audit.ts';
import { pathInScope } from '../../core/permissions.ts';
import { nextWorkingDay } from '../../core/calendar.ts';
import type { CertificateKind, PlanStage } from '../../db/types-workforce.ts';
import { todayInShanghai } from '../registry/person-rules.ts';
import { auditOf } from './archive.ts';
import { bonusFor, rankCandidates, screen, STAGES, totalScore, type BonusTable, type Requirements } from './recruitment-rules.ts';
import * as store from './store.ts';
import { getPlan, loadPlan, planView, planVisible, requireDistrictRecruiter, workCalendar, noticeEnd } from './recruitment-plan-access.ts';
import { setApplication } from './recruitment-applications.ts';
import { closePlan } from './recruitment-appoint.ts';

/**
 * Recruitment (W3): plan → applications → screening → written exam (with certificate bonus) →
 * interview → medical and background checks → public notice of at least 5 working days with
 * objections → appointment, which creates the archive and post; the ranked remainder becomes
 * this year's reserve pool, from which vacancies are filled in rank order.
 * Every step is one transaction; the plan's version guards its stage.
 */

export * from './recruitment-plan-access.ts';
export * from './recruitment-applications.ts';
export * from './recruitment-appoint.ts';
export * from './recruitment-objections.ts';

export async function listPlans(ctx: AppContext, actor: Actor) {
  const rows = await ctx.db
    .selectFrom('recruit_plan as pl')
    .selectAll('pl')
    .select([
      sql<string>`pl.path::text`.as('path'),
      store.ymdOrNull('pl.notice_start').as('notice_start'),
      store.ymdOrNull('pl.notice_end').as('notice_end'),
    ])
    .where(planVisible(actor.scope('workforce.read')))
    .orderBy('pl.year', 'desc')
    .orderBy('pl.created_at', 'desc')
    .execute();
  return rows.map(planView);
}

export interface PlanInput {
  districtCode: string;
  year: number;
  title: string;
  requirements: Requirements;
  bonus: BonusTable;
  writtenPass?: number;
  interviewPass?: number;
  writtenWeight?: number;
  posts: { streetCode: string; name: string; quota: number }[];
}

export async function createPlan(ctx: AppContext, actor: Actor, input: PlanInput) {
  const d = await store.findDivision(ctx.db, input.districtCode);
  if (!d || d.level !== 'district') throw new AppError('TERRITORY_NOT_FOUND', { districtCode: input.districtCode });
  if (!pathInScope(actor.scope('workforce.recruit'), d.path)) throw new AppError('OUT_OF_SCOPE', { districtCode: input.districtCode });
  if (input.requirements.minAge > input.requirements.maxAge)
    throw new AppError('VALIDATION_FAILED', { problems: [{ field: 'requirements.minAge', reason: '最小年龄不能大于最大年龄' }] });
  const streets = await ctx.db
    .selectFrom('division')
    .select(['code', sql<string>`path::text`.as('path')])
    .where(
      'code',
      'in',
      input.posts.map((p) => p.streetCode),
    )
    .where('level', '=', 'street')
    .where('parent_code', '=', input.districtCode)
    .execute();
  const streetPath = new Map(streets.map((s) => [s.code, s.path]));
  const bad = input.posts.filter((p) => !streetPath.has(p.streetCode));
  if (bad.length || !input.posts.length)
    throw new AppError('VALIDATION_FAILED', {
      problems: [{ field: 'posts', reason: '岗位须属于本区的街道（镇）', streets: bad.map((b) => b.streetCode) }],
    });
  const id = await ctx.db.transaction().execute(async (tx) => {
    const plan = await tx
      .insertInto('recruit_plan')
      .values({
        district_code: input.districtCode,
        year: input.year,
        title: input.title,
        path: d.path,
        stage: 'draft',
        requirements: JSON.stringify(input.requirements),
        bonus: JSON.stringify(input.bonus),
        written_pass: input.writtenPass ?? 60,
        interview_pass: input.interviewPass ?? 60,
        written_weight: input.writtenWeight ?? 0.5,
        created_by: actor.username,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    for (const p of input.posts)
      await tx
        .insertInto('recruit_post')
        .values({
          district_code: input.districtCode,
          plan_id: plan.id,
          street_code: p.streetCode,
          path: streetPath.get(p.streetCode)!,
          name: p.name,
          quota: p.quota,
        })
        .execute();
    await appendAudit(
      tx,
      auditOf(actor, 'workforce.recruit.plan.create', 'recruit_plan', plan.id, input.districtCode, { title: input.title }),
    );
    return plan.id;
  });
  return getPlan(ctx, actor, id);
}

// ------------------------------------------------------------------ stages

/**
 * Moves a plan to its next stage. `now` is the clock the notice is measured by: its start may not
 * lie before today, and it closes only once its 5 working days are over (the demo passes the day
 * a past plan reached each stage).
 */
export async function advance(
  ctx: AppContext,
  actor: Actor,
  planId: string,
  input: { version: number; to: PlanStage; noticeStart?: string },
  now = new Date(),
) {
  const plan = await loadPlan(ctx, actor, planId);
  requireDistrictRecruiter(actor, plan);
  const from = STAGES.indexOf(plan.stage);
  if (STAGES.indexOf(input.to) !== from + 1) throw new AppError('STAGE_INVALID', { stage: plan.stage, to: input.to });
  if (plan.version !== input.version) throw new AppError('VERSION_CONFLICT', { currentVersion: plan.version });
  const today = todayInShanghai(now);
  const cal = workCalendar();
  let notice: { start: string; end: string } | null = null;
  if (input.to === 'notice') {
    // A back-dated notice would count days nobody could object in: it starts today at the earliest.
    if (input.noticeStart && input.noticeStart < today) throw new AppError('NOTICE_BACKDATED', { noticeStart: input.noticeStart, today });
    const start = nextWorkingDay(cal, input.noticeStart ?? today);
    notice = { start, end: noticeEnd(cal, start, 5) };
  }
  if (input.to === 'closed') return closePlan(ctx, actor, plan, today);
  await ctx.db.transaction().execute(async (tx) => {
    const apps = await tx
      .selectFrom('recruit_application')
      .selectAll()
      .select(store.ymd('birth_date').as('birth_date'))
      .where('district_code', '=', plan.district_code)
      .where('plan_id', '=', planId)
      .orderBy('created_at')
      .execute();
    const req = plan.requirements as Requirements;
    const bonus = plan.bonus as BonusTable;
    if (input.to === 'screening') {
      for (const a of apps.filter((x) => x.status === 'submitted')) {
        const certs = (a.certificates as { kind: CertificateKind }[]).map((c) => c.kind);
        const s = screen(
          { birthDate: a.birth_date, education: a.education, major: a.major, fullTime: a.full_time, certificates: certs },
          req,
        );
        const b = bonusFor(certs, bonus);
        await setApplication(
          tx,
          a,
          { status: s.eligible ? 'eligible' : 'ineligible', screening: JSON.stringify([...s.reasons, b.reason]), bonus_points: b.points },
          null,
        );
      }
    }
    if (input.to === 'interview') {
      const sitting = apps.filter((x) => x.status === 'eligible');
      const missing = sitting.filter((x) => x.written_score === null);
      if (missing.length) throw new AppError('SCORES_MISSING', { stage: 'written', applications: missing.map((m) => m.id) });
      for (const a of sitting) {
        const withBonus = Number(a.written_score) + Number(a.bonus_points);
        if (withBonus < Number(plan.written_pass))
          await setApplication(
            tx,
            a,
            { status: 'failed', status_reason: `笔试成绩（含加分）${withBonus} 分，未达合格线 ${Number(plan.written_pass)} 分` },
            null,
          );
      }
    }
    if (input.to === 'checks') {
      const sitting = apps.filter((x) => x.status === 'eligible');
      const missing = sitting.filter((x) => x.interview_score === null);
      if (missing.length) throw new AppError('SCORES_MISSING', { stage: 'interview', applications: missing.map((m) => m.id) });
      const quotas = new Map(
        (
          await tx
            .selectFrom('recruit_post')
            .select(['id', 'quota'])
            .where('district_code', '=', plan.district_code)
            .where('plan_id', '=', planId)
            .execute()
        ).map((p) => [p.id, p.quota]),
      );
      const passed = [];
      for (const [seq, a] of sitting.entries()) {
        if (Number(a.interview_score) < Number(plan.interview_pass)) {
          await setApplication(
            tx,
            a,
            { status: 'failed', status_reason: `面试成绩 ${Number(a.interview_score)} 分，未达合格线 ${Number(plan.interview_pass)} 分` },
            null,
          );
          continue;
        }
        const written = Number(a.written_score) + Number(a.bonus_points);
        passed.push({
          a,
          id: a.id,
          seq,
          written,
          interview: Number(a.interview_score),
          total: totalScore(Number(a.written_score), Number(a.bonus_points), Number(a.interview_score), Number(plan.written_weight)),
        });
      }
      for (const [postId, quota] of quotas) {
        const ranked = rankCandidates(passed.filter((p) => p.a.post_id === postId));
        for (const [i, p] of ranked.entries())
          await setApplication(tx, p.a, { status: i < quota ? 'selected' : 'ranked', rank: i + 1, total_score: p.total }, null);
      }
    }
    if (input.to === 'notice') {
      const selected = apps.filter((x) => x.status === 'selected');
      const missing = selected.filter((x) => x.medical !== 'pass' || x.background !== 'pass');
      if (missing.length) throw new AppError('CHECKS_MISSING', { applications: missing.map((m) => m.id) });
      for (const a of selected) await setApplication(tx, a, { status: 'notice' }, null);
    }
    await tx
      .updateTable('recruit_plan')
      .set({
        stage: input.to,
        ...(notice ? { notice_start: notice.start, notice_end: notice.end } : {}),
        updated_at: new Date(),
        version: plan.version + 1,
      })
      .where('district_code', '=', plan.district_code)
      .where('id', '=', planId)
      .execute();
    await appendAudit(
      tx,
      auditOf(actor, 'workforce.recruit.advance', 'recruit_plan', planId, plan.district_code, { from: plan.stage, to: input.to, notice }),
    );
  });
  return getPlan(ctx, actor, planId);
}
