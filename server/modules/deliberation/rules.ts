/**
 * The rules of deliberation that are not counting: which seats a body must fill, how topics and
 * meetings move from state to state, and when a vote takes ballots. Pure, tested in rules.test.ts.
 */
import type { BodyKind, MeetingStatus, TopicStatus, VoteStatus } from '../../db/types.ts';

export const BODY_KINDS: readonly BodyKind[] = ['four_party', 'six_party', 'round_table', 'hall', 'people_hall', 'elders_forum'];

/** 议事席位. */
export const SEATS = [
  'party_org', // 社区党组织
  'residents_committee', // 居委会
  'property', // 物业服务企业
  'owners_committee', // 业委会
  'co_building_unit', // 共建单位
  'social_org', // 社会组织
  'resident_rep', // 居民代表
  'elder', // 老党员、老干部、老教师、老模范 (四老)
  'expert', // 律师、专家
  'other',
] as const;
export type Seat = (typeof SEATS)[number];

/**
 * 四方: 社区党组织, 居委会, 物业, 业委会. 六方 adds 共建单位 and 社会组织. The others are open:
 * any seat, none required (四老论坛 asks for elders but welcomes anyone).
 */
export const REQUIRED_SEATS: Record<BodyKind, readonly Seat[]> = {
  four_party: ['party_org', 'residents_committee', 'property', 'owners_committee'],
  six_party: ['party_org', 'residents_committee', 'property', 'owners_committee', 'co_building_unit', 'social_org'],
  round_table: [],
  hall: [],
  people_hall: [],
  elders_forum: [],
};

/** Fixed bodies take only their own seats (plus a resident representative or an expert as observers). */
export function seatAllowed(kind: BodyKind, seat: Seat): boolean {
  const required = REQUIRED_SEATS[kind];
  if (required.length === 0) return true;
  return required.includes(seat) || seat === 'resident_rep' || seat === 'expert';
}

/** Required seats with nobody in them: a fixed body cannot hold a meeting until they are filled. */
export function missingSeats(kind: BodyKind, memberSeats: readonly string[]): Seat[] {
  return REQUIRED_SEATS[kind].filter((s) => !memberSeats.includes(s));
}

/** A worker's triage: an open topic becomes an agenda item, an event, or gets a reply. */
export type Triage = 'agenda' | 'event' | 'reply' | 'close';

const TOPIC_NEXT: Record<TopicStatus, readonly TopicStatus[]> = {
  open: ['agenda', 'event', 'replied', 'closed'],
  agenda: ['replied', 'closed'], // the meeting's resolution is the reply
  event: ['replied', 'closed'],
  replied: ['closed'],
  closed: [],
};

export function topicMayMove(from: TopicStatus, to: TopicStatus): boolean {
  return TOPIC_NEXT[from].includes(to);
}

export function triageTarget(t: Triage): TopicStatus {
  return t === 'reply' ? 'replied' : t === 'close' ? 'closed' : t;
}

/** Supporting is for open topics and those on an agenda; a closed matter takes no more support. */
export function topicTakesSupport(status: TopicStatus): boolean {
  return status === 'open' || status === 'agenda';
}

const MEETING_NEXT: Record<MeetingStatus, readonly MeetingStatus[]> = {
  planned: ['noticed'],
  noticed: ['held'],
  held: ['published'],
  published: [],
};

export function meetingMayMove(from: MeetingStatus, to: MeetingStatus): boolean {
  return MEETING_NEXT[from].includes(to);
}

/** Agenda is edited before the meeting; minutes and resolutions once it is held, until published. */
export function meetingEditable(status: MeetingStatus, what: 'agenda' | 'minutes' | 'attendance'): boolean {
  if (what === 'agenda') return status === 'planned' || status === 'noticed';
  if (what === 'attendance') return status === 'noticed' || status === 'held';
  return status === 'held';
}

/** Ballots are taken while the vote is open and inside its window. */
export function voteTakesBallots(status: VoteStatus, opensAt: Date, closesAt: Date, now: Date): 'ok' | 'not_open' | 'closed' | 'too_early' {
  if (status === 'draft') return 'not_open';
  if (status === 'closed' || now >= closesAt) return 'closed';
  if (now < opensAt) return 'too_early';
  return 'ok';
}

/** A selection ballot: 1..max distinct options, all of this vote. */
export function checkSelection(optionIds: readonly string[], chosen: readonly string[], maxChoices: number): string | null {
  if (chosen.length === 0) return 'no_choice';
  if (new Set(chosen).size !== chosen.length) return 'duplicate_choice';
  if (chosen.length > maxChoices) return 'too_many_choices';
  if (chosen.some((c) => !optionIds.includes(c))) return 'unknown_option';
  return null;
}
