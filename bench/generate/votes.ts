import { textArray } from './bulk.ts';
import { weightedIndex } from './census.ts';
import type { TerritoryOutput } from './territory.ts';
import type { GenContext, GeneratorResult, RecordGenerator } from './types.ts';

/**
 * Owners' votes and their ballots at scale for the votes module (issue 7): each generated
 * community holds an owners' decision (业主共同决定, Civil Code Art. 278) over all its houses, with
 * the owners' roll frozen as the app freezes it when a vote opens (every house, its exclusive area
 * and its current owners from `person_house`) and one ballot per voting house, as the app writes
 * them (voter key `house:<code>`, online or entered from paper). Turnout is 60–90% of the houses
 * that have owners; an owner of several houses votes the same way for all of them (the one-choice
 * rule the app enforces). --ballots N stops at exactly N ballots, holding further rounds of votes
 * in the same communities when one round is not enough.
 */

const VOTE_COLUMNS = [
  'district_code',
  'id',
  'community_code',
  'place_code',
  'path',
  'kind',
  'title',
  'matter',
  'status',
  'opens_at',
  'closes_at',
  'opened_at',
  'created_by_name',
];
const ROLL_COLUMNS = ['district_code', 'vote_id', 'house_code', 'area', 'owner_ids'];
const BALLOT_COLUMNS = [
  'district_code',
  'id',
  'vote_id',
  'voter_key',
  'house_code',
  'channel',
  'choice',
  'receipt',
  'entered_by_name',
  'cast_at',
];

/** Art. 278 matters and a title for each (4 选聘物业, 5 使用维修资金, 8 改变共有部分用途, 9 其他). */
const MATTERS: [number, string][] = [
  [4, '关于续聘物业服务企业的业主表决'],
  [5, '关于使用专项维修资金更换电梯的业主表决'],
  [8, '关于将闲置架空层改建为老年活动室的业主表决'],
  [9, '关于增设非机动车充电设施的业主表决'],
];
const CHOICES = ['agree', 'disagree', 'abstain'] as const;
const CHOICE_WEIGHTS = [70, 18, 12];
const RECEIPT_ALPHABET = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789';
const DAY = 86400_000;

interface RollHouse {
  house_code: string;
  area: string | null;
  owner_ids: string[];
}

