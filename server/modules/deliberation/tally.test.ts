import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  counterGroups,
  isSpecialMatter,
  parseChoice,
  tallyOwnersVote,
  tallySelection,
  toCenti,
  type Choice,
  type HouseBallot,
  type Matter,
  type RollHouse,
} from './tally.ts';

const h = (houseCode: string, area: number | string | null, ...ownerIds: string[]): RollHouse => ({ houseCode, area, ownerIds });
const b = (houseCode: string, choice: Choice): HouseBallot => ({ houseCode, choice });
/** n houses of 100 m², each with its own owner o1..on */
const plain = (n: number, area = 100) => Array.from({ length: n }, (_, i) => h(`h${i + 1}`, area, `o${i + 1}`));

describe('Art. 278 participation: two thirds of area AND of headcount, boundary included (以上)', () => {
  it('exactly two thirds by area and by headcount takes part', () => {
    const r = tallyOwnersVote(7, plain(3), [b('h1', 'agree'), b('h2', 'agree')]);
    expect(r.participating).toMatchObject({ areaCenti: 20000, headcount: 2 });
    expect(r.total).toMatchObject({ areaCenti: 30000, headcount: 3 });
    expect(r.quorum).toEqual({ area: true, headcount: true, met: true });
    expect(r.passed).toBe(true);
  });

  it('a hundredth of a square metre short of two thirds of the area fails, with the headcount met', () => {
    const roll = [h('h1', 100, 'a'), h('h2', 100, 'b'), h('h3', '100.01', 'c')];
    const r = tallyOwnersVote(7, roll, [b('h1', 'agree'), b('h2', 'agree')]);
    expect(r.quorum).toEqual({ area: false, headcount: true, met: false });
    expect(r.passed).toBe(false);
  });

  it('two thirds of the area without two thirds of the headcount fails', () => {
    const roll = [h('h1', 500, 'a'), h('h2', 50, 'b'), h('h3', 50, 'c'), h('h4', 50, 'd')];
    const r = tallyOwnersVote(1, roll, [b('h1', 'agree'), b('h2', 'agree')]);
    expect(r.shares.participationArea).toBeCloseTo(550 / 650);
    expect(r.quorum).toEqual({ area: true, headcount: false, met: false });
    expect(r.approval.met).toBe(true);
    expect(r.passed).toBe(false);
  });

  it('nobody taking part fails without dividing by zero', () => {
    const r = tallyOwnersVote(4, plain(3), []);
    expect(r.passed).toBe(false);
    expect(r.shares).toEqual({ participationArea: 0, participationHeadcount: 0, approvalArea: 0, approvalHeadcount: 0 });
    expect(tallyOwnersVote(4, [], []).passed).toBe(false);
  });
});

describe('Art. 278 approval for items 6–8: three quarters of participating area AND headcount (以上)', () => {
  it('exactly three quarters of both approves', () => {
    const r = tallyOwnersVote(7, plain(4), [b('h1', 'agree'), b('h2', 'agree'), b('h3', 'agree'), b('h4', 'disagree')]);
    expect(r.rule).toBe('three_quarters');
    expect(r.approval).toEqual({ area: true, headcount: true, met: true });
    expect(r.passed).toBe(true);
  });

  it('a hundredth of a square metre short of three quarters of the area fails, with the headcount met', () => {
    const roll = [h('h1', 100, 'a'), h('h2', 100, 'b'), h('h3', 100, 'c'), h('h4', '100.01', 'd')];
    const r = tallyOwnersVote(7, roll, [b('h1', 'agree'), b('h2', 'agree'), b('h3', 'agree'), b('h4', 'disagree')]);
    expect(r.approval).toEqual({ area: false, headcount: true, met: false });
    expect(r.passed).toBe(false);
  });

  it('three quarters of the area without three quarters of the headcount fails', () => {
    const roll = [h('h1', 400, 'a'), h('h2', 50, 'b'), h('h3', 50, 'c'), h('h4', 50, 'd')];
    const r = tallyOwnersVote(6, roll, [b('h1', 'agree'), b('h2', 'agree'), b('h3', 'disagree'), b('h4', 'disagree')]);
    expect(r.approval).toEqual({ area: true, headcount: false, met: false });
    expect(r.passed).toBe(false);
  });

  it('seven agreeing out of nine participants (77.8%) approves a lift; six out of nine (66.7%) does not', () => {
    const roll = plain(10);
    const votes = (agree: number) => roll.slice(0, 9).map((x, i) => b(x.houseCode, i < agree ? 'agree' : 'disagree'));
    expect(tallyOwnersVote(7, roll, votes(7)).passed).toBe(true);
    expect(tallyOwnersVote(7, roll, votes(6)).passed).toBe(false);
  });
});

