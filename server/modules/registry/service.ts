import type { Kysely } from 'kysely';
import type { Actor, AppContext } from '../../core/context.ts';
import { AppError } from '../../core/errors.ts';
import { appendAudit } from '../../core/audit.ts';
import { pathInScope } from '../../core/permissions.ts';
import type { DB, HouseRelation, PersonStatus, Residency } from '../../db/types.ts';
import { parseTerritoryCode } from '../territory/codes.ts';
import * as territoryStore from '../territory/store.ts';
import { ageOn, maskIdNumber } from './id-number.ts';
import { namePinyin } from './names.ts';
import { ageTags, checkPerson, parseTags, todayInShanghai, type PersonRaw } from './person-rules.ts';
import { sealIdNumber, sealPhone } from './pii.ts';
import { checkPhone, maskPhone } from './validators.ts';
import * as store from './store.ts';

/**
 * Persons (实有人口) and their links to houses (人房关系). Records outside the caller's scope
 * answer 404, as user accounts do (DECISIONS D7): whether a person is registered somewhere is
 * itself personal data.
 */

type Keyring = AppContext['keyring'];

export function personView(keyring: Keyring, r: store.PersonRow, today = todayInShanghai()) {
  return {
    id: r.id,
    districtCode: r.district_code,
    communityCode: r.community_code,
    houseCode: r.house_code,
    address: r.address,
    name: r.name,
    gender: r.gender,
    // Age, not the birth date: with the masked number's region and last four, the birth date
    // would complete the ID number on screen.
    age: r.birth_date ? ageOn(r.birth_date, today) : null,
    ageTags: ageTags(r.birth_date, today),
    idType: r.id_type,
    idMasked: maskIdNumber(keyring.decrypt(r.id_enc)),
    phoneMasked: r.phone_enc ? maskPhone(keyring.decrypt(r.phone_enc)) : null,
    ethnicity: r.ethnicity,
    householdPlace: r.household_place,
    residency: r.residency,
    tags: r.tags,
    status: r.status,
    version: r.version,
    updatedAt: r.updated_at.toISOString(),
  };
}
export type PersonView = ReturnType<typeof personView>;

/** The fields kept in the change history: personal data only masked. */
function historyFields(keyring: Keyring, r: store.PersonRow) {
  return {
    name: r.name,
    houseCode: r.house_code,
    communityCode: r.community_code,
    phone: r.phone_enc ? maskPhone(keyring.decrypt(r.phone_enc)) : null,
    ethnicity: r.ethnicity,
    householdPlace: r.household_place,
    residency: r.residency,
    tags: r.tags,
    status: r.status,
    note: r.note,
  };
}

export interface Place {
  code: string;
  level: 'community' | 'house';
  path: string;
  districtCode: string;
  communityCode: string;
}

/** A house (24 digits) or a community (12 digits) where a person lives. */
export async function resolvePlace(db: Kysely<DB>, code: string): Promise<Place> {
  const parsed = parseTerritoryCode(code);
  if (!parsed || (parsed.level !== 'house' && parsed.level !== 'community')) {
    throw new AppError('INVALID_CODE', { code, expected: 'house (24 digits) or community (12 digits)' });
  }
  const node = await territoryStore.findNode(db, parsed.code, parsed.level, null);
  if (!node) throw new AppError('TERRITORY_NOT_FOUND', { code });
  return {
    code: node.code,
    level: parsed.level,
    path: node.path,
    districtCode: node.code.slice(0, 6),
    communityCode: node.code.slice(0, 12),
  };
}

function audit(actor: Actor, action: string, targetId: string, placeCode: string, details: Record<string, unknown> = {}) {
  return {
    actorId: actor.userId,
    actorName: actor.username,
    action,
    targetType: 'person',
    targetId,
    placeCode,
    ip: actor.ip,
    details,
  };
}

async function loadPerson(ctx: AppContext, actor: Actor, id: string) {
  const row = await store.findPerson(ctx.db, actor.scope('registry.read'), id);
  if (!row) throw new AppError('NOT_FOUND', { id });
  return row;
}

export async function getPerson(ctx: AppContext, actor: Actor, id: string) {
  const r = await loadPerson(ctx, actor, id);
  const today = todayInShanghai();
  const [tagRows, links] = await Promise.all([
    store.tagsOf(ctx.db, r.district_code, r.id),
    store.linksOfPerson(ctx.db, r.district_code, r.id),
  ]);
  return {
    ...personView(ctx.keyring, r, today),
    note: r.note,
    tagDetails: tagRows.map((t) => ({ tag: t.tag, level: t.level, setBy: t.set_by, setAt: t.set_at.toISOString() })),
    houses: links.map((l) => linkView(l)),
  };
}

