import { Type } from 'typebox';
import { StringEnum } from '../../core/schema.ts';

/** TypeBox schemas of the workforce API (request bodies and queries; shared with web/ by shape). */

export const Education = StringEnum(['secondary', 'high_school', 'junior_college', 'bachelor', 'master', 'doctor'] as const);
export const Political = StringEnum(['party_member', 'probationary', 'league', 'masses'] as const);
export const Post = StringEnum(['dual_head', 'head', 'deputy', 'staff'] as const);
export const CertificateKind = StringEnum([
  'assistant_social_worker',
  'social_worker',
  'senior_social_worker',
  'counsellor',
  'other',
] as const);
export const Appraisal = StringEnum(['excellent', 'competent', 'basic', 'incompetent'] as const);
export const Stage = StringEnum(['draft', 'open', 'screening', 'written', 'interview', 'checks', 'notice', 'closed'] as const);
export const AppStatus = StringEnum([
  'submitted',
  'ineligible',
  'eligible',
  'failed',
  'ranked',
  'selected',
  'notice',
  'struck',
  'appointed',
  'reserve',
  'reserve_used',
] as const);
export const HonourKind = StringEnum(['service_certificate', 'service_medal', 'gengyun', 'award'] as const);
export const TrainingKind = StringEnum(['onboarding', 'lingyan', 'liangyan', 'chuyan', 'academy', 'external'] as const);

export const Day = Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$' });
export const Month = Type.String({ pattern: '^\\d{4}-(0[1-9]|1[0-2])$' });
export const Year = Type.Integer({ minimum: 1950, maximum: 2100 });
export const Uuid = Type.String({ format: 'uuid' });
export const IdParams = Type.Object({ id: Uuid });
export const CodeParams = Type.Object({ code: Type.String({ pattern: '^\\d{6,12}$' }) });
export const Version = Type.Integer({ minimum: 0 });
const closed = { additionalProperties: false } as const;

export const WorkerQuery = Type.Object({
  territoryCode: Type.Optional(Type.String({ pattern: '^\\d{6,12}$' })),
  q: Type.Optional(Type.String({ maxLength: 40 })),
  post: Type.Optional(Post),
  status: Type.Optional(StringEnum(['active', 'left', 'retired'] as const)),
  partyAffairs: Type.Optional(Type.Boolean()),
  certified: Type.Optional(Type.Boolean()),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 5000 })),
});

export const WorkerCreate = Type.Object(
  {
    personId: Type.Optional(Uuid),
    person: Type.Optional(
      Type.Object(
        {
          name: Type.String({ minLength: 1, maxLength: 40 }),
          idNumber: Type.String({ maxLength: 18 }),
          gender: Type.Optional(StringEnum(['M', 'F'] as const)),
          phone: Type.Optional(Type.String({ maxLength: 20 })),
        },
        closed,
      ),
    ),
    communityCode: Type.String({ pattern: '^\\d{12}$' }),
    education: Education,
    major: Type.Optional(Type.String({ maxLength: 60 })),
    fullTime: Type.Optional(Type.Boolean()),
    political: Type.Optional(Political),
    workStart: Day,
    partyAffairs: Type.Optional(Type.Boolean()),
    duties: Type.Optional(Type.Array(Type.String({ maxLength: 100 }), { maxItems: 20 })),
    onboardedOn: Type.Optional(Type.Union([Day, Type.Null()])),
    note: Type.Optional(Type.String({ maxLength: 500 })),
    post: Post,
    title: Type.Optional(Type.String({ maxLength: 40 })),
    postStart: Type.Optional(Day),
  },
  closed,
);

export const WorkerPatch = Type.Object(
  {
    version: Version,
    education: Type.Optional(Education),
    major: Type.Optional(Type.String({ maxLength: 60 })),
    fullTime: Type.Optional(Type.Boolean()),
    political: Type.Optional(Political),
    workStart: Type.Optional(Day),
    partyAffairs: Type.Optional(Type.Boolean()),
    duties: Type.Optional(Type.Array(Type.String({ maxLength: 100 }), { maxItems: 20 })),
    note: Type.Optional(Type.String({ maxLength: 500 })),
  },
  closed,
);

export const PostChange = Type.Object(
  {
    version: Version,
    post: Post,
    title: Type.Optional(Type.String({ maxLength: 40 })),
    communityCode: Type.Optional(Type.String({ pattern: '^\\d{12}$' })),
    startOn: Day,
    reason: Type.String({ minLength: 2, maxLength: 200 }),
  },
  closed,
);