export const votesGenerator: RecordGenerator = {
  name: 'votes',
  sizeOption: 'ballots',
  description: "owners' votes with their frozen rolls and one ballot per voting house",
  tables: [
    {
      table: 'delib_vote',
      checksumColumns: ['id', 'community_code', 'place_code', 'path::text', 'kind', 'title', 'matter', 'status', 'opens_at', 'closes_at'],
      generatedRows: "t.community_code = any($1) and t.created_by_name = 'cli:bench-generate'",
    },
    {
      table: 'delib_vote_roll',
      checksumColumns: ['vote_id', 'house_code', 'area::text', 'owner_ids::text'],
      generatedRows:
        "exists (select 1 from delib_vote v where v.district_code = t.district_code and v.id = t.vote_id and v.community_code = any($1) and v.created_by_name = 'cli:bench-generate')",
    },
    {
      table: 'delib_ballot',
      checksumColumns: ['id', 'vote_id', 'voter_key', 'house_code', 'channel', 'choice', 'receipt', 'entered_by_name', 'cast_at'],
      generatedRows:
        "exists (select 1 from delib_vote v where v.district_code = t.district_code and v.id = t.vote_id and v.community_code = any($1) and v.created_by_name = 'cli:bench-generate')",
    },
  ],
  async run(ctx: GenContext): Promise<GeneratorResult> {
    const want = ctx.opts.sizes.ballots ?? 0;
    if (!want) return { rows: {} };
    const territory = ctx.outputs.territory as TerritoryOutput | undefined;
    if (!territory) throw new Error('the votes generator needs the territory and people generators first');
    const { sink } = ctx;
    const d = ctx.opts.districtCode;
    const asOfMs = Date.parse(`${ctx.opts.asOf}T00:00:00Z`);
    await sink.flush();
    sink.declare('delib_vote', VOTE_COLUMNS);
    sink.declare('delib_vote_roll', ROLL_COLUMNS);
    sink.declare('delib_ballot', BALLOT_COLUMNS);
    // Every community's roll: houses in code order, owners in id order. Two plain scans merged
    // here, not a join: the tables were loaded in this transaction and have no statistics yet, and
    // the planner's nested loop over them would take minutes.
    const codes = territory.communities.map((c) => c.code);
    const houses = await ctx.db.query<{ house_code: string; area: string | null }>(
      `select code as house_code, area::text as area from house where district_code = $1 and substr(code, 1, 12) = any($2) order by code`,
      [d, codes],
    );
    const owners = await ctx.db.query<{ house_code: string; person_id: string }>(
      `select house_code, person_id::text as person_id from person_house
        where district_code = $1 and substr(house_code, 1, 12) = any($2) and relation = 'owner' and move_out is null
        order by house_code, person_id`,
      [d, codes],
    );
    const ownersOf = new Map<string, string[]>();
    for (const o of owners) {
      const list = ownersOf.get(o.house_code);
      if (list) list.push(o.person_id);
      else ownersOf.set(o.house_code, [o.person_id]);
    }
    const rolls = new Map<string, RollHouse[]>(codes.map((c) => [c, []]));
    const allHouses = houses.map((h) => ({ ...h, owner_ids: ownersOf.get(h.house_code) ?? [] }));
    for (const h of allHouses) rolls.get(h.house_code.slice(0, 12))!.push(h);
    const voting = allHouses.filter((h) => h.owner_ids.length).length;
    if (!voting) throw new Error('--ballots: the generated communities have no owned houses to vote');
    let ballots = 0;
    let votes = 0;
    for (let round = 1; ballots < want; round++) {
      for (const c of territory.communities) {
        if (ballots >= want) break;
        const roll = rolls.get(c.code)!;
        if (!roll.some((h) => h.owner_ids.length)) continue;
        const rng = ctx.rng('votes', c.code, String(round));
        votes++;
        const id = ctx.uuid('delib_vote', votes);
        const [matter, title] = MATTERS[(votes - 1) % MATTERS.length];
        const opens = asOfMs - (round * 45 + rng.int(10, 30)) * DAY;
        await sink.push('delib_vote', [
          d,
          id,
          c.code,
          c.code,
          c.path,
          'owners',
          `${c.name}${title}${round > 1 ? `（第${round}轮）` : ''}`,
          matter,
          'open',
          new Date(opens).toISOString(),
          new Date(opens + 30 * DAY).toISOString(),
          new Date(opens).toISOString(),
          'cli:bench-generate',
        ]);
        const turnout = rng.float(0.6, 0.9);
        const ownerChoice = new Map<string, string>();
        for (const h of roll) {
          await sink.push('delib_vote_roll', [d, id, h.house_code, h.area, textArray(h.owner_ids)]);
          if (!h.owner_ids.length || ballots >= want || !rng.chance(turnout)) continue;
          const known = h.owner_ids.map((o) => ownerChoice.get(o)).find((x) => x !== undefined);
          const choice = known ?? CHOICES[weightedIndex(rng, CHOICE_WEIGHTS)];
          for (const o of h.owner_ids) ownerChoice.set(o, choice);
          const paper = rng.chance(0.45);
          const receipt = Array.from({ length: 10 }, () => RECEIPT_ALPHABET[rng.int(0, RECEIPT_ALPHABET.length - 1)]).join('');
          ballots++;
          await sink.push('delib_ballot', [
            d,
            ctx.uuid('delib_ballot', ballots),
            id,
            `house:${h.house_code}`,
            h.house_code,
            paper ? 'paper' : 'online',
            choice,
            receipt,
            paper ? `${c.name}业委会 计票员` : null,
            new Date(opens + rng.int(0, 29 * 24 * 60) * 60_000).toISOString(),
          ]);
        }
      }
    }
    await sink.flush();
    const w = sink.written;
    return {
      rows: { delib_vote: w.delib_vote, delib_vote_roll: w.delib_vote_roll, delib_ballot: w.delib_ballot },
      output: { votes, ballots },
    };
  },
};
