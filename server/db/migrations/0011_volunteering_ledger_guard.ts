import type { Kysely } from 'kysely';
import { runStatements } from '../sql-script.ts';

/**
 * The points ledger (积分, P3) refuses UPDATE, DELETE and TRUNCATE, as the audit log does
 * (0001_core): its entries were only appended by the code, and a changed or removed entry was
 * detected by `gongzhi points verify`; now the database also refuses the change outright. The
 * chain head (points_head) moves with every append and stays writable; verify compares it with
 * the chain. A restore writes with session_replication_role = replica, so triggers do not fire
 * there. Forward-only: never edit this file once it has landed.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await runStatements(
    db,
    `
    create function points_ledger_append_only() returns trigger language plpgsql as $$
    begin
      raise exception 'points_ledger is append-only';
    end $$;
    create trigger points_ledger_no_update before update or delete on points_ledger
      for each row execute function points_ledger_append_only();
    create trigger points_ledger_no_truncate before truncate on points_ledger
      for each statement execute function points_ledger_append_only();
    `,
  );
}

export async function down(): Promise<void> {
  throw new Error('migrations are forward-only');
}
