import { sql } from 'kysely';
import { hashPassword } from '../../core/passwords.ts';
import { TEST_PASSWORD } from '../../test/constants.ts';
import type { TestApp } from '../../test/harness.ts';
import { makeIdNumber } from '../registry/id-number.ts';
import { sealIdNumber } from '../registry/pii.ts';
import * as registry from '../registry/store.ts';

/**
 * Test residents: an account with the resident role at a place and, when `owns` is given, a
 * registry person linked to the account who owns those houses (through the registry store).
 */
let seq = 0;
export async function createResident(t: TestApp, username: string, displayName: string, scopeCode: string, owns: string[] = []) {
  const db = t.ctx.db;
  const place = await sql<{ path: string }>`
    select path::text as path from division where code = ${scopeCode}
    union all select path::text from grid where code = ${scopeCode}
    union all select path::text from building where code = ${scopeCode}
    union all select path::text from house where code = ${scopeCode}`.execute(db);
  const user = await db
    .insertInto('app_user')
    .values({ username, display_name: displayName, password_hash: await hashPassword(TEST_PASSWORD) })
    .returning('id')
    .executeTakeFirstOrThrow();
  await db
    .insertInto('role_binding')
    .values({
      user_id: user.id,
      role: 'resident',
      scope_type: 'territory',
      scope_code: scopeCode,
      scope_path: place.rows[0].path,
      org_path: null,
    })
    .execute();
  let personId: string | null = null;
  if (owns.length) {
    const district = owns[0].slice(0, 6);
    const house = await sql<{ path: string }>`select path::text as path from house where code = ${owns[0]}`.execute(db);
    const sealed = sealIdNumber(t.ctx.keyring, 'resident', makeIdNumber(district, '1970-01-01', 100 + seq++));
    personId = await registry.insertPerson(db, {
      districtCode: district,
      communityCode: owns[0].slice(0, 12),
      houseCode: owns[0],
      path: house.rows[0].path,
      name: displayName,
      namePinyin: '',
      nameInitials: '',
      idType: 'resident',
      idEnc: sealed.enc,
      idBidx: sealed.bidx,
      gender: null,
      birthDate: '1970-01-01',
      phoneEnc: null,
      phoneBidx: null,
      ethnicity: '',
      householdPlace: '',
      residency: 'registered',
      tags: [],
      note: '',
      userId: user.id,
    });
    for (const h of owns) await addOwner(t, personId, h);
  }
  return { userId: user.id, personId, client: await t.login(username) };
}

export async function addOwner(t: TestApp, personId: string, houseCode: string) {
  await registry.insertLink(t.ctx.db, {
    districtCode: houseCode.slice(0, 6),
    personId,
    houseCode,
    relation: 'owner',
    headRelation: '',
    resides: false,
    share: null,
    moveIn: '2015-01-01',
  });
}

/** The registry person behind a demo account. */
export async function personOf(t: TestApp, username: string) {
  const r = await t.ctx.db
    .selectFrom('person as p')
    .innerJoin('app_user as u', 'u.id', 'p.user_id')
    .select('p.id')
    .where('u.username', '=', username)
    .executeTakeFirstOrThrow();
  return r.id;
}
