import type { Migration } from 'kysely';
import * as m0001 from './0001_core.ts';
import * as m0002 from './0002_registry.ts';
import * as m0004 from './0004_services.ts';
import * as m0005 from './0005_workforce.ts';
import * as m0006 from './0006_deliberation.ts';
import * as m0003 from './0003_events.ts';
import * as m0007wf from './0007_workforce_online_apply_and_pay.ts';
import * as m0007reg from './0007_registry_search_pages.ts';
import * as m0007del from './0007_deliberation_electors.ts';
import * as m0007ev from './0007_events_filing.ts';
import * as m0008core from './0008_core_audit_sealer.ts';
import * as m0008wfv from './0008_workforce_visits.ts';
import * as m0008evr from './0008_events_rollup.ts';
import * as m0009core from './0009_core_session_notify.ts';
import * as m0009del from './0009_deliberation_cast_guard.ts';
import * as m0009ev from './0009_events_live.ts';
import * as m0009evt from './0009_events_thumbs.ts';
import * as m0010live from './0010_events_live_by_app.ts';
import * as m0011wfcare from './0011_workforce_care_checks_and_awards.ts';
import * as m0011vol from './0011_volunteering_ledger_guard.ts';

/** Every migration, in order. Append new ones; never edit or reorder landed ones. */
export const migrations: Record<string, Migration> = {
  '0001_core': m0001,
  '0002_registry': m0002,
  '0003_events': m0003,
  '0004_services': m0004,
  '0005_workforce': m0005,
  '0006_deliberation': m0006,
  '0007_workforce_online_apply_and_pay': m0007wf,
  '0007_registry_search_pages': m0007reg,
  '0007_deliberation_electors': m0007del,
  '0007_events_filing': m0007ev,
  '0008_core_audit_sealer': m0008core,
  '0008_workforce_visits': m0008wfv,
  '0008_events_rollup': m0008evr,
  '0009_core_session_notify': m0009core,
  '0009_deliberation_cast_guard': m0009del,
  '0009_events_live': m0009ev,
  '0009_events_thumbs': m0009evt,
  '0010_events_live_by_app': m0010live,
  '0011_workforce_care_checks_and_awards': m0011wfcare,
  '0011_volunteering_ledger_guard': m0011vol,
};
