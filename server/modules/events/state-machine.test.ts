import { describe, expect, it } from 'vitest';
import { ACTIONS, LEVELS, RELATIONS, allowedActions, transition, type Action, type MachineEvent, type Relation } from './state-machine.ts';

/**
 * The whole closed loop as a table: for every condition an event can reach (state @ level,
 * /W = departments whistled, <origin = the level it was reported at, ~state = where a suspension
 * returns, $n = satisfaction), who may do what. `note` is open to every party except on a merged
 * event and is checked separately. Reviewed by hand against MISSION.md E2 and the 002 report.
 */
const TABLE: Record<string, string> = {
  'reported@grid': 'grid=accept,merge community=merge,supervise street=merge,supervise district=merge,supervise',
  'reported@community': 'community=accept,merge street=merge,supervise district=merge,supervise',
  'reported@street': 'street=accept,merge district=merge,supervise',
  'handling@grid': 'grid=escalate,handle,suspend,merge community=merge,supervise street=merge,supervise district=merge,supervise',
  'merged@grid': '',
  'handling@community': 'community=escalate,handle,suspend,merge street=merge,supervise district=merge,supervise',
  'merged@community': '',
  'handling@street': 'street=whistle,handle,suspend,merge district=merge,supervise',
  'merged@street': '',
  'escalated@community<grid': 'community=accept,return,merge street=merge,supervise district=merge,supervise',
  'handled@grid': 'reporter=verify,reject grid=verify,reject community=supervise street=supervise district=supervise',
  'suspend_requested@grid~handling':
    'community=approve_suspend,deny_suspend,supervise street=approve_suspend,deny_suspend,supervise district=approve_suspend,deny_suspend,supervise',
  'escalated@street<community': 'street=accept,return,merge district=merge,supervise',
  'handled@community': 'reporter=verify,reject grid=verify,reject community=verify,reject street=supervise district=supervise',
  'suspend_requested@community~handling': 'street=approve_suspend,deny_suspend,supervise district=approve_suspend,deny_suspend,supervise',
  'whistled@street/W': 'street=supervise district=supervise lead=respond,return',
  'handled@street': 'reporter=verify,reject grid=verify,reject street=verify,reject district=supervise',
  'suspend_requested@street~handling': 'district=approve_suspend,deny_suspend,supervise',
  'handling@community<grid': 'community=escalate,handle,return,suspend,merge street=merge,supervise district=merge,supervise',
  'merged@community<grid': '',
  'verified@grid': 'grid=close community=supervise street=supervise district=supervise',
  'suspended@grid~handling': 'grid=resume community=resume,supervise street=resume,supervise district=resume,supervise',
  'handling@street<community': 'street=whistle,handle,return,suspend,merge district=merge,supervise',
  'merged@street<community': '',
  'verified@community': 'community=close street=supervise district=supervise',
  'suspended@community~handling': 'community=resume street=resume,supervise district=resume,supervise',
  'responded@street/W': 'street=supervise district=supervise lead=handle,suspend',
  'verified@street': 'street=close district=supervise',
  'suspended@street~handling': 'street=resume district=resume,supervise',
  'escalated@street<grid': 'street=accept,return,merge district=merge,supervise',
  'handled@community<grid': 'reporter=verify,reject grid=verify,reject community=verify,reject street=supervise district=supervise',
  'suspend_requested@community<grid~handling':
    'street=approve_suspend,deny_suspend,supervise district=approve_suspend,deny_suspend,supervise',
  'closed@grid': 'reporter=evaluate grid=evaluate',
  'whistled@street/W<community': 'street=supervise district=supervise lead=respond,return',
  'handled@street<community': 'reporter=verify,reject grid=verify,reject street=verify,reject district=supervise',
  'suspend_requested@street<community~handling': 'district=approve_suspend,deny_suspend,supervise',
  'closed@community': 'reporter=evaluate community=evaluate',
  'handled@street/W': 'reporter=verify,reject grid=verify,reject street=verify,reject district=supervise',
  'suspend_requested@street/W~responded': 'street=approve_suspend,deny_suspend,supervise district=approve_suspend,deny_suspend,supervise',
  'closed@street': 'reporter=evaluate street=evaluate',
  'handling@street<grid': 'street=whistle,handle,return,suspend,merge district=merge,supervise',
  'merged@street<grid': '',
  'verified@community<grid': 'community=close street=supervise district=supervise',
  'suspended@community<grid~handling': 'community=resume street=resume,supervise district=resume,supervise',
  'evaluated@grid$2': 'reporter=reopen grid=reopen',
  'evaluated@grid$4': '',
  'responded@street/W<community': 'street=supervise district=supervise lead=handle,suspend',
  'verified@street<community': 'street=close district=supervise',
  'suspended@street<community~handling': 'street=resume district=resume,supervise',
  'evaluated@community$2': 'reporter=reopen community=reopen',
  'evaluated@community$4': '',
  'verified@street/W': 'street=close district=supervise',
  'suspended@street/W~responded': 'street=resume,supervise district=resume,supervise lead=resume',
  'evaluated@street$2': 'reporter=reopen street=reopen',
  'evaluated@street$4': '',
  'whistled@street/W<grid': 'street=supervise district=supervise lead=respond,return',
  'handled@street<grid': 'reporter=verify,reject grid=verify,reject street=verify,reject district=supervise',
  'suspend_requested@street<grid~handling': 'district=approve_suspend,deny_suspend,supervise',
  'closed@community<grid': 'reporter=evaluate community=evaluate',
  'handled@street/W<community': 'reporter=verify,reject grid=verify,reject street=verify,reject district=supervise',
  'suspend_requested@street/W<community~responded':
    'street=approve_suspend,deny_suspend,supervise district=approve_suspend,deny_suspend,supervise',
  'closed@street<community': 'reporter=evaluate street=evaluate',
  'closed@street/W': 'reporter=evaluate street=evaluate',
  'responded@street/W<grid': 'street=supervise district=supervise lead=handle,suspend',
  'verified@street<grid': 'street=close district=supervise',
  'suspended@street<grid~handling': 'street=resume district=resume,supervise',
  'evaluated@community<grid$2': 'reporter=reopen community=reopen',
  'evaluated@community<grid$4': '',
  'verified@street/W<community': 'street=close district=supervise',
  'suspended@street/W<community~responded': 'street=resume,supervise district=resume,supervise lead=resume',
  'evaluated@street<community$2': 'reporter=reopen street=reopen',
  'evaluated@street<community$4': '',
  'evaluated@street/W$2': 'reporter=reopen street=reopen',
  'evaluated@street/W$4': '',
  'handled@street/W<grid': 'reporter=verify,reject grid=verify,reject street=verify,reject district=supervise',
  'suspend_requested@street/W<grid~responded':
    'street=approve_suspend,deny_suspend,supervise district=approve_suspend,deny_suspend,supervise',
  'closed@street<grid': 'reporter=evaluate street=evaluate',
  'closed@street/W<community': 'reporter=evaluate street=evaluate',
  'verified@street/W<grid': 'street=close district=supervise',
  'suspended@street/W<grid~responded': 'street=resume,supervise district=resume,supervise lead=resume',
  'evaluated@street<grid$2': 'reporter=reopen street=reopen',
  'evaluated@street<grid$4': '',
  'evaluated@street/W<community$2': 'reporter=reopen street=reopen',
  'evaluated@street/W<community$4': '',
  'closed@street/W<grid': 'reporter=evaluate street=evaluate',
  'evaluated@street/W<grid$2': 'reporter=reopen street=reopen',
  'evaluated@street/W<grid$4': '',
};