describe('Art. 278 approval for the other items: more than half (过半数), exactly half fails', () => {
  it('exactly half by area and headcount fails; one more passes', () => {
    const two = tallyOwnersVote(4, plain(4), [b('h1', 'agree'), b('h2', 'agree'), b('h3', 'disagree'), b('h4', 'disagree')]);
    expect(two.rule).toBe('more_than_half');
    expect(two.approval).toEqual({ area: false, headcount: false, met: false });
    expect(two.passed).toBe(false);
    const three = tallyOwnersVote(4, plain(4), [b('h1', 'agree'), b('h2', 'agree'), b('h3', 'agree'), b('h4', 'disagree')]);
    expect(three.passed).toBe(true);
  });

  it('more than half the area but exactly half the headcount fails', () => {
    const roll = [h('h1', 120, 'a'), h('h2', 120, 'b'), h('h3', 80, 'c'), h('h4', 80, 'd')];
    const r = tallyOwnersVote(2, roll, [b('h1', 'agree'), b('h2', 'agree'), b('h3', 'disagree'), b('h4', 'disagree')]);
    expect(r.approval).toEqual({ area: true, headcount: false, met: false });
    expect(r.passed).toBe(false);
  });

  it('more than half the headcount but exactly half the area fails', () => {
    const roll = [h('h1', 50, 'a'), h('h2', 50, 'b'), h('h3', 100, 'c')];
    const r = tallyOwnersVote(3, roll, [b('h1', 'agree'), b('h2', 'agree'), b('h3', 'disagree')]);
    expect(r.approval).toEqual({ area: false, headcount: true, met: false });
    expect(r.passed).toBe(false);
  });

  it('a matter in each group: 60% agreement passes items 1–5 and 9 and fails 6–8', () => {
    const ballots = [b('h1', 'agree'), b('h2', 'agree'), b('h3', 'agree'), b('h4', 'disagree'), b('h5', 'disagree')];
    for (const m of [1, 2, 3, 4, 5, 6, 7, 8, 9] as Matter[]) {
      const r = tallyOwnersVote(m, plain(5), ballots);
      expect(r.passed, `item ${m}`).toBe(!isSpecialMatter(m));
      expect(r.rule).toBe(isSpecialMatter(m) ? 'three_quarters' : 'more_than_half');
    }
  });
});

