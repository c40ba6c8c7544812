import { parse } from 'csv-parse/sync';
import { isMatter, parseChoice, tallyOwnersVote, type HouseBallot, type Matter, type RollHouse, type TallyResult } from './tally.ts';

/**
 * Counting a paper vote from two CSV files (`gongzhi vote tally`): owners.csv
 * (house_code,owner_id,area_m2; co-owners repeat the house with the same area) and ballots.csv
 * (house_code,choice). Rows are named by their line number in the file (the header is line 1).
 * Parsing is pure: the command reads the files and prints.
 */

export interface PaperProblem {
  file: 'owners' | 'ballots';
  lines: number[];
  message: string;
}

export type PaperTally = { ok: true; result: TallyResult } | { ok: false; problems: PaperProblem[] };

function rows(text: string): Record<string, string>[] {
  return parse(text.replace(/^\uFEFF/, ''), {
    columns: (h: string[]) => h.map((x) => x.trim().toLowerCase()),
    skip_empty_lines: true,
    trim: true,
  });
}

function headerProblem(file: 'owners' | 'ballots', got: Record<string, string>[], need: string[]): PaperProblem | null {
  if (!got.length) return null;
  const missing = need.filter((c) => !(c in got[0]));
  return missing.length ? { file, lines: [1], message: `missing column(s): ${missing.join(', ')}` } : null;
}

export function tallyPaperFiles(matterRaw: number, ownersCsv: string, ballotsCsv: string): PaperTally {
  const problems: PaperProblem[] = [];
  if (!isMatter(matterRaw))
    return { ok: false, problems: [{ file: 'owners', lines: [], message: `--matter must be 1–9, got ${matterRaw}` }] };
  const matter: Matter = matterRaw;
  let ownerRows: Record<string, string>[];
  let ballotRows: Record<string, string>[];
  try {
    ownerRows = rows(ownersCsv);
    ballotRows = rows(ballotsCsv);
  } catch (e) {
    return { ok: false, problems: [{ file: 'owners', lines: [], message: `unreadable CSV: ${(e as Error).message}` }] };
  }
  const hp = [
    headerProblem('owners', ownerRows, ['house_code', 'owner_id', 'area_m2']),
    headerProblem('ballots', ballotRows, ['house_code', 'choice']),
  ];
  if (hp.some(Boolean)) return { ok: false, problems: hp.filter((p): p is PaperProblem => p !== null) };

  const houses = new Map<string, { area: string; owners: string[]; line: number }>();
  ownerRows.forEach((r, i) => {
    const line = i + 2;
    const code = r.house_code;
    const area = r.area_m2;
    if (!code || !r.owner_id) problems.push({ file: 'owners', lines: [line], message: 'house_code and owner_id are required' });
    else if (!/^\d+(\.\d{1,2})?$/.test(area ?? ''))
      problems.push({ file: 'owners', lines: [line], message: `area_m2 "${area}" is not a number of m²` });
    else {
      const seen = houses.get(code);
      if (!seen) houses.set(code, { area, owners: [r.owner_id], line });
      else if (Number(seen.area) !== Number(area))
        problems.push({
          file: 'owners',
          lines: [seen.line, line],
          message: `house ${code} has two different areas (${seen.area}, ${area})`,
        });
      else if (!seen.owners.includes(r.owner_id)) seen.owners.push(r.owner_id);
    }
  });
  const ballots: HouseBallot[] = [];
  ballotRows.forEach((r, i) => {
    const line = i + 2;
    const choice = parseChoice(r.choice ?? '');
    if (!choice)
      problems.push({ file: 'ballots', lines: [line], message: `choice "${r.choice}" is not agree/disagree/abstain (同意/反对/弃权)` });
    else ballots.push({ houseCode: r.house_code, choice, ref: line });
  });
  const roll: RollHouse[] = [...houses].map(([houseCode, v]) => ({ houseCode, area: v.area, ownerIds: v.owners }));
  const result = tallyOwnersVote(matter, roll, ballots);
  for (const p of result.problems) {
    if (p.kind === 'unknown_house') problems.push({ file: 'ballots', lines: p.refs as number[], message: `unknown house ${p.houseCode}` });
    if (p.kind === 'duplicate_ballot')
      problems.push({ file: 'ballots', lines: p.refs as number[], message: `more than one ballot for house ${p.houseCode}` });
    if (p.kind === 'mixed_choices')
      problems.push({
        file: 'ballots',
        lines: p.refs as number[],
        message: `houses ${p.houseCodes.join(', ')} belong to one counted owner but carry different choices`,
      });
  }
  if (problems.length) return { ok: false, problems };
  return { ok: true, result };
}

/** The command's --json output: the four shares as fractions and the verdict. */
export function paperJson(r: TallyResult) {
  return {
    participationArea: r.shares.participationArea,
    participationHeadcount: r.shares.participationHeadcount,
    approvalArea: r.shares.approvalArea,
    approvalHeadcount: r.shares.approvalHeadcount,
    passed: r.passed,
  };
}

const pct = (x: number) => `${(x * 100).toFixed(2)}%`;
const m2 = (c: number) => (c / 100).toFixed(2);

export function paperText(r: TallyResult): string {
  const rule = r.rule === 'three_quarters' ? '≥ 3/4' : '> 1/2';
  return [
    `事项 matter (${r.matter}); approval rule ${rule} of participating area and headcount`,
    `参与 participation: area ${m2(r.participating.areaCenti)}/${m2(r.total.areaCenti)} m² = ${pct(r.shares.participationArea)} (${r.quorum.area ? 'met' : 'NOT met'}), headcount ${r.participating.headcount}/${r.total.headcount} = ${pct(r.shares.participationHeadcount)} (${r.quorum.headcount ? 'met' : 'NOT met'})`,
    `同意 approval: area ${m2(r.agree.areaCenti)}/${m2(r.participating.areaCenti)} m² = ${pct(r.shares.approvalArea)} (${r.approval.area ? 'met' : 'NOT met'}), headcount ${r.agree.headcount}/${r.participating.headcount} = ${pct(r.shares.approvalHeadcount)} (${r.approval.headcount ? 'met' : 'NOT met'})`,
    `反对 disagree: ${m2(r.disagree.areaCenti)} m², ${r.disagree.headcount}; 弃权 abstain: ${m2(r.abstain.areaCenti)} m², ${r.abstain.headcount}`,
    r.passed ? '结果 result: 通过 PASSED' : '结果 result: 未通过 NOT PASSED',
  ].join('\n');
}
