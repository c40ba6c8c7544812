import type { Kysely } from 'kysely';
import { runStatements } from '../sql-script.ts';

/**
 * Workforce honours and care (W6): the date of each yearly health check (年度体检) so the district
 * can see who is due or overdue; the district's health-check deadline month (default 12: by the
 * end of the year); the approver's reason on a care-fund decision (关爱基金审批意见); who
 * conferred an award (授予单位, e.g. 鄞州区人民政府), as the award certificate names it.
 * Health checks recorded before this migration get the day they were recorded (Asia/Shanghai).
 * Forward-only: never edit this file once it has landed.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await runStatements(
    db,
    `
    alter table worker_care add column checked_on date;
    alter table worker_care add column decision_note text not null default '';
    update worker_care set checked_on = (created_at at time zone 'Asia/Shanghai')::date where kind = 'health_check';
    alter table worker_care add constraint worker_care_checked_on_check
      check (kind <> 'health_check' or checked_on is not null);
    create index worker_care_health_idx on worker_care (district_code, worker_id, checked_on desc) where kind = 'health_check';
    alter table worker_honour add column awarded_by text not null default '';
    alter table wf_setting add column health_check_by_month int not null default 12
      check (health_check_by_month between 1 and 12);
    `,
  );
}

export async function down(): Promise<void> {
  throw new Error('forward-only');
}
