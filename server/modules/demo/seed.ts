import { sql } from 'kysely';
import type { AppContext } from '../../core/context.ts';
import { appendAudit } from '../../core/audit.ts';
import { hashPassword } from '../../core/passwords.ts';
import { generateDemoTerritory, demoSummary } from '../territory/demo-data.ts';
import { insertDemoTerritory } from '../territory/seed.ts';
import { DEMO_ACCOUNTS } from './accounts.ts';
import { insertDemoRegistry } from '../registry/demo-seed.ts';
import { todayInShanghai } from '../registry/person-rules.ts';
import { seedServicesDemo } from '../services/demo.ts';
import { seedVolunteeringDemo } from '../volunteering/demo.ts';
import { seedWorkforceDemo } from '../workforce/seed.ts';
import { seedDeliberationDemo } from '../deliberation/demo.ts';
import { seedDemoEvents } from '../events/demo.ts';

export const DEMO_SETTING = 'demo';

export async function isDemoSeeded(ctx: AppContext): Promise<boolean> {
  const row = await ctx.db.selectFrom('app_setting').select('key').where('key', '=', DEMO_SETTING).executeTakeFirst();
  return row !== undefined;
}

/**
 * Seeds the demo district in one transaction: territory, organisations and the demo accounts.
 * Idempotent: a database that already has the demo is left alone.
 */
export async function seedDemo(
  ctx: AppContext,
  password: string,
  seed = 1,
): Promise<{ seeded: boolean; summary?: ReturnType<typeof demoSummary> }> {
  if (await isDemoSeeded(ctx)) return { seeded: false };
  const territory = generateDemoTerritory(seed);
  // Hash before the transaction: scrypt is slow by design and need not hold locks.
  const hashes = await Promise.all(DEMO_ACCOUNTS.map(() => hashPassword(password)));
  const ownerHash = await hashPassword(password);
  await ctx.db.transaction().execute(async (tx) => {
    const orgIds = await insertDemoTerritory(tx, territory);
    const paths = new Map<string, string>();
    const scopeCodes = DEMO_ACCOUNTS.map((a) => a.scope).filter((s) => s && !s.startsWith('org:'));
    const found = await sql<{ code: string; path: string }>`
      select code, path::text as path from division where code = any(${scopeCodes}::text[])
      union all select code, path::text from grid where code = any(${scopeCodes}::text[])`.execute(tx);
    for (const r of found.rows) paths.set(r.code, r.path);

    const userIds = new Map<string, string>();
    for (const [i, account] of DEMO_ACCOUNTS.entries()) {
      const user = await tx
        .insertInto('app_user')
        .values({ username: account.username, display_name: account.displayName, password_hash: hashes[i], is_demo: true })
        .returning('id')
        .executeTakeFirstOrThrow();
      userIds.set(account.username, user.id);
      let scopeType: 'global' | 'territory' | 'org' = 'global';
      let scopeCode = '';
      let scopePath: string | null = null;
      let orgPath: string | null = null;
      if (account.scope.startsWith('org:')) {
        const id = orgIds.get(account.scope.slice(4));
        if (!id) throw new Error(`demo account ${account.username}: unknown org ${account.scope}`);
        const org = await tx
          .selectFrom('org')
          .select([sql<string>`territory_path::text`.as('tp'), sql<string>`org_path::text`.as('op')])
          .where('id', '=', id)
          .executeTakeFirstOrThrow();
        scopeType = 'org';
        scopeCode = `org:${id}`;
        scopePath = org.tp;
        orgPath = org.op;
      } else if (account.scope) {
        scopeType = 'territory';
        scopeCode = account.scope;
        scopePath = paths.get(account.scope) ?? null;
        if (!scopePath) throw new Error(`demo account ${account.username}: unknown place ${account.scope}`);
      }
      await tx
        .insertInto('role_binding')
        .values({
          user_id: user.id,
          role: account.role,
          scope_type: scopeType,
          scope_code: scopeCode,
          scope_path: scopePath,
          org_path: orgPath,
        })
        .execute();
    }
    const registry = await insertDemoRegistry(tx, ctx.keyring, territory, seed, todayInShanghai());
    await seedDeliberationDemo(tx, ctx.keyring, userIds, ownerHash);
    // Events and command (issue 4): a year of event history for the dashboard.
    const events = await seedDemoEvents(tx, ctx.keyring, territory, orgIds, seed);
    await tx
      .insertInto('app_setting')
      .values({ key: DEMO_SETTING, value: JSON.stringify({ seed, seededAt: new Date().toISOString() }) })
      .execute();
    await appendAudit(tx, { actorName: 'system', action: 'system.demo_seed', details: { seed, ...demoSummary(territory), registry } });
    await appendAudit(tx, {
      actorName: 'system',
      action: 'system.demo_seed',
      details: { seed, ...demoSummary(territory), events: events.events },
    });
  });
  // Services and volunteering go through their own services (and the registry's), after the territory commits.
  const services = await seedServicesDemo(ctx);
  await seedVolunteeringDemo(ctx, services.people);
  // Modules that build on the territory and the accounts seed after it, through their services.
  await seedWorkforceDemo(ctx);
  return { seeded: true, summary: demoSummary(territory) };
}