export function linkView(l: store.LinkRow) {
  return {
    id: l.id,
    personId: l.person_id,
    houseCode: l.house_code,
    address: l.address,
    relation: l.relation,
    headRelation: l.head_relation,
    resides: l.resides,
    share: l.share === null ? null : Number(l.share),
    moveIn: l.move_in,
    moveOut: l.move_out,
    version: l.version,
  };
}

export interface PersonInput extends PersonRaw {
  /** House (24 digits) or community (12 digits) where the person lives. */
  placeCode: string;
  relation?: HouseRelation;
  headRelation?: string;
  moveIn?: string;
  note?: string;
}

export async function createPerson(ctx: AppContext, actor: Actor, input: PersonInput) {
  const today = todayInShanghai();
  const checked = checkPerson(input, today);
  if (!checked.ok) throw new AppError('VALIDATION_FAILED', { problems: checked.problems });
  const v = checked.value;
  const place = await resolvePlace(ctx.db, input.placeCode);
  if (!pathInScope(actor.scope('registry.write'), place.path)) throw new AppError('OUT_OF_SCOPE', { placeCode: input.placeCode });
  const id = sealIdNumber(ctx.keyring, v.idType, v.idNumber);
  const existing = await store.personIdByBidx(ctx.db, place.districtCode, id.bidx);
  if (existing) {
    const visible = await store.findPerson(ctx.db, actor.scope('registry.read'), existing.id);
    throw new AppError('PERSON_EXISTS', visible ? { id: existing.id } : {});
  }
  const phone = v.phone ? sealPhone(ctx.keyring, v.phone) : null;
  const py = namePinyin(v.name);
  const newId = await ctx.db.transaction().execute(async (tx) => {
    const personId = await store.insertPerson(tx, {
      districtCode: place.districtCode,
      communityCode: place.communityCode,
      houseCode: place.level === 'house' ? place.code : null,
      path: place.path,
      name: v.name,
      namePinyin: py.full,
      nameInitials: py.initials,
      idType: v.idType,
      idEnc: id.enc,
      idBidx: id.bidx,
      gender: v.gender,
      birthDate: v.birthDate,
      phoneEnc: phone?.enc ?? null,
      phoneBidx: phone?.bidx ?? null,
      ethnicity: v.ethnicity,
      householdPlace: v.householdPlace,
      residency: v.residency,
      tags: v.tags.map((t) => t.tag),
      note: input.note ?? '',
    });
    await store.replaceTags(tx, place.districtCode, personId, v.tags, actor.username);
    if (place.level === 'house') {
      await store.insertLink(tx, {
        districtCode: place.districtCode,
        personId,
        houseCode: place.code,
        relation: input.relation ?? 'family',
        headRelation: input.headRelation ?? '',
        resides: true,
        share: null,
        moveIn: input.moveIn ?? today,
      });
    }
    const after = await store.findPerson(tx, { all: true }, personId);
    await store.insertHistory(tx, {
      districtCode: place.districtCode,
      recordType: 'person',
      recordId: personId,
      action: 'create',
      actorId: actor.userId,
      actorName: actor.username,
      before: null,
      after: { ...historyFields(ctx.keyring, after!), idNumber: maskIdNumber(v.idNumber) },
    });
    await appendAudit(tx, audit(actor, 'registry.person.create', personId, place.code));
    return personId;
  });
  return getPerson(ctx, actor, newId);
}

export interface PersonPatchInput {
  version: number;
  name?: string;
  phone?: string | null;
  ethnicity?: string;
  householdPlace?: string;
  residency?: Residency;
  tags?: string[];
  status?: PersonStatus;
  note?: string;
}