describe('headcount per the SPC interpretation', () => {
  it('an owner of several houses counts once, while every house counts its area', () => {
    const roll = [h('h1', 100, 'A'), h('h2', 100, 'A'), h('h3', 100, 'A'), h('h4', 100, 'B'), h('h5', 100, 'C')];
    const r = tallyOwnersVote(1, roll, [b('h1', 'agree'), b('h2', 'agree'), b('h3', 'agree'), b('h4', 'disagree')]);
    expect(r.total).toEqual({ areaCenti: 50000, headcount: 3, houses: 5 });
    expect(r.participating).toEqual({ areaCenti: 40000, headcount: 2, houses: 4 });
    expect(r.quorum.met).toBe(true);
    // 300/400 of the area agrees, but 1 of 2 counted persons is exactly half: fails.
    expect(r.agree).toEqual({ areaCenti: 30000, headcount: 1 });
    expect(r.approval).toEqual({ area: true, headcount: false, met: false });
    expect(r.passed).toBe(false);
  });

  it('co-owners of one house count once', () => {
    const roll = [h('h1', 90, 'husband', 'wife'), h('h2', 90, 'C'), h('h3', 90, 'D')];
    const r = tallyOwnersVote(7, roll, [b('h1', 'agree'), b('h2', 'agree')]);
    expect(r.total.headcount).toBe(3);
    expect(r.participating.headcount).toBe(2);
    expect(r.passed).toBe(true);
  });

  it('houses linked through a shared co-owner are one counted person', () => {
    const roll = [h('h1', 80, 'A', 'B'), h('h2', 80, 'B'), h('h3', 80, 'C', 'D'), h('h4', 80, 'D', 'E'), h('h5', 80, 'F')];
    const g = counterGroups(roll);
    expect(g[0]).toBe(g[1]);
    expect(g[2]).toBe(g[3]);
    expect(new Set(g).size).toBe(3);
  });

  it('houses with no recorded owner count as one person together (the developer)', () => {
    const roll = [h('h1', 100), h('h2', 100), h('h3', 100, 'a'), h('h4', 100, 'b')];
    const r = tallyOwnersVote(9, roll, [b('h3', 'agree'), b('h4', 'agree')]);
    expect(r.total.headcount).toBe(3);
    expect(r.housesWithoutOwner).toBe(2);
    // headcount 2/3 participates, but area 200/400 does not
    expect(r.quorum).toEqual({ area: false, headcount: true, met: false });
  });

  it('abstentions take part without agreeing', () => {
    const roll = plain(4);
    const r = tallyOwnersVote(9, roll, [b('h1', 'agree'), b('h2', 'agree'), b('h3', 'abstain')]);
    expect(r.participating.headcount).toBe(3);
    expect(r.abstain).toEqual({ areaCenti: 10000, headcount: 1 });
    expect(r.passed).toBe(true); // 2 of 3 participants
    const half = tallyOwnersVote(9, roll, [b('h1', 'agree'), b('h2', 'agree'), b('h3', 'abstain'), b('h4', 'abstain')]);
    expect(half.passed).toBe(false); // exactly half
    const third = tallyOwnersVote(9, roll, [b('h1', 'agree'), b('h2', 'disagree'), b('h3', 'abstain')]);
    expect(third.passed).toBe(false);
  });
});

describe('problems are reported with the rows that cause them', () => {
  it('unknown houses, duplicate ballots and one person with different choices', () => {
    const roll = [h('h1', 100, 'A'), h('h2', 100, 'A'), h('h3', 100, 'B')];
    const r = tallyOwnersVote(7, roll, [
      { houseCode: 'h1', choice: 'agree', ref: 2 },
      { houseCode: 'h2', choice: 'disagree', ref: 3 },
      { houseCode: 'h3', choice: 'agree', ref: 4 },
      { houseCode: 'h3', choice: 'agree', ref: 5 },
      { houseCode: 'zz', choice: 'agree', ref: 6 },
    ]);
    expect(r.problems).toEqual(
      expect.arrayContaining([
        { kind: 'unknown_house', houseCode: 'zz', refs: [6] },
        { kind: 'duplicate_ballot', houseCode: 'h3', refs: [4, 5] },
        { kind: 'mixed_choices', houseCodes: ['h1', 'h2'], refs: [2, 3] },
      ]),
    );
    expect(tallyOwnersVote(7, [h('x', 1, 'a'), h('x', 1, 'b')], []).problems).toEqual([{ kind: 'duplicate_house', houseCode: 'x' }]);
  });

  it('areas are counted in hundredths, null areas are reported as 0', () => {
    expect(toCenti('89.35')).toBe(8935);
    expect(toCenti(0.1 + 0.2)).toBe(30);
    expect(toCenti(null)).toBe(0);
    expect(toCenti('abc')).toBe(0);
    expect(tallyOwnersVote(7, [h('h1', null, 'a')], []).housesWithoutArea).toEqual(['h1']);
  });

  it('reads Chinese and English choices', () => {
    expect(['同意', '反对', '不同意', '弃权', ' Agree ', 'x'].map(parseChoice)).toEqual([
      'agree',
      'disagree',
      'disagree',
      'abstain',
      'agree',
      null,
    ]);
  });
});

// ---------------------------------------------------------------- properties

