import type { Actor, AppContext } from '../../core/context.ts';
import { AppError } from '../../core/errors.ts';
import { appendAudit } from '../../core/audit.ts';
import { auditOf } from './archive.ts';
import * as store from './store.ts';
import { loadPlan, requireDistrictRecruiter } from './recruitment-plan-access.ts';
import { getApplication, loadForRecruit, postVisible, setApplication } from './recruitment-applications.ts';

/**
 * Recruitment (W3): objections (公示异议) raised during the public notice, each decided with a
 * finding; an upheld objection strikes the candidate before appointment.
 */

export async function addObjection(ctx: AppContext, actor: Actor, id: string, input: { receivedOn: string; content: string }) {
  const { a, plan } = await loadForRecruit(ctx, actor, id);
  if (plan.stage !== 'notice' || a.status !== 'notice') throw new AppError('STAGE_INVALID', { stage: plan.stage, status: a.status });
  if (input.receivedOn < plan.notice_start! || input.receivedOn > plan.notice_end!)
    throw new AppError('VALIDATION_FAILED', {
      problems: [{ field: 'receivedOn', reason: `异议须在公示期内（${plan.notice_start} 至 ${plan.notice_end}）提出` }],
    });
  const objectionId = await ctx.db.transaction().execute(async (tx) => {
    const r = await tx
      .insertInto('recruit_objection')
      .values({ district_code: a.district_code, application_id: id, received_on: input.receivedOn, content: input.content })
      .returning('id')
      .executeTakeFirstOrThrow();
    await appendAudit(
      tx,
      auditOf(actor, 'workforce.recruit.objection', 'recruit_application', id, plan.district_code, { objectionId: r.id }),
    );
    return r.id;
  });
  return { objectionId, application: await getApplication(ctx, actor, id) };
}

/** The objections to a plan's candidates whom the caller may see (a street sees its own street's). */
export async function objectionsOf(ctx: AppContext, actor: Actor, planId: string) {
  const plan = await loadPlan(ctx, actor, planId);
  return ctx.db
    .selectFrom('recruit_objection as o')
    .innerJoin('recruit_application as a', (j) => j.onRef('a.district_code', '=', 'o.district_code').onRef('a.id', '=', 'o.application_id'))
    .innerJoin('recruit_post as rp', (j) => j.onRef('rp.district_code', '=', 'a.district_code').onRef('rp.id', '=', 'a.post_id'))
    .innerJoin('division as s', 's.code', 'rp.street_code')
    .select([
      'o.id',
      'o.application_id as applicationId',
      'a.name',
      's.name as streetName',
      'rp.name as postName',
      store.ymd('o.received_on').as('receivedOn'),
      'o.content',
      'o.finding',
      'o.finding_note as findingNote',
      'o.version',
    ])
    .where('o.district_code', '=', plan.district_code)
    .where('a.plan_id', '=', planId)
    .where(postVisible(actor.scope('workforce.read')))
    .orderBy('o.received_on')
    .orderBy('o.created_at')
    .execute();
}

export async function decideObjection(
  ctx: AppContext,
  actor: Actor,
  objectionId: string,
  input: { version: number; finding: 'upheld' | 'dismissed'; note: string },
) {
  const o = await ctx.db.selectFrom('recruit_objection').selectAll().where('id', '=', objectionId).executeTakeFirst();
  if (!o) throw new AppError('NOT_FOUND', { id: objectionId });
  const { a, plan } = await loadForRecruit(ctx, actor, o.application_id);
  requireDistrictRecruiter(actor, plan);
  if (o.finding) throw new AppError('CONFLICT', { reason: 'already_decided' });
  await ctx.db.transaction().execute(async (tx) => {
    const r = await tx
      .updateTable('recruit_objection')
      .set({ finding: input.finding, finding_note: input.note, decided_by: actor.username, updated_at: new Date(), version: o.version + 1 })
      .where('district_code', '=', o.district_code)
      .where('id', '=', objectionId)
      .where('version', '=', input.version)
      .executeTakeFirst();
    if (Number(r.numUpdatedRows) !== 1) throw new AppError('VERSION_CONFLICT', { currentVersion: o.version });
    // An upheld objection strikes the candidate; the post's place is filled later from the reserve pool.
    if (input.finding === 'upheld') await setApplication(tx, a, { status: 'struck', status_reason: `公示异议成立：${input.note}` }, null);
    await appendAudit(
      tx,
      auditOf(actor, 'workforce.recruit.objection.decide', 'recruit_objection', objectionId, plan.district_code, {
        finding: input.finding,
      }),
    );
  });
  return getApplication(ctx, actor, a.id);
}
