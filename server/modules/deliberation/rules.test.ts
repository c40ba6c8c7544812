import { describe, expect, it } from 'vitest';
import {
  BODY_KINDS,
  checkSelection,
  meetingEditable,
  meetingMayMove,
  missingSeats,
  REQUIRED_SEATS,
  seatAllowed,
  SEATS,
  topicMayMove,
  topicTakesSupport,
  triageTarget,
  voteTakesBallots,
} from './rules.ts';
import type { MeetingStatus, TopicStatus } from '../../db/types.ts';

describe('seats of deliberation bodies', () => {
  it('四方 needs party, residents committee, property and owners committee; 六方 adds co-building units and social organisations', () => {
    expect(missingSeats('four_party', [])).toEqual(['party_org', 'residents_committee', 'property', 'owners_committee']);
    expect(missingSeats('four_party', ['party_org', 'residents_committee', 'property', 'owners_committee'])).toEqual([]);
    expect(missingSeats('six_party', ['party_org', 'residents_committee', 'property', 'owners_committee'])).toEqual([
      'co_building_unit',
      'social_org',
    ]);
    for (const k of ['round_table', 'hall', 'people_hall', 'elders_forum'] as const) expect(missingSeats(k, [])).toEqual([]);
  });

  it('fixed bodies take their own seats plus resident representatives and experts; open bodies take any seat', () => {
    expect(seatAllowed('four_party', 'social_org')).toBe(false);
    expect(seatAllowed('four_party', 'co_building_unit')).toBe(false);
    expect(seatAllowed('six_party', 'social_org')).toBe(true);
    expect(seatAllowed('four_party', 'resident_rep')).toBe(true);
    for (const k of BODY_KINDS) for (const s of SEATS) if (REQUIRED_SEATS[k].length === 0) expect(seatAllowed(k, s)).toBe(true);
  });
});

describe('topic and meeting states', () => {
  it('an open topic can go anywhere once; closed is final', () => {
    const all: TopicStatus[] = ['open', 'agenda', 'event', 'replied', 'closed'];
    expect(all.filter((s) => topicMayMove('open', s))).toEqual(['agenda', 'event', 'replied', 'closed']);
    expect(all.filter((s) => topicMayMove('agenda', s))).toEqual(['replied', 'closed']);
    expect(all.filter((s) => topicMayMove('closed', s))).toEqual([]);
    expect(triageTarget('reply')).toBe('replied');
    expect(triageTarget('close')).toBe('closed');
    expect(all.filter(topicTakesSupport)).toEqual(['open', 'agenda']);
  });

  it('a meeting moves planned › noticed › held › published, one step at a time', () => {
    const all: MeetingStatus[] = ['planned', 'noticed', 'held', 'published'];
    for (const [i, from] of all.entries()) expect(all.filter((to) => meetingMayMove(from, to))).toEqual(all.slice(i + 1, i + 2));
    expect(all.filter((s) => meetingEditable(s, 'agenda'))).toEqual(['planned', 'noticed']);
    expect(all.filter((s) => meetingEditable(s, 'attendance'))).toEqual(['noticed', 'held']);
    expect(all.filter((s) => meetingEditable(s, 'minutes'))).toEqual(['held']);
  });
});

describe('ballots', () => {
  const opens = new Date('2026-11-01T00:00:00Z');
  const closes = new Date('2026-11-10T00:00:00Z');
  it('are taken only while open and inside the window; the closing instant is already closed', () => {
    expect(voteTakesBallots('draft', opens, closes, new Date('2026-11-05'))).toBe('not_open');
    expect(voteTakesBallots('open', opens, closes, new Date('2026-10-31'))).toBe('too_early');
    expect(voteTakesBallots('open', opens, closes, opens)).toBe('ok');
    expect(voteTakesBallots('open', opens, closes, new Date(closes.getTime() - 1))).toBe('ok');
    expect(voteTakesBallots('open', opens, closes, closes)).toBe('closed');
    expect(voteTakesBallots('closed', opens, closes, new Date('2026-11-05'))).toBe('closed');
  });

  it('a selection picks 1..max distinct options of this vote', () => {
    expect(checkSelection(['a', 'b', 'c'], [], 2)).toBe('no_choice');
    expect(checkSelection(['a', 'b', 'c'], ['a', 'a'], 2)).toBe('duplicate_choice');
    expect(checkSelection(['a', 'b', 'c'], ['a', 'b', 'c'], 2)).toBe('too_many_choices');
    expect(checkSelection(['a', 'b', 'c'], ['z'], 2)).toBe('unknown_option');
    expect(checkSelection(['a', 'b', 'c'], ['c', 'a'], 2)).toBeNull();
  });
});
