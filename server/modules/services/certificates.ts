import { sql, type Kysely, type Transaction } from 'kysely';
import type { Actor, AppContext } from '../../core/context.ts';
import { AppError } from '../../core/errors.ts';
import { appendAudit } from '../../core/audit.ts';
import { pathInScope } from '../../core/permissions.ts';
import type { DB } from '../../db/types.ts';
import * as registryStore from '../registry/store.ts';
import { actorPerson, auditEntry, findCommunity, nextCounter } from './common.ts';
import {
  certificateAllowed,
  certificateNumber,
  certificateType,
  CERTIFICATE_TYPES,
  fillTemplate,
  newVerifyCode,
} from './certificate-rules.ts';
import { renderCertificatePdf } from './certificate-pdf.ts';

/** Certificate lists per community and issued certificates (V4): numbered PDFs with a public verification code. */

export function listTypes() {
  return CERTIFICATE_TYPES.map((t) => ({
    key: t.key,
    name: t.name,
    communityMayIssue: t.communityMayIssue,
    legalBasis: t.legalBasis ?? null,
    verifiedBy: t.verifiedBy ?? null,
    reason: t.reason ?? null,
  }));
}

async function listEntries(db: Kysely<DB>, communityCode: string) {
  return db
    .selectFrom('certificate_list_entry')
    .select(['id', 'community_code', 'type_key', 'name', 'legal_basis', 'validity_days', 'version'])
    .where('district_code', '=', communityCode.slice(0, 6))
    .where('community_code', '=', communityCode)
    .orderBy('name')
    .execute();
}

/** The community's certificate list (证明事项清单) — public information for anyone who may read the catalogue. */
export async function getList(ctx: AppContext, actor: Actor, communityCode: string) {
  const community = await findCommunity(ctx.db, communityCode);
  const own = await actorPerson(ctx.db, actor);
  const readable = ['service.read', 'service.configure', 'certificate.issue'] as const;
  if (!readable.some((p) => pathInScope(actor.scope(p), community.path)) && own?.community_code !== communityCode) {
    throw new AppError('OUT_OF_SCOPE');
  }
  const rows = await listEntries(ctx.db, communityCode);
  return {
    community: { code: community.code, name: community.name },
    entries: rows.map((r) => ({
      id: r.id,
      typeKey: r.type_key,
      name: r.name,
      legalBasis: r.legal_basis,
      validityDays: r.validity_days,
      version: r.version,
    })),
  };
}

export async function addListEntry(
  ctx: AppContext,
  actor: Actor,
  input: { communityCode: string; typeKey: string; legalBasis?: string; validityDays?: number },
) {
  const community = await findCommunity(ctx.db, input.communityCode);
  if (!pathInScope(actor.scope('service.configure'), community.path)) throw new AppError('OUT_OF_SCOPE');
  const t = certificateType(input.typeKey);
  if (!t) throw new AppError('VALIDATION_FAILED', { problems: [{ field: 'typeKey', reason: '未知的证明类型' }] });
  if (!t.communityMayIssue) {
    throw new AppError('VALIDATION_FAILED', {
      problems: [{ field: 'typeKey', reason: `${t.name}应由${t.verifiedBy}核实，不能列入社区证明事项清单` }],
    });
  }
  const legalBasis = (input.legalBasis ?? t.legalBasis ?? '').trim();
  if (legalBasis.length < 4) throw new AppError('VALIDATION_FAILED', { problems: [{ field: 'legalBasis', reason: '请填写设定依据' }] });
  await ctx.db.transaction().execute(async (tx) => {
    const r = await tx
      .insertInto('certificate_list_entry')
      .values({
        district_code: community.districtCode,
        community_code: community.code,
        type_key: t.key,
        name: t.name,
        legal_basis: legalBasis,
        validity_days: input.validityDays ?? 90,
      })
      .onConflict((oc) => oc.doNothing())
      .returning('id')
      .executeTakeFirst();
    if (!r) throw new AppError('CONFLICT', { typeKey: t.key });
    await appendAudit(tx, auditEntry(actor, 'certificate.list.add', 'certificate_list_entry', r.id, community.code, { typeKey: t.key }));
  });
  return getList(ctx, actor, community.code);
}

export async function removeListEntry(ctx: AppContext, actor: Actor, communityCode: string, entryId: string) {
  const community = await findCommunity(ctx.db, communityCode);
  if (!pathInScope(actor.scope('service.configure'), community.path)) throw new AppError('OUT_OF_SCOPE');
  await ctx.db.transaction().execute(async (tx) => {
    const r = await tx
      .deleteFrom('certificate_list_entry')
      .where('district_code', '=', community.districtCode)
      .where('community_code', '=', community.code)
      .where('id', '=', entryId)
      .returning('type_key')
      .executeTakeFirst();
    if (!r) throw new AppError('NOT_FOUND', { id: entryId });
    await appendAudit(
      tx,
      auditEntry(actor, 'certificate.list.remove', 'certificate_list_entry', entryId, community.code, { typeKey: r.type_key }),
    );
  });
  return getList(ctx, actor, community.code);
}