export async function updatePerson(ctx: AppContext, actor: Actor, id: string, input: PersonPatchInput) {
  const before = await loadPerson(ctx, actor, id);
  if (!pathInScope(actor.scope('registry.write'), before.path)) throw new AppError('FORBIDDEN', { permission: 'registry.write' });
  const patch: store.PersonPatch = {};
  const problems: { field: string; reason: string }[] = [];
  if (input.name !== undefined) {
    const name = input.name.trim();
    if (!name || name.length > 40) problems.push({ field: 'name', reason: '姓名不能为空且不超过40字' });
    const py = namePinyin(name);
    Object.assign(patch, { name, name_pinyin: py.full, name_initials: py.initials });
  }
  if (input.phone !== undefined) {
    if (input.phone === null || input.phone.trim() === '') Object.assign(patch, { phone_enc: null, phone_bidx: null });
    else {
      const p = checkPhone(input.phone);
      if (!p.ok) problems.push({ field: 'phone', reason: '联系电话格式不正确（手机号11位，固话需带区号）' });
      else {
        const sealed = sealPhone(ctx.keyring, p.phone);
        Object.assign(patch, { phone_enc: sealed.enc, phone_bidx: sealed.bidx });
      }
    }
  }
  let tags: ReturnType<typeof parseTags>['tags'] | undefined;
  if (input.tags !== undefined) {
    const parsed = parseTags(input.tags);
    if (parsed.unknown.length) problems.push({ field: 'tags', reason: `无法识别的标签：${parsed.unknown.join('、')}` });
    tags = parsed.tags;
    patch.tags = tags.map((t) => t.tag);
  }
  if (problems.length) throw new AppError('VALIDATION_FAILED', { problems });
  if (input.ethnicity !== undefined) patch.ethnicity = input.ethnicity.trim();
  if (input.householdPlace !== undefined) patch.household_place = input.householdPlace.trim();
  if (input.residency !== undefined) patch.residency = input.residency;
  if (input.status !== undefined) patch.status = input.status;
  if (input.note !== undefined) patch.note = input.note;
  await ctx.db.transaction().execute(async (tx) => {
    const changed = await store.updatePerson(tx, before.district_code, id, input.version, patch);
    if (!changed) throw new AppError('VERSION_CONFLICT', { currentVersion: before.version });
    if (tags) await store.replaceTags(tx, before.district_code, id, tags, actor.username);
    const after = await store.findPerson(tx, { all: true }, id);
    await store.insertHistory(tx, {
      districtCode: before.district_code,
      recordType: 'person',
      recordId: id,
      action: 'update',
      actorId: actor.userId,
      actorName: actor.username,
      before: historyFields(ctx.keyring, before),
      after: historyFields(ctx.keyring, after!),
    });
    await appendAudit(
      tx,
      audit(actor, 'registry.person.update', id, before.house_code ?? before.community_code, { fields: Object.keys(input) }),
    );
  });
  return getPerson(ctx, actor, id);
}

/**
 * Shows an ID number and phone in clear (R4). Needs `registry.reveal` over the person's place
 * and a reason; the reveal is written to the audit log whatever it shows.
 */
export async function revealPerson(ctx: AppContext, actor: Actor, id: string, reason: string) {
  const r = await loadPerson(ctx, actor, id);
  if (!pathInScope(actor.scope('registry.reveal'), r.path)) throw new AppError('FORBIDDEN', { permission: 'registry.reveal' });
  const why = reason.trim();
  if (why.length < 2) throw new AppError('VALIDATION_FAILED', { problems: [{ field: 'reason', reason: '请填写查看原因' }] });
  await appendAudit(
    ctx.db,
    audit(actor, 'registry.person.reveal', id, r.house_code ?? r.community_code, { reason: why, fields: ['idNumber', 'phone'] }),
  );
  return {
    idNumber: ctx.keyring.decrypt(r.id_enc),
    phone: r.phone_enc ? ctx.keyring.decrypt(r.phone_enc) : null,
    birthDate: r.birth_date,
  };
}

export async function personHistory(ctx: AppContext, actor: Actor, id: string) {
  const r = await loadPerson(ctx, actor, id);
  return historyView(await store.historyOf(ctx.db, r.district_code, id));
}

export function historyView(rows: Awaited<ReturnType<typeof store.historyOf>>) {
  return rows.map((h) => ({
    id: String(h.id),
    action: h.action,
    actorName: h.actor_name,
    at: h.at.toISOString(),
    before: (h.before ?? null) as Record<string, unknown> | null,
    after: (h.after ?? null) as Record<string, unknown> | null,
  }));
}

// Search lives in search-service.ts; re-exported so callers keep one entry point.
export { classifyQuery, searchPersons, type SearchInput } from './search-service.ts';

// ---------------------------------------------------------------- links and households

async function refreshResidence(tx: Kysely<DB>, districtCode: string, personId: string, communityCode: string) {
  const res = await store.currentResidence(tx, districtCode, personId);
  if (res) {
    await store.updatePerson(tx, districtCode, personId, null, {
      house_code: res.house_code,
      path: res.path,
      community_code: res.house_code.slice(0, 12),
    });
    return;
  }
  // No current home: the person stays registered with their community.
  const community = await territoryStore.findNode(tx, communityCode, 'community', null);
  if (community) await store.updatePerson(tx, districtCode, personId, null, { house_code: null, path: community.path });
}