/** An independent, naive reference: O(n²) grouping and exact BigInt fractions. */
function reference(matter: Matter, roll: RollHouse[], ballots: HouseBallot[]) {
  const groups: Set<number>[] = [];
  const unowned = roll.map((r, i) => (r.ownerIds.length ? -1 : i)).filter((i) => i >= 0);
  if (unowned.length) groups.push(new Set(unowned));
  for (let i = 0; i < roll.length; i++) {
    if (!roll[i].ownerIds.length) continue;
    const touching = groups.filter((g) => [...g].some((j) => roll[j].ownerIds.some((o) => roll[i].ownerIds.includes(o))));
    const merged = new Set<number>([i]);
    for (const g of touching) for (const j of g) merged.add(j);
    for (const g of touching) groups.splice(groups.indexOf(g), 1);
    groups.push(merged);
  }
  const choice = new Map(ballots.map((x) => [x.houseCode, x.choice]));
  const area = (i: number) => BigInt(Math.round(Number(roll[i].area) * 100));
  let total = 0n;
  let part = 0n;
  let yes = 0n;
  roll.forEach((r, i) => {
    total += area(i);
    if (choice.has(r.houseCode)) part += area(i);
    if (choice.get(r.houseCode) === 'agree') yes += area(i);
  });
  let partHead = 0n;
  let yesHead = 0n;
  for (const g of groups) {
    const cs = [...g].map((i) => choice.get(roll[i].houseCode)).filter(Boolean);
    if (cs.length) partHead++;
    if (cs.length && cs[0] === 'agree') yesHead++;
  }
  const totalHead = BigInt(groups.length);
  const quorum = total > 0n && part * 3n >= total * 2n && totalHead > 0n && partHead * 3n >= totalHead * 2n;
  const ok = (a: bigint, n: bigint) => (matter >= 6 && matter <= 8 ? n > 0n && a * 4n >= n * 3n : n > 0n && a * 2n > n);
  return quorum && ok(yes, part) && ok(yesHead, partHead);
}

const rollArb = fc
  .array(
    fc.record({
      area: fc.integer({ min: 3000, max: 20000 }).map((c) => (c / 100).toFixed(2)),
      owners: fc.uniqueArray(fc.constantFrom('A', 'B', 'C', 'D', 'E', 'F', 'G', 'H', 'I', 'J', 'K', 'L'), { maxLength: 2 }),
      choice: fc.constantFrom<Choice | null>('agree', 'agree', 'disagree', 'abstain', null, 'agree'),
    }),
    { minLength: 1, maxLength: 14 },
  )
  .map((rows) => {
    const roll = rows.map((r, i) => h(`h${i}`, r.area, ...r.owners));
    // one choice per counted person, as the service enforces
    const g = counterGroups(roll);
    const first = new Map<number, Choice | null>();
    rows.forEach((r, i) => {
      if (!first.has(g[i])) first.set(g[i], r.choice);
    });
    const ballots = rows.flatMap((r, i) => {
      const c = first.get(g[i]) ?? null;
      return c && r.choice !== null ? [b(`h${i}`, c)] : [];
    });
    return { roll, ballots };
  });

