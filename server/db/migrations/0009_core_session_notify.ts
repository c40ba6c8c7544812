import type { Kysely } from 'kysely';
import { runStatements } from '../sql-script.ts';

/**
 * Every change that can end or alter a signed-in session is announced on the live channel
 * (server/core/live.ts) as `{"topic":"session","keys":[<user id>]}`, from triggers, so that each
 * app instance drops what it cached of that user's sessions (server/core/auth/session-cache.ts,
 * DECISIONS D42) whichever process made the change: another instance, the CLI
 * (`gongzhi users reset-password`), a migration. The announcement is delivered on commit.
 * Covered: a session deleted (sign-out, expiry, password change); any update of the account
 * (disabled, password, TOTP, forced change, name); any change to its role bindings. Touching a
 * session's last_seen_at is not announced. Forward-only: never edit this file once it has landed.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await runStatements(
    db,
    `
    create function gz_announce_session_user(uid uuid) returns void language sql as $$
      select pg_notify('gongzhi_live', json_build_object('topic', 'session', 'keys', json_build_array(uid::text))::text)
    $$;
    create function gz_user_session_deleted() returns trigger language plpgsql as $$
    begin
      perform gz_announce_session_user(old.user_id);
      return null;
    end $$;
    create function gz_app_user_changed() returns trigger language plpgsql as $$
    begin
      perform gz_announce_session_user(old.id);
      return null;
    end $$;
    create function gz_role_binding_changed() returns trigger language plpgsql as $$
    begin
      if tg_op <> 'INSERT' then
        perform gz_announce_session_user(old.user_id);
      end if;
      if tg_op <> 'DELETE' then
        perform gz_announce_session_user(new.user_id);
      end if;
      return null;
    end $$;
    create trigger user_session_announce after delete on user_session
      for each row execute function gz_user_session_deleted();
    create trigger app_user_announce after update or delete on app_user
      for each row execute function gz_app_user_changed();
    create trigger role_binding_announce after insert or update or delete on role_binding
      for each row execute function gz_role_binding_changed();
    `,
  );
}
