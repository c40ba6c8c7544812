import type { Actor, AppContext } from '../../core/context.ts';
import { deadlineColour, type DeadlineColour } from './deadlines.ts';
import { relationsOf } from './relations.ts';
import { allowedActions, type EventState, type Level, type MachineEvent, type Relation } from './state-machine.ts';
import type { EventRow } from './store.ts';

/** How an event is shown: to staff with the reporter's phone masked, to the reporter without others' data. */

export function machineOf(r: EventRow): MachineEvent {
  return {
    state: r.state as EventState,
    level: r.level as Level,
    originLevel: r.origin_level as Level,
    whistled: r.whistled,
    resumeState: (r.resume_state as EventState | null) ?? null,
    satisfaction: r.satisfaction,
  };
}

export function relationsFor(actor: Actor, r: EventRow): Set<Relation> {
  return relationsOf(actor.userId, actor.bindings, {
    placePath: r.place_path,
    reporterId: r.reporter_id,
    leadOrgPath: r.lead_org_path,
    assistOrgPaths: r.assist_orgs.map((o) => o.path),
  });
}

export function maskPhone(phone: string): string {
  return phone.length >= 7 ? `${phone.slice(0, 3)}****${phone.slice(-4)}` : '****';
}

/** The deadline colour by the clock, raised by what the ticker already marked (yellow, red). */
function colourOf(r: EventRow, now: Date): DeadlineColour {
  if (!r.stage) return 'none';
  const byTime = deadlineColour(now, r.warn_at, r.due_at);
  if (r.overdue || byTime === 'red') return 'red';
  if (r.warned || byTime === 'yellow') return 'yellow';
  return byTime;
}

const iso = (d: Date | null) => (d ? new Date(d).toISOString() : null);

export function eventView(ctx: AppContext, actor: Actor, r: EventRow, now = new Date()) {
  const rel = relationsFor(actor, r);
  const staff = [...rel].some((x) => x !== 'reporter');
  let phone: string | null = null;
  if (r.reporter_phone_enc && !r.anonymous) {
    try {
      phone = maskPhone(ctx.keyring.decrypt(r.reporter_phone_enc));
    } catch {
      phone = '****';
    }
  }
  const showReporter = !r.anonymous || rel.has('reporter');
  return {
    id: r.id,
    number: r.number,
    districtCode: r.district_code,
    categoryCode: r.category_code,
    categoryName: r.category_name,
    title: r.title,
    description: r.description,
    source: r.source,
    state: r.state as EventState,
    level: r.level,
    originLevel: r.origin_level,
    whistled: r.whistled,
    placeCode: r.place_code,
    placeName: r.place_name ?? '',
    address: r.address,
    lng: r.lng,
    lat: r.lat,
    anonymous: r.anonymous,
    reporterName: showReporter ? r.reporter_name : null,
    reporterPhone: showReporter && (staff || rel.has('reporter')) ? phone : null,
    leadOrg: r.lead_org_id ? { id: r.lead_org_id, name: r.lead_org_name ?? '' } : null,
    assistOrgs: r.assist_orgs.map((o) => ({ id: o.id, name: o.name })),
    mergedInto: r.merged_into,
    stage: r.stage,
    warnAt: iso(r.warn_at),
    dueAt: iso(r.due_at),
    deadline: colourOf(r, now),
    overdue: r.overdue,
    everOverdue: r.ever_overdue,
    supervisedCount: r.supervised_count,
    satisfaction: r.satisfaction,
    photoRequired: r.photo_required,
    reportedAt: iso(r.reported_at)!,
    acceptedAt: iso(r.accepted_at),
    respondedAt: iso(r.responded_at),
    handledAt: iso(r.handled_at),
    closedAt: iso(r.closed_at),
    closedLevel: r.closed_level,
    closedOnTime: r.closed_on_time,
    version: r.version,
    relations: [...rel],
    allowedActions: allowedActions(machineOf(r), rel),
  };
}

export type EventView = ReturnType<typeof eventView>;
