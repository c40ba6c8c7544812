/**
 * Counting an owners' decision on common parts (业主共同决定) as Civil Code Art. 278 requires.
 * Pure: no I/O, no clock. The same function counts online ballots, paper ballots entered by a
 * worker and the CLI's CSV files, and gives the live participation of a running vote.
 *
 * Art. 278 ¶2: a decision needs owners holding two thirds or more (三分之二以上) of the exclusive
 * area AND two thirds or more of the headcount to take part. Items 6–8 then need three quarters
 * or more (四分之三以上) of the participating area AND of the participating headcount to agree;
 * the other items need more than half (过半数) of both. "以上" includes the boundary; "过半数"
 * does not, so exactly half fails.
 *
 * Headcount follows the Supreme People's Court interpretation on building ownership
 * (法释〔2009〕7号, amended 2020, Art. 9): one exclusive part counts as one person; co-owners of
 * a part count once; one owner of several parts counts once. Houses that share any owner are
 * therefore one counted person (a connected component of the house–owner graph), and houses
 * with no recorded owner (unsold, or held by the developer) together count as one.
 *
 * Areas are counted in integer hundredths of a square metre, and every threshold is compared by
 * cross-multiplication, so no floating point ever decides a boundary.
 */

/** Art. 278 ¶1 items (1)–(9). */
export const MATTERS = {
  1: { zh: '制定和修改业主大会议事规则', en: "Make or amend the owners' assembly rules of procedure" },
  2: { zh: '制定和修改管理规约', en: 'Make or amend the management covenant' },
  3: { zh: '选举业主委员会或者更换业主委员会成员', en: "Elect or replace the owners' committee" },
  4: { zh: '选聘和解聘物业服务企业或者其他管理人', en: 'Hire or dismiss the property service company or other manager' },
  5: { zh: '使用建筑物及其附属设施的维修资金', en: 'Use the maintenance fund of the buildings and facilities' },
  6: { zh: '筹集建筑物及其附属设施的维修资金', en: 'Raise the maintenance fund of the buildings and facilities' },
  7: { zh: '改建、重建建筑物及其附属设施', en: 'Alter or rebuild buildings and their facilities (e.g. install a lift)' },
  8: {
    zh: '改变共有部分的用途或者利用共有部分从事经营活动',
    en: 'Change the use of common parts or use them for business',
  },
  9: { zh: '有关共有和共同管理权利的其他重大事项', en: 'Other major matters of common ownership and management' },
} as const;

export type Matter = keyof typeof MATTERS;
export type Choice = 'agree' | 'disagree' | 'abstain';

export function isMatter(n: number): n is Matter {
  return Number.isInteger(n) && n >= 1 && n <= 9;
}

/** Items 6–8 need three quarters; the rest more than half. */
export function isSpecialMatter(matter: Matter): boolean {
  return matter >= 6 && matter <= 8;
}

/** One house (专有部分) of the roll: its registered exclusive area and its current owners. */
export interface RollHouse {
  houseCode: string;
  /** m², as registered; null counts as 0 and is reported. */
  area: number | string | null;
  ownerIds: readonly string[];
}

export interface HouseBallot {
  houseCode: string;
  choice: Choice;
  /** Where it came from (a CSV line, a ballot id), named in errors. */
  ref?: string | number;
}

export type TallyProblem =
  | { kind: 'unknown_house'; houseCode: string; refs: (string | number)[] }
  | { kind: 'duplicate_ballot'; houseCode: string; refs: (string | number)[] }
  | { kind: 'mixed_choices'; houseCodes: string[]; refs: (string | number)[] }
  | { kind: 'duplicate_house'; houseCode: string };

export interface Measure {
  /** hundredths of a square metre */
  areaCenti: number;
  headcount: number;
}

export interface TallyResult {
  matter: Matter;
  rule: 'three_quarters' | 'more_than_half';
  total: Measure & { houses: number };
  participating: Measure & { houses: number };
  agree: Measure;
  disagree: Measure;
  abstain: Measure;
  /** participation by area and by headcount each reached two thirds */
  quorum: { area: boolean; headcount: boolean; met: boolean };
  /** approval by area and by headcount, of the participants */
  approval: { area: boolean; headcount: boolean; met: boolean };
  passed: boolean;
  /** The four shares as fractions 0–1 (display only; the booleans above decide). */
  shares: { participationArea: number; participationHeadcount: number; approvalArea: number; approvalHeadcount: number };
  housesWithoutArea: string[];
  housesWithoutOwner: number;
  problems: TallyProblem[];
}

