import { sql, type Kysely } from 'kysely';
import type { Actor, AppContext } from '../../core/context.ts';
import { AppError } from '../../core/errors.ts';
import { appendAudit } from '../../core/audit.ts';
import type { DB } from '../../db/types.ts';
import type { CertificateKind } from '../../db/types-workforce.ts';
import { todayInShanghai } from '../registry/person-rules.ts';
import { auditOf, ensurePerson, insertWorkerTx } from './archive.ts';
import * as store from './store.ts';
import { getPlan, type PlanRow } from './recruitment-plan-access.ts';
import { applicationQuery, setApplication, type AppRow } from './recruitment-applications.ts';

/** Recruitment (W3): appointment (archive and post in the street's neediest community), closing a plan, filling from the reserve. */

type Community = NonNullable<Awaited<ReturnType<typeof store.findCommunity>>>;

/** Communities of a street ordered by need: most open posts, then fewest workers. */
async function communitiesByNeed(db: Kysely<DB>, streetCode: string) {
  const r = await sql<Community & { open: number; workers: number }>`
    select c.code, c.name, c.path::text as path, s.code as street_code, s.name as street_name,
      coalesce(wc.authorized_posts, 0) - (select count(*)::int from worker w where w.district_code = left(c.code, 6)
        and w.community_code = c.code and w.status = 'active') as open,
      (select count(*)::int from worker w where w.district_code = left(c.code, 6) and w.community_code = c.code and w.status = 'active') as workers
    from division c join division s on s.code = c.parent_code
    left join wf_community wc on wc.district_code = left(c.code, 6) and wc.community_code = c.code
    where c.parent_code = ${streetCode} and c.level = 'community'`.execute(db);
  return r.rows;
}

function neediest<T extends { open: number; workers: number; code: string }>(list: T[]): T {
  list.sort((x, y) => y.open - x.open || x.workers - y.workers || x.code.localeCompare(y.code));
  return list[0];
}

function personRefOf(ctx: AppContext, a: AppRow | (Omit<AppRow, 'post_name' | 'street_name' | 'post_path'> & { street_code: string })) {
  return {
    person: {
      name: a.name,
      idNumber: ctx.keyring.decrypt(a.id_enc),
      gender: a.gender,
      ...(a.phone_enc ? { phone: ctx.keyring.decrypt(a.phone_enc) } : {}),
    },
  };
}

async function appointTx(
  tx: Kysely<DB>,
  actor: Actor,
  a: AppRow,
  personId: string,
  community: Community,
  today: string,
  status: 'appointed' | 'reserve_used',
) {
  const workerId = await insertWorkerTx(
    tx,
    actor,
    personId,
    community,
    {
      communityCode: community.code,
      education: a.education,
      major: a.major,
      fullTime: a.full_time,
      political: a.political,
      workStart: today,
      partyAffairs: false,
      post: 'staff',
      title: '社区专职工作者',
    },
    a.id,
  );
  for (const c of a.certificates as { kind: CertificateKind; issuedOn: string }[])
    await tx
      .insertInto('worker_certificate')
      .values({ district_code: a.district_code, worker_id: workerId, kind: c.kind, name: c.kind, issued_on: c.issuedOn })
      .execute();
  await tx
    .updateTable('worker_certificate')
    .set({
      name: sql`case kind when 'assistant_social_worker' then '助理社会工作师职业资格证书' when 'social_worker' then '社会工作师职业资格证书'
        when 'senior_social_worker' then '高级社会工作师职业资格证书' when 'counsellor' then '心理咨询师证书' else '其他证书' end`,
    })
    .where('district_code', '=', a.district_code)
    .where('worker_id', '=', workerId)
    .execute();
  await setApplication(tx, a, { status, worker_id: workerId, status_reason: `聘用至${community.name}` }, null);
  return workerId;
}

