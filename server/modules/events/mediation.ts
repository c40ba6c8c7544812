import crypto from 'node:crypto';
import { sql, type Expression, type SqlBool } from 'kysely';
import type { Actor, AppContext } from '../../core/context.ts';
import { AppError } from '../../core/errors.ts';
import { appendAudit } from '../../core/audit.ts';
import * as eventStore from './store.ts';
import { ROLES, pathInScope, type Scope } from '../../core/permissions.ts';
import { parseTerritoryCode } from '../territory/codes.ts';
import * as territoryStore from '../territory/store.ts';
import { maskPhone } from './views.ts';
import { agreementPdf } from './mediation-pdf.ts';

/**
 * Disputes (矛盾纠纷调解, E5, "矛盾一键化解"): a mediation case with its parties, the mediator
 * (a 和事佬 station, a community mediation room), sessions with notes, and the outcome; an agreed
 * case prints a mediation agreement. Kept to the territory: community and street staff mediate
 * the disputes of their place; departments do not.
 */

export interface Party {
  side: 'applicant' | 'respondent';
  name: string;
  phone?: string;
}

/** The places where the caller mediates: territory bindings of roles that handle events. */
function mediationScope(actor: Actor): Scope {
  if (actor.scope('event.handle').all) return { all: true };
  const territoryPaths = actor.bindings
    .filter((b) => b.scopeType === 'territory' && b.scopePath && ROLES[b.role]?.permissions.includes('event.handle'))
    .map((b) => b.scopePath!);
  return { all: false, territoryPaths, orgPaths: [] };
}

function inScope(scope: Scope): Expression<SqlBool> {
  if (scope.all) return sql<SqlBool>`true`;
  if (!scope.territoryPaths.length) return sql<SqlBool>`false`;
  return sql<SqlBool>`m.place_path <@ ${scope.territoryPaths}::text[]::ltree[]`;
}

function view(ctx: AppContext, r: Record<string, unknown>) {
  const parties = (r.parties as { side: string; name: string; phoneEnc?: string }[]).map((p) => ({
    side: p.side,
    name: p.name,
    phone: p.phoneEnc ? maskPhone(ctx.keyring.decrypt(p.phoneEnc)) : null,
  }));
  return {
    id: r.id as string,
    number: r.number as string,
    eventId: (r.event_id as string | null) ?? null,
    placeCode: r.place_code as string,
    placeName: (r.place_name as string | null) ?? '',
    title: r.title as string,
    kind: r.kind as string,
    parties,
    mediatorOrgId: (r.mediator_org_id as string | null) ?? null,
    mediatorOrgName: (r.mediator_org_name as string | null) ?? null,
    mediatorName: r.mediator_name as string,
    state: r.state as 'open' | 'agreed' | 'failed',
    outcome: r.outcome as string,
    agreement: r.agreement as string,
    closedAt: r.closed_at ? new Date(r.closed_at as Date).toISOString() : null,
    createdAt: new Date(r.created_at as Date).toISOString(),
    version: r.version as number,
  };
}

async function findCase(ctx: AppContext, scope: Scope, id: string) {
  const r = await sql<Record<string, unknown>>`
    select m.*, m.place_path::text as place_path, o.name as mediator_org_name,
      coalesce((select g.name from grid g where g.code = left(m.place_code, 15) and length(m.place_code) >= 15),
               (select d.name from division d where d.code = left(m.place_code, 12))) as place_name
    from mediation_case m left join org o on o.district_code = m.district_code and o.id = m.mediator_org_id
    where m.id = ${id}::uuid and ${inScope(scope)}`.execute(ctx.db);
  return r.rows[0];
}

/** The cases of the caller's places, newest first; `eventId` keeps those opened from that event. */
export async function listCases(ctx: AppContext, actor: Actor, filter: { eventId?: string } = {}) {
  const rows = await sql<Record<string, unknown>>`
    select m.*, o.name as mediator_org_name, null as place_name
    from mediation_case m left join org o on o.district_code = m.district_code and o.id = m.mediator_org_id
    where ${inScope(mediationScope(actor))} ${filter.eventId ? sql`and m.event_id = ${filter.eventId}` : sql``}
    order by m.created_at desc limit 200`.execute(ctx.db);
  return rows.rows.map((r) => view(ctx, r));
}