export const Leave = Type.Object(
  { version: Version, on: Day, reason: Type.String({ minLength: 2, maxLength: 200 }), retired: Type.Optional(Type.Boolean()) },
  closed,
);

export const CertificateCreate = Type.Object(
  {
    kind: CertificateKind,
    name: Type.Optional(Type.String({ maxLength: 60 })),
    number: Type.Optional(Type.String({ maxLength: 40 })),
    issuedOn: Day,
    scan: Type.Optional(
      Type.Object(
        { name: Type.String({ maxLength: 100 }), type: Type.String({ maxLength: 40 }), base64: Type.String({ maxLength: 960_000 }) },
        closed,
      ),
    ),
  },
  closed,
);

export const AppraisalSet = Type.Object({ result: Appraisal, note: Type.Optional(Type.String({ maxLength: 200 })) }, closed);

export const CommunityStaffing = Type.Object(
  {
    version: Version,
    residents: Type.Optional(Type.Union([Type.Integer({ minimum: 0, maximum: 1_000_000 }), Type.Null()])),
    authorizedPosts: Type.Optional(Type.Integer({ minimum: 0, maximum: 500 })),
  },
  closed,
);

export const SettingsPatch = Type.Object(
  {
    version: Version,
    targetPer10k: Type.Optional(Type.Integer({ minimum: 1, maximum: 200 })),
    certificateYears: Type.Optional(Type.Integer({ minimum: 1, maximum: 60 })),
    medalYears: Type.Optional(Type.Integer({ minimum: 1, maximum: 60 })),
    gengyunYears: Type.Optional(Type.Integer({ minimum: 1, maximum: 60 })),
    trainingMinDays: Type.Optional(Type.Number({ minimum: 0, maximum: 60 })),
    /** The month by which each year's health check is due (1–12). */
    healthCheckByMonth: Type.Optional(Type.Integer({ minimum: 1, maximum: 12 })),
    paySchemeCode: Type.Optional(Type.Union([Type.String({ maxLength: 40 }), Type.Null()])),
  },
  closed,
);

const Requirements = Type.Object(
  {
    minAge: Type.Integer({ minimum: 16, maximum: 70 }),
    maxAge: Type.Integer({ minimum: 16, maximum: 70 }),
    ageOn: Day,
    minEducation: Education,
    majors: Type.Array(Type.String({ maxLength: 30 }), { maxItems: 20 }),
    fullTimeOnly: Type.Boolean(),
  },
  closed,
);

export const PlanCreate = Type.Object(
  {
    districtCode: Type.String({ pattern: '^\\d{6}$' }),
    year: Year,
    title: Type.String({ minLength: 4, maxLength: 100 }),
    requirements: Requirements,
    bonus: Type.Record(Type.String(), Type.Number({ minimum: 0, maximum: 20 })),
    writtenPass: Type.Optional(Type.Number({ minimum: 0, maximum: 100 })),
    interviewPass: Type.Optional(Type.Number({ minimum: 0, maximum: 100 })),
    writtenWeight: Type.Optional(Type.Number({ minimum: 0, maximum: 1 })),
    posts: Type.Array(
      Type.Object(
        {
          streetCode: Type.String({ pattern: '^\\d{9}$' }),
          name: Type.String({ minLength: 2, maxLength: 60 }),
          quota: Type.Integer({ minimum: 1, maximum: 500 }),
        },
        closed,
      ),
      {
        minItems: 1,
        maxItems: 100,
      },
    ),
  },
  closed,
);

export const ApplicationCreate = Type.Object(
  {
    postId: Uuid,
    name: Type.String({ minLength: 1, maxLength: 40 }),
    idNumber: Type.String({ maxLength: 18 }),
    phone: Type.Optional(Type.String({ maxLength: 20 })),
    education: Education,
    major: Type.Optional(Type.String({ maxLength: 60 })),
    fullTime: Type.Boolean(),
    political: Type.Optional(Political),
    certificates: Type.Optional(Type.Array(Type.Object({ kind: CertificateKind, issuedOn: Day }, closed), { maxItems: 10 })),
  },
  closed,
);

