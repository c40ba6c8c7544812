import type { Kysely } from 'kysely';
import { runStatements } from '../sql-script.ts';

/**
 * `gz_refuse_if(condition, reason)`: raises SQLSTATE GZ409 with the reason as its message when the
 * condition holds, else answers true. A statement that must be all or nothing without a
 * transaction around it (an owner's ballot for all their houses, one round trip) refers to it
 * last: the error undoes every row the statement wrote. Forward-only: never edit this file once it
 * has landed.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await runStatements(
    db,
    `
    create function gz_refuse_if(condition boolean, reason text) returns boolean language plpgsql as $$
    begin
      if condition then
        raise exception using errcode = 'GZ409', message = reason;
      end if;
      return true;
    end $$;
    `,
  );
}