export async function getCase(ctx: AppContext, actor: Actor, id: string) {
  const r = await findCase(ctx, mediationScope(actor), id);
  if (!r) throw new AppError('NOT_FOUND', { id });
  const sessions = await ctx.db
    .selectFrom('mediation_session')
    .select(['id', 'at', 'mediator_name', 'notes'])
    .where('district_code', '=', r.district_code as string)
    .where('case_id', '=', id)
    .orderBy('id')
    .execute();
  return {
    ...view(ctx, r),
    sessions: sessions.map((s) => ({ id: Number(s.id), at: new Date(s.at).toISOString(), mediatorName: s.mediator_name, notes: s.notes })),
  };
}

export async function createCase(
  ctx: AppContext,
  actor: Actor,
  input: {
    placeCode: string;
    title: string;
    kind?: string;
    parties: Party[];
    mediatorName: string;
    mediatorOrgId?: string;
    eventId?: string;
  },
) {
  const parsed = parseTerritoryCode(input.placeCode);
  if (!parsed) throw new AppError('INVALID_CODE', { placeCode: input.placeCode });
  const node = await territoryStore.findNode(ctx.db, parsed.code, parsed.level, null);
  if (!node) throw new AppError('TERRITORY_NOT_FOUND', { placeCode: input.placeCode });
  if (!pathInScope(mediationScope(actor), node.path)) throw new AppError('OUT_OF_SCOPE', { placeCode: input.placeCode });
  if (!input.parties.some((p) => p.side === 'applicant') || !input.parties.some((p) => p.side === 'respondent'))
    throw new AppError('VALIDATION_FAILED', { reason: 'needs_an_applicant_and_a_respondent' });
  const district = parsed.code.slice(0, 6);
  if (input.mediatorOrgId) {
    const org = await ctx.db
      .selectFrom('org')
      .select('id')
      .where('district_code', '=', district)
      .where('id', '=', input.mediatorOrgId)
      .executeTakeFirst();
    if (!org) throw new AppError('VALIDATION_FAILED', { reason: 'mediator_org_not_in_this_district' });
  }
  // Opened from a dispute event (矛盾一键化解): the event must be one of the caller's places, and
  // its timeline records that it went to mediation.
  const ev = input.eventId
    ? await ctx.db
        .selectFrom('event')
        .select(['id', 'state', 'level', 'place_path'])
        .where('district_code', '=', district)
        .where('id', '=', input.eventId)
        .executeTakeFirst()
    : undefined;
  if (input.eventId && (!ev || !pathInScope(mediationScope(actor), ev.place_path)))
    throw new AppError('EVENT_NOT_FOUND', { id: input.eventId });
  const day = new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 10).replace(/-/g, '');
  const number = `TJ${day}${crypto.randomBytes(3).toString('hex').toUpperCase()}`;
  const id = await ctx.db.transaction().execute(async (tx) => {
    const r = await tx
      .insertInto('mediation_case')
      .values({
        district_code: district,
        number,
        event_id: input.eventId ?? null,
        place_code: node.code,
        place_path: node.path,
        title: input.title,
        kind: input.kind ?? 'neighbour',
        parties: JSON.stringify(
          input.parties.map((p) => ({ side: p.side, name: p.name, ...(p.phone ? { phoneEnc: ctx.keyring.encrypt(p.phone) } : {}) })),
        ),
        mediator_org_id: input.mediatorOrgId ?? null,
        mediator_name: input.mediatorName,
        created_by: actor.userId,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    await appendAudit(tx, {
      actorId: actor.userId,
      actorName: actor.username,
      action: 'mediation.create',
      targetType: 'mediation_case',
      targetId: r.id,
      placeCode: node.code,
      ip: actor.ip,
      details: { number, parties: input.parties.length, ...(ev ? { eventId: ev.id } : {}) },
    });
    if (ev)
      await eventStore.insertStep(tx, {
        districtCode: district,
        eventId: ev.id,
        actorId: actor.userId,
        actorName: actor.displayName,
        action: 'mediate',
        fromState: ev.state,
        toState: ev.state,
        level: ev.level,
        note: `${number} ${input.title}（${input.mediatorName}）`,
        details: { caseId: r.id, caseNumber: number },
      });
    return r.id;
  });
  return getCase(ctx, actor, id);
}

export async function addSession(ctx: AppContext, actor: Actor, id: string, input: { notes: string; mediatorName?: string }) {
  const c = await getCase(ctx, actor, id);
  if (c.state !== 'open') throw new AppError('CONFLICT', { reason: 'case_closed', state: c.state });
  await ctx.db.transaction().execute(async (tx) => {
    await tx
      .insertInto('mediation_session')
      .values({
        district_code: c.placeCode.slice(0, 6),
        case_id: id,
        at: new Date(),
        mediator_name: input.mediatorName ?? c.mediatorName,
        notes: input.notes,
        created_by: actor.userId,
      })
      .execute();
    await appendAudit(tx, {
      actorId: actor.userId,
      actorName: actor.username,
      action: 'mediation.session',
      targetType: 'mediation_case',
      targetId: id,
      placeCode: c.placeCode,
      ip: actor.ip,
    });
  });
  return getCase(ctx, actor, id);
}

export async function closeCase(
  ctx: AppContext,
  actor: Actor,
  id: string,
  input: { version: number; outcome: 'agreed' | 'failed'; summary: string; agreement?: string },
) {
  const c = await getCase(ctx, actor, id);
  if (c.state !== 'open') throw new AppError('CONFLICT', { reason: 'case_closed', state: c.state });
  if (input.outcome === 'agreed' && !input.agreement?.trim())
    throw new AppError('VALIDATION_FAILED', { reason: 'agreement_text_required' });
  await ctx.db.transaction().execute(async (tx) => {
    const r = await tx
      .updateTable('mediation_case')
      .set({
        state: input.outcome,
        outcome: input.summary,
        agreement: input.agreement ?? '',
        closed_at: new Date(),
        updated_at: new Date(),
        version: sql`version + 1`,
      })
      .where('district_code', '=', c.placeCode.slice(0, 6))
      .where('id', '=', id)
      .where('version', '=', input.version)
      .executeTakeFirst();
    if (Number(r.numUpdatedRows) !== 1) throw new AppError('VERSION_CONFLICT', { currentVersion: c.version });
    await appendAudit(tx, {
      actorId: actor.userId,
      actorName: actor.username,
      action: 'mediation.close',
      targetType: 'mediation_case',
      targetId: id,
      placeCode: c.placeCode,
      ip: actor.ip,
      details: { outcome: input.outcome },
    });
  });
  return getCase(ctx, actor, id);
}

export async function agreement(ctx: AppContext, actor: Actor, id: string): Promise<{ number: string; pdf: Buffer }> {
  const c = await getCase(ctx, actor, id);
  if (c.state !== 'agreed') throw new AppError('CONFLICT', { reason: 'no_agreement', state: c.state });
  const fmt = (iso: string) => new Date(new Date(iso).getTime() + 8 * 3600_000).toISOString().slice(0, 16).replace('T', ' ');
  const day = new Date(new Date(c.closedAt!).getTime() + 8 * 3600_000);
  const pdf = await agreementPdf({
    number: c.number,
    placeName: c.placeName,
    mediatorOrg: c.mediatorOrgName ?? '人民调解委员会',
    mediatorName: c.mediatorName,
    parties: c.parties,
    facts: `${c.title}。${c.outcome}`,
    agreement: c.agreement,
    sessions: c.sessions.map((s) => ({ at: fmt(s.at), notes: s.notes })),
    closedAt: `${day.getUTCFullYear()}年${day.getUTCMonth() + 1}月${day.getUTCDate()}日`,
  });
  return { number: c.number, pdf };
}