describe('properties', () => {
  const matterArb = fc.integer({ min: 1, max: 9 }) as fc.Arbitrary<Matter>;

  it('agrees with an independent naive reference on random estates', () => {
    fc.assert(
      fc.property(matterArb, rollArb, (m, { roll, ballots }) => {
        const r = tallyOwnersVote(m, roll, ballots);
        expect(r.problems).toEqual([]);
        expect(r.passed).toBe(reference(m, roll, ballots));
      }),
      { numRuns: 2000 },
    );
  });

  it('turning a disagreeing counted person into an agreeing one never turns a pass into a failure', () => {
    fc.assert(
      fc.property(matterArb, rollArb, (m, { roll, ballots }) => {
        const before = tallyOwnersVote(m, roll, ballots);
        const g = counterGroups(roll);
        const idx = new Map(roll.map((x, i) => [x.houseCode, i]));
        const target = ballots.find((x) => x.choice === 'disagree');
        if (!target) return;
        const tg = g[idx.get(target.houseCode)!];
        const flipped = ballots.map((x) => (g[idx.get(x.houseCode)!] === tg ? { ...x, choice: 'agree' as Choice } : x));
        if (before.passed) expect(tallyOwnersVote(m, roll, flipped).passed).toBe(true);
      }),
    );
  });

  it('the order of houses and ballots does not matter', () => {
    fc.assert(
      fc.property(matterArb, rollArb, (m, { roll, ballots }) => {
        const a = tallyOwnersVote(m, roll, ballots);
        const c = tallyOwnersVote(m, [...roll].reverse(), [...ballots].reverse());
        expect(c.passed).toBe(a.passed);
        expect(c.participating).toEqual(a.participating);
        expect(c.agree).toEqual(a.agree);
        expect(c.total).toEqual(a.total);
      }),
    );
  });

  it('headcount never exceeds the houses, and equals them when nobody owns two', () => {
    fc.assert(
      fc.property(rollArb, ({ roll }) => {
        const r = tallyOwnersVote(7, roll, []);
        expect(r.total.headcount).toBeLessThanOrEqual(roll.length);
        const owners = roll.flatMap((x) => x.ownerIds);
        if (new Set(owners).size === owners.length && roll.every((x) => x.ownerIds.length > 0)) expect(r.total.headcount).toBe(roll.length);
      }),
    );
  });
});

describe('performance', () => {
  it('tallies 100,000 ballots well under 2 s (budget votes.tally-100k)', () => {
    const roll: RollHouse[] = [];
    const ballots: HouseBallot[] = [];
    for (let i = 0; i < 100_000; i++) {
      // every 50th owner holds a second house; every 20th house has co-owners
      const owner = i % 50 === 1 ? `o${i - 1}` : `o${i}`;
      roll.push(h(`h${i}`, (60 + (i % 90)).toFixed(2), ...(i % 20 === 0 ? [owner, `s${i}`] : [owner])));
    }
    const g = counterGroups(roll);
    const choices: Choice[] = ['agree', 'agree', 'agree', 'agree', 'disagree', 'abstain'];
    for (let i = 0; i < roll.length; i++) ballots.push(b(roll[i].houseCode, choices[g[i] % choices.length]));
    // CPU time, not wall time: on a shared two-core machine running the whole suite, this process
    // may wait seconds for a core; the budget is about the work the count does (the wall-clock
    // figure on a quiet machine comes from `gongzhi bench --only votes`).
    const cpu0 = process.cpuUsage();
    const t0 = performance.now();
    const r = tallyOwnersVote(7, roll, ballots);
    const wall = performance.now() - t0;
    const used = process.cpuUsage(cpu0);
    const ms = (used.user + used.system) / 1000;
    expect(r.problems).toEqual([]);
    expect(r.participating.houses).toBe(100_000);
    expect(r.total.headcount).toBeLessThan(100_000); // owners of two flats count once
    expect(ms).toBeLessThan(2000);
    console.log(`tally of 100,000 ballots: ${ms.toFixed(0)} ms CPU, ${wall.toFixed(0)} ms wall`);
  });
});

describe('selections (十佳公约)', () => {
  it('counts each option once per ballot and picks the first places', () => {
    const r = tallySelection(['a', 'b', 'c', 'd'], [['a', 'b'], ['a', 'a', 'c'], ['b', 'a'], ['d']], 2);
    expect(r.counts).toEqual([
      { optionId: 'a', votes: 3, rank: 1 },
      { optionId: 'b', votes: 2, rank: 2 },
      { optionId: 'c', votes: 1, rank: 3 },
      { optionId: 'd', votes: 1, rank: 3 },
    ]);
    expect(r.winners).toEqual(['a', 'b']);
    expect(r.tieAtCut).toEqual([]);
  });

  it('reports a tie across the cut instead of breaking it', () => {
    const r = tallySelection(['a', 'b', 'c'], [['a', 'b', 'c'], ['a']], 2);
    expect(r.tieAtCut).toEqual(['b', 'c']);
    expect(r.winners).toEqual(['a']);
  });
});
