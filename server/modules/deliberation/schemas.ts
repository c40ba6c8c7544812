import { Type } from 'typebox';
import { StringEnum } from '../../core/schema.ts';
import { BODY_KINDS, SEATS } from './rules.ts';

/** TypeBox schemas of the deliberation API, shared with web/. */

export const TopicStatus = StringEnum(['open', 'agenda', 'event', 'replied', 'closed'] as const);
export const BodyKind = StringEnum(BODY_KINDS);
export const Seat = StringEnum(SEATS);
export const MeetingStatus = StringEnum(['planned', 'noticed', 'held', 'published'] as const);
export const Decision = StringEnum(['adopted', 'rejected', 'deferred'] as const);
export const VoteKind = StringEnum(['selection', 'owners'] as const);
export const VoteStatus = StringEnum(['draft', 'open', 'closed'] as const);
export const Choice = StringEnum(['agree', 'disagree', 'abstain'] as const);
export const NoticeKind = StringEnum(['affairs', 'finance', 'service', 'party'] as const);

export const Id = Type.Object({ id: Type.String({ format: 'uuid' }) });
export const PlaceCode = Type.String({ pattern: '^[0-9]{12}([0-9]{3}([0-9]{3}([0-9]{2}([0-9]{4})?)?)?)?$' });
export const Version = Type.Integer({ minimum: 1 });
export const DateOnly = Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$' });

export const RaiseTopicBody = Type.Object(
  {
    placeCode: PlaceCode,
    title: Type.String({ minLength: 2, maxLength: 60 }),
    body: Type.String({ minLength: 2, maxLength: 2000 }),
    photos: Type.Optional(
      Type.Array(
        Type.Object(
          { contentType: Type.String({ maxLength: 40 }), dataBase64: Type.String({ maxLength: 420_000 }) },
          { additionalProperties: false },
        ),
        { maxItems: 3 },
      ),
    ),
    clientKey: Type.Optional(Type.String({ minLength: 8, maxLength: 64 })),
  },
  { additionalProperties: false },
);

export const TriageBody = Type.Object(
  {
    version: Version,
    action: StringEnum(['agenda', 'event', 'reply', 'close'] as const),
    reply: Type.Optional(Type.String({ maxLength: 2000 })),
    meetingId: Type.Optional(Type.String({ format: 'uuid' })),
    eventRef: Type.Optional(Type.String({ maxLength: 60 })),
    categoryCode: Type.Optional(Type.String({ minLength: 1, maxLength: 20 })),
  },
  { additionalProperties: false },
);

export const TaskBody = Type.Object(
  { title: Type.String({ minLength: 2, maxLength: 200 }), ownerName: Type.String({ minLength: 1, maxLength: 60 }), dueDate: DateOnly },
  { additionalProperties: false },
);

export const CreateVoteBody = Type.Object(
  {
    placeCode: PlaceCode,
    kind: VoteKind,
    title: Type.String({ minLength: 2, maxLength: 100 }),
    description: Type.Optional(Type.String({ maxLength: 4000 })),
    matter: Type.Optional(Type.Integer({ minimum: 1, maximum: 9 })),
    options: Type.Optional(
      Type.Array(
        Type.Object(
          { label: Type.String({ minLength: 1, maxLength: 100 }), detail: Type.Optional(Type.String({ maxLength: 1000 })) },
          { additionalProperties: false },
        ),
        { maxItems: 100 },
      ),
    ),
    maxChoices: Type.Optional(Type.Integer({ minimum: 1, maximum: 100 })),
    winners: Type.Optional(Type.Integer({ minimum: 1, maximum: 100 })),
    secret: Type.Optional(Type.Boolean()),
    opensAt: Type.String({ format: 'date-time' }),
    closesAt: Type.String({ format: 'date-time' }),
  },
  { additionalProperties: false },
);

export const AdoptionBody = {
  text: Type.String({ minLength: 2, maxLength: 20000 }),
  adoptedOn: DateOnly,
  adoptedBy: Type.String({ minLength: 2, maxLength: 200 }),
  voteId: Type.Optional(Type.String({ format: 'uuid' })),
  meetingId: Type.Optional(Type.String({ format: 'uuid' })),
};