/** The public online form (网上报名): a phone is required so HR can reach the applicant. */
export const OnlineApplication = Type.Object(
  {
    postId: Uuid,
    name: Type.String({ minLength: 1, maxLength: 40 }),
    idNumber: Type.String({ minLength: 15, maxLength: 18 }),
    phone: Type.String({ minLength: 7, maxLength: 20 }),
    education: Education,
    major: Type.Optional(Type.String({ maxLength: 60 })),
    fullTime: Type.Boolean(),
    political: Type.Optional(Political),
    certificates: Type.Optional(
      Type.Array(
        Type.Object(
          {
            kind: CertificateKind,
            issuedOn: Day,
            file: Type.Optional(
              Type.Object(
                {
                  fileName: Type.String({ minLength: 1, maxLength: 120 }),
                  mime: Type.String({ maxLength: 60 }),
                  // 2 MB in base64, checked again on the decoded bytes
                  dataBase64: Type.String({ minLength: 4, maxLength: 2_800_000 }),
                },
                closed,
              ),
            ),
          },
          closed,
        ),
        { maxItems: 5 },
      ),
    ),
    clientKey: Type.Optional(Type.String({ minLength: 8, maxLength: 64 })),
  },
  closed,
);

export const Advance = Type.Object({ version: Version, to: Stage, noticeStart: Type.Optional(Day) }, closed);
export const Scores = Type.Object(
  {
    stage: StringEnum(['written', 'interview'] as const),
    scores: Type.Array(Type.Object({ applicationId: Uuid, score: Type.Number({ minimum: 0, maximum: 100 }) }, closed), {
      minItems: 1,
      maxItems: 5000,
    }),
  },
  closed,
);
export const Screen = Type.Object(
  { version: Version, eligible: Type.Boolean(), reason: Type.String({ minLength: 2, maxLength: 200 }) },
  closed,
);
export const Checks = Type.Object(
  {
    version: Version,
    medical: Type.Optional(StringEnum(['pass', 'fail'] as const)),
    background: Type.Optional(StringEnum(['pass', 'fail'] as const)),
    note: Type.Optional(Type.String({ maxLength: 200 })),
  },
  closed,
);
export const Objection = Type.Object({ receivedOn: Day, content: Type.String({ minLength: 4, maxLength: 1000 }) }, closed);
export const ObjectionDecision = Type.Object(
  { version: Version, finding: StringEnum(['upheld', 'dismissed'] as const), note: Type.String({ minLength: 2, maxLength: 500 }) },
  closed,
);

export const SchemeCreate = Type.Object(
  {
    districtCode: Type.String({ pattern: '^\\d{6}$' }),
    code: Type.String({ pattern: '^[a-z0-9-]{2,40}$' }),
    name: Type.String({ minLength: 2, maxLength: 60 }),
    effectiveFrom: Month,
    rules: Type.Object({}, { additionalProperties: true }),
    note: Type.Optional(Type.String({ maxLength: 500 })),
  },
  closed,
);
export const Preview = Type.Object(
  { workerId: Uuid, month: Month, rules: Type.Optional(Type.Object({}, { additionalProperties: true })), schemeId: Type.Optional(Uuid) },
  closed,
);

export const HonourCreate = Type.Object(
  {
    workerId: Type.Optional(Uuid),
    communityCode: Type.Optional(Type.String({ pattern: '^\\d{12}$' })),
    kind: HonourKind,
    title: Type.Optional(Type.String({ maxLength: 60 })),
    year: Year,
    amountFen: Type.Integer({ minimum: 0 }),
    awardedOn: Type.Optional(Day),
    awardedBy: Type.Optional(Type.String({ maxLength: 60 })),
  },
  closed,
);
export const CareCreate = Type.Object(
  {
    kind: StringEnum(['care_fund', 'health_check'] as const),
    year: Year,
    amountFen: Type.Optional(Type.Integer({ minimum: 0, maximum: 10_000_000 })),
    reason: Type.Optional(Type.String({ maxLength: 300 })),
    /** The day of a health check (today if left out). */
    checkedOn: Type.Optional(Day),
  },
  closed,
);

export const VisitKind = StringEnum(['household', 'business', 'follow_up', 'other'] as const);
export const VisitCreate = Type.Object(
  {
    workerId: Type.Optional(Uuid),
    visitedOn: Day,
    kind: VisitKind,
    place: Type.String({ minLength: 2, maxLength: 80 }),
    note: Type.Optional(Type.String({ maxLength: 500 })),
  },
  closed,
);
export const VisitQuery = Type.Object({ workerId: Type.Optional(Uuid), month: Month });
