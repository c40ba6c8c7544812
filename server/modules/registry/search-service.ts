import type { Actor, AppContext } from '../../core/context.ts';
import { AppError } from '../../core/errors.ts';
import type { PersonStatus, Residency } from '../../db/types.ts';
import { parseTerritoryCode } from '../territory/codes.ts';
import * as territoryStore from '../territory/store.ts';
import { namePinyin } from './names.ts';
import { birthBounds, todayInShanghai } from './person-rules.ts';
import { idBlindIndex, phoneBlindIndex } from './pii.ts';
import { personView } from './service.ts';
import * as store from './store.ts';
import { checkPhone, ID_TYPES } from './validators.ts';

/** Search for people (R3): what the box holds decides the index; results stay in the caller's scope. */

type Keyring = AppContext['keyring'];

export interface SearchInput {
  q?: string;
  address?: string;
  tags?: string[];
  residency?: Residency;
  gender?: 'M' | 'F';
  minAge?: number;
  maxAge?: number;
  territoryCode?: string;
  status?: PersonStatus;
  cursor?: string;
  limit?: number;
}

/** Reads what a search box holds: a document number, a phone, a place code, pinyin or a name. */
export function classifyQuery(keyring: Keyring, q: string): store.PersonSearch {
  const s = q.trim();
  if (!s) return {};
  const upper = s.toUpperCase();
  if (/^\d{17}[\dX]$/.test(upper)) return { idBidx: idBlindIndex(keyring, 'resident', upper) };
  const phone = checkPhone(s);
  if (phone.ok && /^[\d+\s-]+$/.test(s)) return { phoneBidx: phoneBlindIndex(keyring, phone.phone) };
  if (/^\d{12,24}$/.test(s)) return { houseCodePrefix: s };
  if (/^[A-Z]{1,2}\d{6,}[\dA-Z]*$/.test(upper)) {
    // Passport / permit numbers: any of the other document types.
    return { idBidxAny: ID_TYPES.filter((t) => t !== 'resident').map((t) => idBlindIndex(keyring, t, upper)) };
  }
  // Latin letters: pinyin initials first ("zsf", "oyzh"); the search falls back to full pinyin.
  if (/^[a-z]+$/i.test(s)) return { initialsPrefix: s.toLowerCase() };
  return { namePrefix: s, pinyinPrefix: namePinyin(s).full || undefined };
}

/** A cursor remembers the last row's sort key and id, and which reading of the query found it. */
function encodeCursor(c: store.Cursor, reading: string) {
  return Buffer.from(JSON.stringify([c.key, c.id, reading])).toString('base64url');
}
function decodeCursor(s: string): store.Cursor & { reading: string } {
  try {
    const [key, id, reading] = JSON.parse(Buffer.from(s, 'base64url').toString('utf8')) as [string, string, string];
    if (typeof key !== 'string' || typeof reading !== 'string' || !/^[0-9a-f-]{36}$/.test(id)) throw new Error('bad cursor');
    return { key, id, reading };
  } catch {
    throw new AppError('VALIDATION_FAILED', { problems: [{ field: 'cursor', reason: '分页游标无效' }] });
  }
}

export async function searchPersons(
  ctx: AppContext,
  actor: Actor,
  input: SearchInput,
  opts: { permission?: 'registry.read' | 'registry.reveal'; secrets?: boolean } = {},
) {
  const limit = input.limit ?? 20;
  const f: store.PersonSearch = { ...classifyQuery(ctx.keyring, input.q ?? '') };
  if (input.address) f.address = input.address.trim();
  if (input.tags?.length) f.tags = input.tags;
  if (input.residency) f.residency = input.residency;
  if (input.gender) f.gender = input.gender;
  if (input.status) f.status = input.status;
  Object.assign(f, birthBounds(todayInShanghai(), input.minAge, input.maxAge));
  if (input.territoryCode) {
    const parsed = parseTerritoryCode(input.territoryCode);
    if (!parsed) throw new AppError('INVALID_CODE', { territoryCode: input.territoryCode });
    const node = await territoryStore.findNode(ctx.db, parsed.code, parsed.level, null);
    if (!node) throw new AppError('TERRITORY_NOT_FOUND', { territoryCode: input.territoryCode });
    f.territoryPath = node.path;
  }
  const scope = actor.scope(opts.permission ?? 'registry.read');
  const cursor = input.cursor ? decodeCursor(input.cursor) : null;
  // The other reading of a query, when the first finds nobody: a name that does not start with
  // the text may contain it (“三丰” finds 张三丰); letters that are no initials may be pinyin.
  const fallback: store.PersonSearch | null =
    f.namePrefix && f.namePrefix.length >= 2
      ? { ...f, nameContains: f.namePrefix, namePrefix: undefined, pinyinPrefix: undefined }
      : f.initialsPrefix && f.initialsPrefix.length > 1
        ? { ...f, pinyinPrefix: f.initialsPrefix, initialsPrefix: undefined }
        : null;
  let reading = 'first';
  let rows: Awaited<ReturnType<typeof store.searchPersons>> = [];
  if (!cursor || cursor.reading === 'first') rows = await store.searchPersons(ctx.db, scope, f, cursor, limit + 1);
  if (fallback && ((!cursor && !rows.length) || cursor?.reading === 'fallback')) {
    reading = 'fallback';
    rows = await store.searchPersons(ctx.db, scope, fallback, cursor, limit + 1);
  }
  const more = rows.length > limit;
  const page = more ? rows.slice(0, limit) : rows;
  const today = todayInShanghai();
  const last = page[page.length - 1];
  return {
    items: page.map((r) => ({
      ...personView(ctx.keyring, r, today),
      // Only for an audited export in clear; never sent by the search route.
      ...(opts.secrets
        ? { secret: { idNumber: ctx.keyring.decrypt(r.id_enc), phone: r.phone_enc ? ctx.keyring.decrypt(r.phone_enc) : null } }
        : {}),
    })),
    nextCursor: more && last ? encodeCursor({ key: last.sort_key, id: last.id }, reading) : null,
  };
}