/** m² (number or numeric string) to integer hundredths; NaN and negatives are refused upstream. */
export function toCenti(area: number | string | null): number {
  if (area === null || area === '') return 0;
  const n = typeof area === 'number' ? area : Number(area);
  if (!Number.isFinite(n) || n < 0) return 0;
  return Math.round(n * 100);
}

/** The SPC headcount: groups houses that share an owner (union–find). Returns house index → group. */
export function counterGroups(roll: readonly RollHouse[]): Int32Array {
  const parent = new Int32Array(roll.length);
  for (let i = 0; i < parent.length; i++) parent[i] = i;
  const find = (x: number): number => {
    while (parent[x] !== x) {
      parent[x] = parent[parent[x]];
      x = parent[x];
    }
    return x;
  };
  const union = (a: number, b: number) => {
    const ra = find(a);
    const rb = find(b);
    if (ra !== rb) parent[rb] = ra;
  };
  const firstHouseOf = new Map<string, number>();
  let unowned = -1;
  for (let i = 0; i < roll.length; i++) {
    const owners = roll[i].ownerIds;
    if (owners.length === 0) {
      // Unsold or developer-held parts count as one person together.
      if (unowned < 0) unowned = i;
      else union(unowned, i);
      continue;
    }
    for (const o of owners) {
      const seen = firstHouseOf.get(o);
      if (seen === undefined) firstHouseOf.set(o, i);
      else union(seen, i);
    }
  }
  const out = new Int32Array(roll.length);
  for (let i = 0; i < roll.length; i++) out[i] = find(i);
  return out;
}

/** a/b ≥ 2/3 */
const atLeastTwoThirds = (a: number, b: number) => b > 0 && a * 3 >= b * 2;
/** a/b ≥ 3/4 */
const atLeastThreeQuarters = (a: number, b: number) => b > 0 && a * 4 >= b * 3;
/** a/b > 1/2 */
const moreThanHalf = (a: number, b: number) => b > 0 && a * 2 > b;
const share = (a: number, b: number) => (b > 0 ? a / b : 0);

/**
 * Counts one owners' decision. Ballots are per house; a counted person's houses must carry one
 * choice (otherwise a `mixed_choices` problem, and the person is counted by the first ballot's
 * choice for the headcount). A house without a ballot did not take part; an abstention takes part
 * without agreeing. Problems are returned, never thrown: the caller decides whether to refuse.
 */