export interface LinkInput {
  houseCode: string;
  relation: HouseRelation;
  headRelation?: string;
  resides?: boolean;
  share?: number | null;
  moveIn?: string;
}

export async function addLink(ctx: AppContext, actor: Actor, personId: string, input: LinkInput) {
  const person = await loadPerson(ctx, actor, personId);
  const place = await resolvePlace(ctx.db, input.houseCode);
  if (place.level !== 'house') throw new AppError('INVALID_CODE', { houseCode: input.houseCode, expected: 'house (24 digits)' });
  const write = actor.scope('registry.write');
  if (!pathInScope(write, place.path) || !pathInScope(write, person.path))
    throw new AppError('OUT_OF_SCOPE', { houseCode: input.houseCode });
  if (place.districtCode !== person.district_code) throw new AppError('VALIDATION_FAILED', { reason: 'house_in_other_district' });
  const id = await ctx.db.transaction().execute(async (tx) => {
    const linkId = await store.insertLink(tx, {
      districtCode: place.districtCode,
      personId,
      houseCode: place.code,
      relation: input.relation,
      headRelation: input.headRelation ?? '',
      resides: input.resides ?? input.relation !== 'owner',
      share: input.share ?? null,
      moveIn: input.moveIn ?? todayInShanghai(),
    });
    await refreshResidence(tx, person.district_code, personId, person.community_code);
    await store.insertHistory(tx, {
      districtCode: place.districtCode,
      recordType: 'person_house',
      recordId: personId,
      action: 'link',
      actorId: actor.userId,
      actorName: actor.username,
      before: null,
      after: { ...input, houseCode: place.code },
    });
    await appendAudit(tx, {
      ...audit(actor, 'registry.link.create', linkId, place.code),
      targetType: 'person_house',
      details: { personId },
    });
    return linkId;
  });
  const link = await store.findLink(ctx.db, place.districtCode, id);
  return linkView(link!);
}

export interface LinkPatch {
  version: number;
  relation?: HouseRelation;
  headRelation?: string;
  resides?: boolean;
  share?: number | null;
  moveOut?: string | null;
}

export async function updateLink(ctx: AppContext, actor: Actor, personId: string, linkId: string, input: LinkPatch) {
  const person = await loadPerson(ctx, actor, personId);
  const before = await store.findLink(ctx.db, person.district_code, linkId);
  if (!before || before.person_id !== personId) throw new AppError('NOT_FOUND', { id: linkId });
  if (!pathInScope(actor.scope('registry.write'), before.house_path)) throw new AppError('FORBIDDEN', { permission: 'registry.write' });
  if (input.moveOut && before.move_in && input.moveOut < before.move_in) {
    throw new AppError('VALIDATION_FAILED', { problems: [{ field: 'moveOut', reason: '迁出日期不能早于迁入日期' }] });
  }
  await ctx.db.transaction().execute(async (tx) => {
    const changed = await store.updateLink(tx, person.district_code, linkId, input.version, {
      ...(input.relation !== undefined ? { relation: input.relation } : {}),
      ...(input.headRelation !== undefined ? { head_relation: input.headRelation } : {}),
      ...(input.resides !== undefined ? { resides: input.resides } : {}),
      ...(input.share !== undefined ? { share: input.share } : {}),
      ...(input.moveOut !== undefined ? { move_out: input.moveOut } : {}),
    });
    if (!changed) throw new AppError('VERSION_CONFLICT', { currentVersion: before.version });
    await refreshResidence(tx, person.district_code, personId, person.community_code);
    await store.insertHistory(tx, {
      districtCode: person.district_code,
      recordType: 'person_house',
      recordId: personId,
      action: input.moveOut ? 'move_out' : 'link_update',
      actorId: actor.userId,
      actorName: actor.username,
      before: linkView(before),
      after: input,
    });
    await appendAudit(tx, {
      ...audit(actor, 'registry.link.update', linkId, before.house_code),
      targetType: 'person_house',
      details: { personId },
    });
  });
  return linkView((await store.findLink(ctx.db, person.district_code, linkId))!);
}

/**
 * Current owners of every house under a territory path, with each house's exclusive area
 * (专有部分面积) — the input of owners' votes (Civil Code Art. 278). `actor` may be a
 * systemActor(); a path outside the actor's registry scope is refused.
 */
export async function ownersOf(db: Kysely<DB>, actor: Actor, scopePath: string) {
  const scope = actor.scope('registry.read');
  if (!pathInScope(scope, scopePath)) throw new AppError('OUT_OF_SCOPE', { scopePath });
  return store.ownersOfHouses(db, scope, scopePath);
}