const key = (e: MachineEvent) =>
  `${e.state}@${e.level}${e.whistled ? '/W' : ''}${e.originLevel !== e.level ? '<' + e.originLevel : ''}${e.resumeState ? '~' + e.resumeState : ''}${e.satisfaction ? '$' + e.satisfaction : ''}`;

/** Every condition reachable from a fresh report at any level, by any sequence of actions. */
function reachable(): Map<string, MachineEvent> {
  const seen = new Map<string, MachineEvent>();
  const queue: MachineEvent[] = LEVELS.map((l) => ({
    state: 'reported',
    level: l,
    originLevel: l,
    whistled: false,
    resumeState: null,
    satisfaction: null,
  }));
  while (queue.length) {
    const e = queue.shift()!;
    if (seen.has(key(e))) continue;
    seen.set(key(e), e);
    for (const a of ACTIONS) {
      const r = transition(e, a, new Set(RELATIONS));
      if (!r.ok) continue;
      if (a === 'evaluate') for (const s of [2, 4]) queue.push({ ...r.next, satisfaction: s });
      else queue.push(r.next);
    }
  }
  return seen;
}

function expected(k: string): Map<Relation, Set<Action>> {
  const out = new Map<Relation, Set<Action>>();
  for (const part of TABLE[k].split(' ').filter(Boolean)) {
    const [rel, actions] = part.split('=');
    out.set(rel as Relation, new Set(actions.split(',') as Action[]));
  }
  return out;
}

const all = reachable();

