import { Type, type TSchema } from 'typebox';
import Value from 'typebox/value';
import {
  APPRAISALS,
  checkRules,
  EDUCATIONS,
  MAX_GRADE,
  POSTS,
  SOCIAL_WORK_LEVELS,
  STEPS,
  SUBSIDY_MAX_FEN,
  SUBSIDY_MIN_FEN,
} from './pay-rules.ts';
import type { PayRules, RuleProblem } from './pay-rules.ts';

/**
 * The shape of a pay rule set as TypeBox schemas (one per scheme kind), checked before the pure
 * rules of pay-rules.ts (checkRules: ordering, bounds that depend on each other). Together they
 * give one list of problems, each with the dotted field it is about ("subsidyFen.staff.0"), which
 * the scheme editor shows under that field. The route accepts any object so that a wrong field
 * comes back in this form rather than as a validator's path.
 */

const Fen = Type.Integer({ minimum: 0, maximum: 10_000_000 });
const byKeys = <K extends string>(keys: readonly K[], value: TSchema) =>
  Type.Object(Object.fromEntries(keys.map((k) => [k, value])) as Record<K, TSchema>, { additionalProperties: false });
const SmallInt = Type.Integer({ minimum: 0, maximum: 6 });

const Common = {
  performanceFen: byKeys(APPRAISALS, Fen),
  qualificationFen: byKeys(SOCIAL_WORK_LEVELS, Fen),
  gridPerformanceMaxFen: Fen,
  otherItems: Type.Array(
    Type.Object(
      {
        code: Type.String({ pattern: '^[a-z0-9_]{1,30}$' }),
        label: Type.String({ minLength: 1, maxLength: 30 }),
        amountFen: Fen,
        when: Type.Union([Type.Literal('all'), Type.Literal('party_affairs'), ...POSTS.map((p) => Type.Literal(p))]),
      },
      { additionalProperties: false },
    ),
    { maxItems: 20 },
  ),
};

export const ThreePostRulesSchema = Type.Object(
  {
    kind: Type.Literal('three_post_eighteen_grade'),
    postPayFen: byKeys(['head', 'deputy', 'staff'] as const, Fen),
    gradePayFen: byKeys(['head', 'deputy', 'staff'] as const, Type.Array(Fen, { minItems: MAX_GRADE, maxItems: MAX_GRADE })),
    yearsPerGrade: Type.Integer({ minimum: 1, maximum: 10 }),
    educationGrades: byKeys(EDUCATIONS, SmallInt),
    qualificationGrades: byKeys(SOCIAL_WORK_LEVELS, SmallInt),
    ...Common,
  },
  { additionalProperties: false },
);

export const FourLevelRulesSchema = Type.Object(
  {
    kind: Type.Literal('four_level_six_step'),
    postPayFen: byKeys(POSTS, Fen),
    subsidyFen: byKeys(
      POSTS,
      Type.Array(Type.Integer({ minimum: SUBSIDY_MIN_FEN, maximum: SUBSIDY_MAX_FEN }), { minItems: STEPS, maxItems: STEPS }),
    ),
    points: Type.Object(
      {
        perYear: Type.Integer({ minimum: 0, maximum: 100 }),
        maxYears: Type.Integer({ minimum: 0, maximum: 60 }),
        appraisal: byKeys(APPRAISALS, Type.Integer({ minimum: -100, maximum: 100 })),
        education: byKeys(EDUCATIONS, Type.Integer({ minimum: 0, maximum: 100 })),
      },
      { additionalProperties: false },
    ),
    stepThresholds: Type.Array(Type.Integer({ minimum: 0, maximum: 1000 }), { minItems: STEPS, maxItems: STEPS }),
    ...Common,
  },
  { additionalProperties: false },
);

interface SchemaError {
  keyword: string;
  instancePath: string;
  params: Record<string, unknown>;
}

function reasonOf(e: SchemaError, field: string): string {
  const limit = e.params.limit;
  if (field.startsWith('subsidyFen.') && (e.keyword === 'minimum' || e.keyword === 'maximum')) return '职级补贴须在每月 400–2000 元之间';
  switch (e.keyword) {
    case 'type':
      return '类型不正确';
    case 'minimum':
      return `不能小于 ${String(limit)}`;
    case 'maximum':
      return `不能大于 ${String(limit)}`;
    case 'minItems':
    case 'maxItems':
      return `须有 ${String(limit)} 项`;
    case 'required':
      return '缺少此项';
    case 'boolean': // additionalProperties: false, reported at the extra field
      return '不认识的字段';
    case 'pattern':
    case 'minLength':
    case 'maxLength':
      return '格式不正确';
    default:
      return '取值不正确';
  }
}

/** The problems of a rule set by its shape (TypeBox), then by the pay rules; none when it may be saved. */
export function validateRules(input: unknown): { ok: true; rules: PayRules } | { ok: false; problems: RuleProblem[] } {
  const kind = (input as { kind?: unknown } | null)?.kind;
  const schema = kind === 'three_post_eighteen_grade' ? ThreePostRulesSchema : kind === 'four_level_six_step' ? FourLevelRulesSchema : null;
  if (!schema || typeof input !== 'object') return { ok: false, problems: [{ field: 'kind', reason: '未知的薪酬体系' }] };
  const seen = new Set<string>();
  const problems: RuleProblem[] = [];
  const add = (p: RuleProblem) => {
    if (seen.has(p.field)) return;
    seen.add(p.field);
    problems.push(p);
  };
  for (const e of Value.Errors(schema, input) as SchemaError[]) {
    // A union's branches each report a const error: its anyOf error is enough. An extra field is
    // reported twice too: at the field (keyword boolean), kept, and at its parent, skipped.
    if (e.keyword === 'const' || e.keyword === 'additionalProperties') continue;
    const missing = e.keyword === 'required' ? (e.params.requiredProperties as string[] | undefined) : undefined;
    const base = e.instancePath.split('/').filter(Boolean).join('.');
    if (missing?.length) for (const m of missing) add({ field: base ? `${base}.${m}` : m, reason: reasonOf(e, m) });
    else add({ field: base, reason: reasonOf(e, base) });
  }
  const checked = checkRules(input);
  if (!checked.ok) for (const p of checked.problems) add(p);
  return problems.length ? { ok: false, problems } : { ok: true, rules: input as PayRules };
}