export interface IssueInput {
  communityCode: string;
  personId: string;
  typeKey: string;
  purpose: string;
  applicationId?: string;
}

/** Issues inside the caller's transaction (also used when an application that ends with a certificate completes). */
export async function issueInTx(tx: Transaction<DB>, ctx: AppContext, actor: Actor, input: IssueInput, now = new Date()) {
  const community = await findCommunity(tx, input.communityCode);
  if (!actor.can('certificate.issue') || !pathInScope(actor.scope('certificate.issue'), community.path)) {
    throw new AppError('FORBIDDEN', { permission: 'certificate.issue' });
  }
  const person = await registryStore.findPerson(tx, { all: true }, input.personId);
  if (
    !person ||
    person.district_code !== community.districtCode ||
    !pathInScope({ all: false, territoryPaths: [community.path], orgPaths: [] }, person.path)
  ) {
    throw new AppError('NOT_FOUND', { personId: input.personId });
  }
  const list = await listEntries(tx, community.code);
  const allowed = certificateAllowed(list, input.typeKey);
  if (!allowed.ok) {
    throw new AppError(
      'CERTIFICATE_NOT_LISTED',
      { typeKey: input.typeKey, reason: allowed.reason, verifiedBy: allowed.verifiedBy },
      allowed.reason,
    );
  }
  const entry = list.find((e) => e.type_key === input.typeKey)!;
  const t = certificateType(input.typeKey)!;
  const year = Number(new Date(now.getTime() + 8 * 3600_000).toISOString().slice(0, 4));
  const seq = await nextCounter(tx, community.districtCode, 'certificate', `${community.code}:${year}`);
  const number = certificateNumber(community.name, year, seq);
  // The ID number stays a placeholder: it is filled from the encrypted registry when the PDF is printed.
  const body = fillTemplate(t.template ?? '兹证明{name}（公民身份号码：{idNumber}）情况属实。', {
    name: person.name,
    address: person.address ?? `${community.name}辖区`,
    community: community.name,
    purpose: input.purpose,
  });
  const validUntil = new Date(now.getTime() + 8 * 3600_000 + entry.validity_days * 86_400_000).toISOString().slice(0, 10);
  const row = await tx
    .insertInto('certificate')
    .values({
      district_code: community.districtCode,
      number,
      verify_code: newVerifyCode(),
      community_code: community.code,
      path: person.path,
      person_id: person.id,
      type_key: t.key,
      type_name: entry.name,
      legal_basis: entry.legal_basis,
      purpose: input.purpose,
      body,
      valid_until: validUntil,
      application_id: input.applicationId ?? null,
      issued_by: actor.userId,
      issued_by_name: actor.displayName,
      issued_at: now,
    })
    .returning(['id', 'number'])
    .executeTakeFirstOrThrow();
  await appendAudit(tx, auditEntry(actor, 'certificate.issue', 'certificate', row.id, community.code, { number, typeKey: t.key }));
  return row;
}

export async function issue(ctx: AppContext, actor: Actor, input: IssueInput) {
  const community = await findCommunity(ctx.db, input.communityCode);
  const list = await listEntries(ctx.db, community.code);
  const allowed = certificateAllowed(list, input.typeKey);
  if (!allowed.ok) {
    // The refusal is recorded: a department asking communities for unlisted certificates shows in the audit.
    await appendAudit(
      ctx.db,
      auditEntry(actor, 'certificate.issue', 'certificate', input.personId, community.code, {
        typeKey: input.typeKey,
        refused: allowed.reason,
      }),
    );
    throw new AppError(
      'CERTIFICATE_NOT_LISTED',
      { typeKey: input.typeKey, reason: allowed.reason, verifiedBy: allowed.verifiedBy },
      allowed.reason,
    );
  }
  const row = await ctx.db.transaction().execute((tx) => issueInTx(tx, ctx, actor, input));
  return getCertificate(ctx, actor, row.id);
}

function certSelect(db: Kysely<DB>) {
  return db
    .selectFrom('certificate as c')
    .innerJoin('person as p', (j) => j.onRef('p.district_code', '=', 'c.district_code').onRef('p.id', '=', 'c.person_id'))
    .innerJoin('division as d', 'd.code', 'c.community_code')
    .select([
      'c.district_code',
      'c.id',
      'c.number',
      'c.verify_code',
      'c.community_code',
      'd.name as community_name',
      sql<string>`c.path::text`.as('path'),
      'c.person_id',
      'p.name as person_name',
      'p.user_id as person_user_id',
      'p.id_enc',
      'c.type_key',
      'c.type_name',
      'c.legal_basis',
      'c.purpose',
      'c.body',
      sql<string>`to_char(c.valid_until, 'YYYY-MM-DD')`.as('valid_until'),
      'c.application_id',
      'c.issued_by_name',
      'c.issued_at',
      'c.revoked_at',
      'c.revoke_reason',
      'c.version',
    ]);
}
type CertRow = NonNullable<Awaited<ReturnType<ReturnType<typeof certSelect>['executeTakeFirst']>>>;