describe('event state machine', () => {
  it('reaches exactly the conditions in the table', () => {
    expect([...all.keys()].sort()).toEqual(Object.keys(TABLE).sort());
  });

  it.each([...all.entries()])('%s: every action × relation is allowed or refused as the table says', (k, e) => {
    const exp = expected(k);
    for (const rel of RELATIONS) {
      for (const action of ACTIONS) {
        const r = transition(e, action, new Set([rel]));
        const shouldAllow = action === 'note' ? e.state !== 'merged' : (exp.get(rel)?.has(action) ?? false);
        expect(r.ok, `${k} ${rel} ${action}`).toBe(shouldAllow);
        if (!r.ok) {
          expect(r.state).toBe(e.state);
          expect(r.allowed).toEqual(allowedActions(e, new Set([rel])));
          expect(r.allowed).not.toContain(action);
          const anyone = transition(e, action, new Set(RELATIONS)).ok;
          expect(r.reason).toBe(anyone ? 'not_yours' : 'not_allowed_now');
        }
      }
    }
  });
});

/** Runs a path of [relation, action] steps from a report at a level and returns the final condition. */
function walk(level: MachineEvent['level'], steps: [Relation, Action, number?][]): MachineEvent {
  let e: MachineEvent = { state: 'reported', level, originLevel: level, whistled: false, resumeState: null, satisfaction: null };
  for (const [rel, action, satisfaction] of steps) {
    const r = transition(e, action, new Set([rel]));
    if (!r.ok) throw new Error(`${rel} ${action} refused in ${key(e)}: ${r.reason}`);
    e = satisfaction !== undefined ? { ...r.next, satisfaction } : r.next;
  }
  return e;
}

describe('paths through the loop', () => {
  it('closed in the grid', () => {
    const e = walk('grid', [
      ['grid', 'accept'],
      ['grid', 'handle'],
      ['reporter', 'verify'],
      ['grid', 'close'],
      ['reporter', 'evaluate', 5],
    ]);
    expect(e).toMatchObject({ state: 'evaluated', level: 'grid', satisfaction: 5 });
  });

  it('escalated to the community, then whistled by the street to a department', () => {
    const e = walk('grid', [
      ['grid', 'accept'],
      ['grid', 'escalate'],
      ['community', 'accept'],
      ['community', 'escalate'],
      ['street', 'accept'],
      ['street', 'whistle'],
      ['lead', 'respond'],
      ['lead', 'handle'],
      ['grid', 'verify'],
      ['street', 'close'],
    ]);
    expect(e).toMatchObject({ state: 'closed', level: 'street', whistled: true, originLevel: 'grid' });
  });

  it('a department returns a mis-routed whistle; the community returns an escalation', () => {
    const w = walk('community', [
      ['community', 'accept'],
      ['community', 'escalate'],
      ['street', 'accept'],
      ['street', 'whistle'],
      ['lead', 'return'],
    ]);
    expect(w).toMatchObject({ state: 'handling', level: 'street', whistled: false });
    const r = walk('grid', [
      ['grid', 'accept'],
      ['grid', 'escalate'],
      ['community', 'return'],
    ]);
    expect(r).toMatchObject({ state: 'handling', level: 'grid' });
  });

  it('suspension needs approval from above and resumes where it stopped', () => {
    const s = walk('grid', [
      ['grid', 'accept'],
      ['grid', 'suspend'],
      ['community', 'approve_suspend'],
    ]);
    expect(s).toMatchObject({ state: 'suspended', resumeState: 'handling' });
    expect(transition(s, 'resume', new Set(['grid'])).ok).toBe(true);
    const d = walk('street', [
      ['street', 'accept'],
      ['street', 'whistle'],
      ['lead', 'respond'],
      ['lead', 'suspend'],
      ['street', 'deny_suspend'],
    ]);
    expect(d).toMatchObject({ state: 'responded', resumeState: null });
  });

  it('a bad evaluation reopens the event at the level that closed it; a good one does not', () => {
    const base: [Relation, Action, number?][] = [
      ['community', 'accept'],
      ['community', 'handle'],
      ['reporter', 'verify'],
      ['community', 'close'],
    ];
    const bad = walk('community', [...base, ['reporter', 'evaluate', 1], ['reporter', 'reopen']]);
    expect(bad).toMatchObject({ state: 'handling', level: 'community', satisfaction: null });
    const good = walk('community', [...base, ['reporter', 'evaluate', 4]]);
    const refused = transition(good, 'reopen', new Set(['reporter']));
    expect(refused).toEqual({ ok: false, reason: 'not_allowed_now', state: 'evaluated', allowed: ['note'] });
  });

  it('a refusal names the current state and what the caller may do instead', () => {
    const e = walk('grid', [['grid', 'accept']]);
    expect(transition(e, 'whistle', new Set(['grid']))).toEqual({
      ok: false,
      reason: 'not_allowed_now',
      state: 'handling',
      allowed: ['escalate', 'handle', 'suspend', 'merge', 'note'],
    });
    expect(transition(e, 'handle', new Set(['community']))).toMatchObject({
      ok: false,
      reason: 'not_yours',
      allowed: ['merge', 'supervise', 'note'],
    });
  });
});