/** Appointment: every candidate still on notice becomes a worker; the ranked remainder, the reserve pool. */
export async function closePlan(ctx: AppContext, actor: Actor, plan: PlanRow, today: string) {
  if (plan.stage !== 'notice' || !plan.notice_end) throw new AppError('STAGE_INVALID', { stage: plan.stage });
  if (today <= plan.notice_end) throw new AppError('NOTICE_NOT_OVER', { noticeStart: plan.notice_start, noticeEnd: plan.notice_end });
  const pending = await ctx.db
    .selectFrom('recruit_objection as o')
    .innerJoin('recruit_application as a', (j) => j.onRef('a.district_code', '=', 'o.district_code').onRef('a.id', '=', 'o.application_id'))
    .select('o.id')
    .where('a.district_code', '=', plan.district_code)
    .where('a.plan_id', '=', plan.id)
    .where('o.finding', 'is', null)
    .execute();
  if (pending.length) throw new AppError('OBJECTION_PENDING', { objections: pending.map((p) => p.id) });
  const apps = await applicationQuery(ctx.db, { all: true })
    .where('a.district_code', '=', plan.district_code)
    .where('a.plan_id', '=', plan.id)
    .orderBy('a.rank')
    .execute();
  const onNotice = apps.filter((a) => a.status === 'notice');
  // Register the people first (the registry commits on its own; found again by ID number on a retry).
  const persons = new Map<string, string>();
  for (const a of onNotice) {
    const home = neediest(await communitiesByNeed(ctx.db, a.street_code));
    persons.set(a.id, await ensurePerson(ctx, actor, plan.district_code, home.code, personRefOf(ctx, a)));
  }
  await ctx.db.transaction().execute(async (tx) => {
    const need = new Map<string, Awaited<ReturnType<typeof communitiesByNeed>>>();
    for (const a of onNotice) {
      if (!need.has(a.street_code)) need.set(a.street_code, await communitiesByNeed(tx, a.street_code));
      const target = neediest(need.get(a.street_code)!);
      await appointTx(tx, actor, a, persons.get(a.id)!, target, today, 'appointed');
      target.open--;
      target.workers++;
    }
    const byPost = new Map<string, AppRow[]>();
    for (const a of apps.filter((x) => x.status === 'ranked')) byPost.set(a.post_id, [...(byPost.get(a.post_id) ?? []), a]);
    for (const list of byPost.values())
      for (const [i, a] of list.entries()) await setApplication(tx, a, { status: 'reserve', reserve_rank: i + 1 }, null);
    await tx
      .updateTable('recruit_plan')
      .set({ stage: 'closed', updated_at: new Date(), version: plan.version + 1 })
      .where('district_code', '=', plan.district_code)
      .where('id', '=', plan.id)
      .execute();
    await appendAudit(
      tx,
      auditOf(actor, 'workforce.recruit.appoint', 'recruit_plan', plan.id, plan.district_code, { appointed: onNotice.length }),
    );
  });
  return getPlan(ctx, actor, plan.id);
}

/** Fills one vacancy of a community from its street's reserve pool of this year, best rank first. */
export async function appointFromReserve(ctx: AppContext, actor: Actor, community: Community) {
  const year = Number(todayInShanghai().slice(0, 4));
  const next = await applicationQuery(ctx.db, { all: true })
    .innerJoin('recruit_plan as pl', (j) => j.onRef('pl.district_code', '=', 'a.district_code').onRef('pl.id', '=', 'a.plan_id'))
    .where('a.district_code', '=', community.code.slice(0, 6))
    .where('rp.street_code', '=', community.street_code)
    .where('a.status', '=', 'reserve')
    .where('pl.year', '=', year)
    .orderBy('a.reserve_rank')
    .orderBy('pl.created_at')
    .limit(1)
    .executeTakeFirst();
  if (!next) throw new AppError('RESERVE_EMPTY', { streetCode: community.street_code, year });
  const personId = await ensurePerson(ctx, actor, community.code.slice(0, 6), community.code, personRefOf(ctx, next));
  const workerId = await ctx.db.transaction().execute(async (tx) => {
    const id = await appointTx(tx, actor, next, personId, community, todayInShanghai(), 'reserve_used');
    await appendAudit(
      tx,
      auditOf(actor, 'workforce.staffing.fill', 'worker', id, community.code, { applicationId: next.id, reserveRank: next.reserve_rank }),
    );
    return id;
  });
  return { workerId, applicationId: next.id, name: next.name, reserveRank: next.reserve_rank };
}