function canSee(actor: Actor, r: CertRow) {
  return (
    pathInScope(actor.scope('certificate.issue'), r.path) ||
    pathInScope(actor.scope('service.handle'), r.path) ||
    r.person_user_id === actor.userId
  );
}

function certView(r: CertRow) {
  return {
    id: r.id,
    number: r.number,
    verifyCode: r.verify_code,
    communityCode: r.community_code,
    communityName: r.community_name,
    personId: r.person_id,
    personName: r.person_name,
    typeKey: r.type_key,
    typeName: r.type_name,
    legalBasis: r.legal_basis,
    purpose: r.purpose,
    validUntil: r.valid_until,
    applicationId: r.application_id,
    issuedByName: r.issued_by_name,
    issuedAt: r.issued_at.toISOString(),
    revokedAt: r.revoked_at?.toISOString() ?? null,
    version: r.version,
  };
}

async function loadCert(ctx: AppContext, actor: Actor, id: string) {
  const r = await certSelect(ctx.db).where('c.id', '=', id).executeTakeFirst();
  if (!r || !canSee(actor, r)) throw new AppError('NOT_FOUND', { id });
  return r;
}

export async function getCertificate(ctx: AppContext, actor: Actor, id: string) {
  return certView(await loadCert(ctx, actor, id));
}

export async function listCertificates(ctx: AppContext, actor: Actor, communityCode?: string, limit = 100) {
  let q = certSelect(ctx.db);
  if (actor.can('certificate.issue') || actor.can('service.handle')) {
    const scopes = [actor.scope('certificate.issue'), actor.scope('service.handle')];
    const paths = scopes.some((s) => s.all) ? null : scopes.flatMap((s) => (s.all ? [] : s.territoryPaths));
    if (paths) q = q.where(sql<boolean>`c.path <@ ${sql.val(paths)}::text[]::ltree[]`);
  } else {
    const own = await actorPerson(ctx.db, actor);
    if (!own) return [];
    q = q.where('c.person_id', '=', own.id);
  }
  if (communityCode) q = q.where('c.community_code', '=', communityCode);
  return (await q.orderBy('c.issued_at', 'desc').limit(limit).execute()).map(certView);
}

export async function certificatePdf(ctx: AppContext, actor: Actor, id: string, origin: string) {
  const r = await loadCert(ctx, actor, id);
  const idNumber = ctx.keyring.decrypt(r.id_enc);
  const pdf = await renderCertificatePdf({
    number: r.number,
    title: r.type_name,
    body: fillTemplate(r.body, { idNumber }),
    communityName: r.community_name,
    issuedAt: r.issued_at,
    validUntil: r.valid_until,
    legalBasis: r.legal_basis,
    verifyCode: r.verify_code,
    verifyUrl: `${origin}/verify/${r.verify_code}`,
  });
  await appendAudit(ctx.db, auditEntry(actor, 'certificate.print', 'certificate', r.id, r.community_code, { number: r.number }));
  return { pdf, number: r.number };
}

export async function revoke(ctx: AppContext, actor: Actor, id: string, reason: string, version: number) {
  const r = await loadCert(ctx, actor, id);
  if (!pathInScope(actor.scope('certificate.issue'), r.path)) throw new AppError('FORBIDDEN', { permission: 'certificate.issue' });
  if (r.revoked_at) throw new AppError('CONFLICT', { reason: 'already_revoked' });
  await ctx.db.transaction().execute(async (tx) => {
    const ok = await tx
      .updateTable('certificate')
      .set({ revoked_at: new Date(), revoke_reason: reason, updated_at: new Date(), version: sql`version + 1` })
      .where('district_code', '=', r.district_code)
      .where('id', '=', id)
      .where('version', '=', version)
      .returning('id')
      .executeTakeFirst();
    if (!ok) throw new AppError('VERSION_CONFLICT', { currentVersion: r.version });
    await appendAudit(tx, auditEntry(actor, 'certificate.revoke', 'certificate', id, r.community_code, { reason }));
  });
  return getCertificate(ctx, actor, id);
}

/** Public verification: authenticity and status only, never the holder's name or ID. */
export async function verify(ctx: AppContext, code: string, today = new Date()) {
  const r = await ctx.db
    .selectFrom('certificate as c')
    .innerJoin('division as d', 'd.code', 'c.community_code')
    .select([
      'c.number',
      'c.type_name',
      'd.name as community_name',
      'c.issued_at',
      sql<string>`to_char(c.valid_until, 'YYYY-MM-DD')`.as('valid_until'),
      'c.revoked_at',
    ])
    .where('c.verify_code', '=', code.trim().toUpperCase())
    .executeTakeFirst();
  if (!r) throw new AppError('NOT_FOUND', { code });
  const todayLocal = new Date(today.getTime() + 8 * 3600_000).toISOString().slice(0, 10);
  const status: 'valid' | 'revoked' | 'expired' = r.revoked_at ? 'revoked' : r.valid_until < todayLocal ? 'expired' : 'valid';
  return {
    valid: status === 'valid',
    status,
    number: r.number,
    typeName: r.type_name,
    communityName: r.community_name,
    issuedAt: r.issued_at.toISOString(),
    validUntil: r.valid_until,
  };
}