export function tallyOwnersVote(matter: Matter, roll: readonly RollHouse[], ballots: readonly HouseBallot[]): TallyResult {
  const problems: TallyProblem[] = [];
  const index = new Map<string, number>();
  for (let i = 0; i < roll.length; i++) {
    if (index.has(roll[i].houseCode)) problems.push({ kind: 'duplicate_house', houseCode: roll[i].houseCode });
    else index.set(roll[i].houseCode, i);
  }
  const group = counterGroups(roll);
  const areas = new Float64Array(roll.length);
  const housesWithoutArea: string[] = [];
  let totalArea = 0;
  let housesWithoutOwner = 0;
  const groups = new Set<number>();
  for (let i = 0; i < roll.length; i++) {
    const a = toCenti(roll[i].area);
    if (roll[i].area === null) housesWithoutArea.push(roll[i].houseCode);
    if (roll[i].ownerIds.length === 0) housesWithoutOwner++;
    areas[i] = a;
    totalArea += a;
    groups.add(group[i]);
  }

  // One ballot per house.
  const choiceOf = new Array<Choice | undefined>(roll.length);
  const refOf = new Array<string | number | undefined>(roll.length);
  const unknown = new Map<string, (string | number)[]>();
  const dupes = new Map<string, (string | number)[]>();
  for (let k = 0; k < ballots.length; k++) {
    const b = ballots[k];
    const ref = b.ref ?? k + 1;
    const i = index.get(b.houseCode);
    if (i === undefined) {
      const list = unknown.get(b.houseCode) ?? [];
      list.push(ref);
      unknown.set(b.houseCode, list);
      continue;
    }
    if (choiceOf[i] !== undefined) {
      const list = dupes.get(b.houseCode) ?? [refOf[i]!];
      list.push(ref);
      dupes.set(b.houseCode, list);
      continue;
    }
    choiceOf[i] = b.choice;
    refOf[i] = ref;
  }
  for (const [houseCode, refs] of unknown) problems.push({ kind: 'unknown_house', houseCode, refs });
  for (const [houseCode, refs] of dupes) problems.push({ kind: 'duplicate_ballot', houseCode, refs });

  const zero = (): Measure => ({ areaCenti: 0, headcount: 0 });
  const agree = zero();
  const disagree = zero();
  const abstain = zero();
  let partArea = 0;
  let partHouses = 0;
  // group root → the counted person's choice, and the houses that voted, for mixed-choice reports
  const personChoice = new Map<number, Choice>();
  const mixed = new Map<number, boolean>();
  const groupHouses = new Map<number, number[]>();
  for (let i = 0; i < roll.length; i++) {
    const c = choiceOf[i];
    if (c === undefined) continue;
    partHouses++;
    partArea += areas[i];
    const m = c === 'agree' ? agree : c === 'disagree' ? disagree : abstain;
    m.areaCenti += areas[i];
    const g = group[i];
    const prev = personChoice.get(g);
    if (prev === undefined) {
      personChoice.set(g, c);
      groupHouses.set(g, [i]);
    } else {
      groupHouses.get(g)!.push(i);
      if (prev !== c) mixed.set(g, true);
    }
  }
  for (const [g, c] of personChoice) {
    const m = c === 'agree' ? agree : c === 'disagree' ? disagree : abstain;
    m.headcount++;
    if (mixed.get(g)) {
      const hs = groupHouses.get(g)!;
      problems.push({ kind: 'mixed_choices', houseCodes: hs.map((i) => roll[i].houseCode), refs: hs.map((i) => refOf[i]!) });
    }
  }
  const partHead = personChoice.size;
  const totalHead = groups.size;

  const special = isSpecialMatter(matter);
  const quorumArea = atLeastTwoThirds(partArea, totalArea);
  const quorumHead = atLeastTwoThirds(partHead, totalHead);
  const pass = special ? atLeastThreeQuarters : moreThanHalf;
  const approvalArea = pass(agree.areaCenti, partArea);
  const approvalHead = pass(agree.headcount, partHead);
  const quorumMet = quorumArea && quorumHead;
  const approvalMet = approvalArea && approvalHead;
  return {
    matter,
    rule: special ? 'three_quarters' : 'more_than_half',
    total: { areaCenti: totalArea, headcount: totalHead, houses: roll.length },
    participating: { areaCenti: partArea, headcount: partHead, houses: partHouses },
    agree,
    disagree,
    abstain,
    quorum: { area: quorumArea, headcount: quorumHead, met: quorumMet },
    approval: { area: approvalArea, headcount: approvalHead, met: approvalMet },
    passed: quorumMet && approvalMet,
    shares: {
      participationArea: share(partArea, totalArea),
      participationHeadcount: share(partHead, totalHead),
      approvalArea: share(agree.areaCenti, partArea),
      approvalHeadcount: share(agree.headcount, partHead),
    },
    housesWithoutArea,
    housesWithoutOwner,
    problems,
  };
}

/** Reads 同意 / 反对 / 弃权 as well as agree / disagree / abstain. */
export function parseChoice(raw: string): Choice | null {
  const s = raw.trim().toLowerCase();
  if (s === 'agree' || s === '同意') return 'agree';
  if (s === 'disagree' || s === '反对' || s === '不同意') return 'disagree';
  if (s === 'abstain' || s === '弃权') return 'abstain';
  return null;
}

/** A simple vote or selection (e.g. 十佳公约): each ballot picks 1..maxChoices distinct options. */
export interface SelectionResult {
  ballots: number;
  counts: { optionId: string; votes: number; rank: number }[];
  /** The options within the first `winners` places; a tie across the cut is reported, not broken. */
  winners: string[];
  tieAtCut: string[];
}

export function tallySelection(optionIds: readonly string[], ballots: readonly (readonly string[])[], winners: number): SelectionResult {
  const votes = new Map<string, number>(optionIds.map((id) => [id, 0]));
  for (const b of ballots) for (const o of new Set(b)) if (votes.has(o)) votes.set(o, votes.get(o)! + 1);
  const order = optionIds.map((id, i) => ({ id, i, v: votes.get(id)! })).sort((a, b) => b.v - a.v || a.i - b.i);
  const counts = order.map((o) => ({ optionId: o.id, votes: o.v, rank: 1 + order.filter((x) => x.v > o.v).length }));
  const n = Math.max(0, Math.min(winners, counts.length));
  const cutVotes = n > 0 && n < counts.length ? counts[n - 1].votes : null;
  const tieAtCut =
    cutVotes !== null && counts[n].votes === cutVotes && cutVotes > 0
      ? counts.filter((c) => c.votes === cutVotes).map((c) => c.optionId)
      : [];
  const win = counts
    .slice(0, n)
    .filter((c) => c.votes > 0 && !tieAtCut.includes(c.optionId))
    .map((c) => c.optionId);
  return { ballots: ballots.length, counts, winners: win, tieAtCut };
}
