/**
 * One error shape for the whole API: { error: { code, message, details } }.
 * Messages exist in Chinese and English; the request's Accept-Language picks one.
 */
export type Lang = 'zh' | 'en';

interface Entry {
  status: number;
  zh: string;
  en: string;
}

export const ERRORS = {
  VALIDATION_FAILED: { status: 400, zh: '请求内容不符合要求', en: 'The request is not valid' },
  MALFORMED_JSON: { status: 400, zh: '请求体不是有效的 JSON', en: 'The request body is not valid JSON' },
  UNSUPPORTED_MEDIA_TYPE: { status: 415, zh: '不支持的内容类型', en: 'Unsupported content type' },
  PAYLOAD_TOO_LARGE: { status: 413, zh: '请求内容过大', en: 'The request body is too large' },
  NOT_FOUND: { status: 404, zh: '找不到请求的资源', en: 'Not found' },
  ROUTE_NOT_FOUND: { status: 404, zh: '接口不存在', en: 'No such API route' },
  UNAUTHENTICATED: { status: 401, zh: '请先登录', en: 'Please sign in' },
  SESSION_EXPIRED: { status: 401, zh: '会话已过期，请重新登录', en: 'Your session has expired; please sign in again' },
  INVALID_CREDENTIALS: { status: 401, zh: '用户名或密码错误', en: 'Wrong username or password' },
  TOTP_REQUIRED: { status: 401, zh: '请输入动态验证码', en: 'Enter the code from your authenticator app' },
  TOTP_INVALID: { status: 400, zh: '动态验证码不正确', en: 'The authenticator code is wrong' },
  ACCOUNT_LOCKED: {
    status: 423,
    zh: '登录失败次数过多，账号已临时锁定',
    en: 'Too many failed sign-ins; the account is locked for a while',
  },
  ACCOUNT_DISABLED: { status: 403, zh: '账号已停用', en: 'This account is disabled' },
  CSRF_INVALID: {
    status: 403,
    zh: '请求缺少有效的 CSRF 令牌，请刷新页面后重试',
    en: 'Missing or invalid CSRF token; reload the page and try again',
  },
  SETUP_REQUIRED: {
    status: 403,
    zh: '请先完成账号安全设置（修改初始密码或绑定动态验证码）',
    en: 'Finish your account security setup first (change the initial password or set up the authenticator)',
  },
  FORBIDDEN: { status: 403, zh: '没有权限执行此操作', en: 'You are not allowed to do this' },
  OUT_OF_SCOPE: { status: 403, zh: '该数据不在您的管辖范围内', en: 'This is outside the area you are responsible for' },
  VERSION_CONFLICT: { status: 409, zh: '数据已被他人修改，请刷新后重试', en: 'Someone else changed this record; reload and try again' },
  CONFLICT: { status: 409, zh: '与现有数据冲突', en: 'Conflicts with existing data' },
  USERNAME_TAKEN: { status: 409, zh: '用户名已存在', en: 'That username is already taken' },
  WEAK_PASSWORD: {
    status: 400,
    zh: '密码至少 8 位，且包含大写字母、小写字母、数字、符号中的三类',
    en: 'A password needs at least 8 characters from three of: upper case, lower case, digits, symbols',
  },
  PASSWORD_REUSED: { status: 400, zh: '新密码不能与当前密码相同', en: 'The new password must differ from the current one' },
  WRONG_PASSWORD: { status: 400, zh: '当前密码不正确', en: 'The current password is wrong' },
  INVALID_CODE: { status: 400, zh: '编码格式不正确', en: 'The code is malformed' },
  TERRITORY_NOT_FOUND: { status: 404, zh: '该编码对应的区域不存在', en: 'No place has this code' },
  ROLE_SCOPE_INVALID: { status: 400, zh: '该角色的管辖范围不正确', en: 'This role cannot be bound to that scope' },
  SEPARATION_OF_DUTIES: {
    status: 403,
    zh: '三员分立：系统、安全、审计管理员不能兼任或代行他人职责',
    en: "Separation of duties: the system, security and audit administrators cannot hold or do each other's work",
  },
  PERSON_EXISTS: {
    status: 409,
    zh: '该证件号码的人员已登记，请查找后修改',
    en: 'A person with this document number is already registered; find and edit them instead',
  },
  IMPORT_BAD_HEADERS: {
    status: 400,
    zh: '导入文件的表头不正确：缺少必需的列或有无法识别的列',
    en: 'The file headers are wrong: required columns are missing or some columns are unknown',
  },
  IMPORT_UNREADABLE: {
    status: 400,
    zh: '无法读取导入文件，请使用模板中的 .xlsx 或 .csv 格式',
    en: 'Cannot read the file; use .xlsx or .csv as in the template',
  },
  NO_PERSON_RECORD: {
    status: 403,
    zh: '您的账号尚未关联居民信息，请携带身份证到社区窗口办理关联',
    en: 'Your account is not linked to a resident record; bring your ID card to the community window',
  },
  ITEM_NOT_PUBLISHED: {
    status: 422,
    zh: '该服务事项未在本社区发布，不能申请',
    en: 'This service item is not offered in this community',
  },
  APPLICATION_STATE: {
    status: 409,
    zh: '该办件当前的状态不能执行此操作',
    en: 'The application is not in a state that allows this step',
  },
  APPLICATION_NOT_HANDLER: {
    status: 403,
    zh: '该服务事项由其他岗位办理（见办理角色），您可以查看办件，但不能处理',
    en: 'This service item is handled by another role (see its handling role); you may follow the application but not process it',
  },
  CERTIFICATE_NOT_LISTED: {
    status: 422,
    zh: '该证明事项不在本社区证明事项清单内，社区不予出具',
    en: "This certificate is not on the community's certificate list; the community does not issue it",
  },
  SLOT_UNAVAILABLE: { status: 409, zh: '该预约时段已被预约或已取消', en: 'This appointment slot is already booked or cancelled' },
  ORDER_ALREADY_TAKEN: {
    status: 409,
    zh: '该工单已被其他人接单，请选择其他工单',
    en: 'Someone else has already taken this order; choose another one',
  },
  ORDER_STATE: { status: 409, zh: '该工单当前的状态不能执行此操作', en: 'The order is not in a state that allows this step' },
  NOT_A_SERVER: {
    status: 403,
    zh: '您不是本社区登记的志愿者或党员，不能接单',
    en: 'You are not a registered volunteer or party member of this community',
  },
  POINTS_INSUFFICIENT: { status: 409, zh: '积分余额不足', en: 'Not enough points' },
  OUT_OF_STOCK: { status: 409, zh: '该商品库存不足', en: 'This item is out of stock' },
  // Workforce (社工队伍)
  WORKER_EXISTS: { status: 409, zh: '此人已有在职社工档案', en: 'This person already has an active worker archive' },
  NO_VACANCY: { status: 409, zh: '该社区没有空缺岗位', en: 'This community has no vacancy' },
  RESERVE_EMPTY: {
    status: 409,
    zh: '本街道本年度储备人才库已无可递补人员',
    en: "No one is left in this street's reserve pool for this year",
  },
  STAGE_INVALID: { status: 409, zh: '招聘当前环节不允许此操作', en: 'The recruitment is not at a stage that allows this' },
  SCORES_MISSING: { status: 409, zh: '还有考生未录入成绩', en: 'Some candidates have no score yet' },
  CHECKS_MISSING: {
    status: 409,
    zh: '还有拟聘人员未完成体检或考察',
    en: 'Some selected candidates have no medical or background result yet',
  },
  NOTICE_NOT_OVER: { status: 409, zh: '公示期未满 5 个工作日，不能聘用', en: 'The public notice has not yet run its 5 working days' },
  NOTICE_BACKDATED: {
    status: 400,
    zh: '公示开始日期不能早于今天：公示须从今天或以后起算，满 5 个工作日',
    en: 'The public notice cannot start before today: it runs 5 working days from today or later',
  },
  OBJECTION_PENDING: { status: 409, zh: '公示期内有未处理的异议', en: 'An objection raised during the notice is not yet decided' },
  APPLICATION_EXISTS: { status: 409, zh: '该证件号码已报名本次招聘', en: 'This ID number has already applied to this recruitment' },
  AWARD_TOO_LARGE: {
    status: 400,
    zh: '奖励金额超过上限（个人 5 万元，集体 10 万元）',
    en: 'The award exceeds the cap (50,000 yuan individual, 100,000 collective)',
  },
  TRAINING_REQUIRED: { status: 409, zh: '未完成岗前培训，不能安排上岗值班', en: 'Not onboarded yet: cannot be put on duty' },
  PAY_RUN_CONFIRMED: { status: 409, zh: '该月薪酬已确认发放，不能重算', en: "This month's pay is confirmed and cannot be recomputed" },
  PAY_SCHEME_MISSING: {
    status: 409,
    zh: '本区尚未设置当月适用的薪酬体系',
    en: 'No pay scheme is in force for that month in this district',
  },
  PDF_FONT_MISSING: {
    status: 500,
    zh: '服务器缺少中文字体，无法生成 PDF（请安装 fonts-noto-cjk 或设置 GONGZHI_CJK_FONT）',
    en: 'No CJK font on the server for PDFs (install fonts-noto-cjk or set GONGZHI_CJK_FONT)',
  },
  // Residents decide together (issue 7).
  WRONG_STATE: { status: 409, zh: '当前状态下不能进行此操作', en: 'This cannot be done in the current state' },
  VOTE_NOT_OPEN: { status: 409, zh: '表决未开始或已结束', en: 'The vote is not open' },
  ALREADY_VOTED: { status: 409, zh: '已经投过票，每户（每人）只能投一票', en: 'A ballot has already been cast (one per house or person)' },
  NOT_ELIGIBLE: { status: 403, zh: '您不在本次表决的投票范围内', en: 'You are not eligible to vote in this vote' },
  BALLOT_CONFLICT: {
    status: 409,
    zh: '同一业主名下的房屋表决意见必须一致',
    en: 'All houses counted as one owner must carry the same choice',
  },
  SEATS_MISSING: { status: 409, zh: '议事机构的必需席位尚未配齐', en: "The body's required seats are not all filled" },
  // events (issue 4)
  EVENT_NOT_FOUND: { status: 404, zh: '找不到该事件', en: 'No such event' },
  EVENT_ACTION_NOT_ALLOWED: {
    status: 409,
    zh: '事件当前状态下不能执行此操作',
    en: 'This action is not possible in the event’s present state',
  },
  EVENT_ACTION_FORBIDDEN: { status: 403, zh: '您不能对该事件执行此操作', en: 'You may not take this action on this event' },
  CATEGORY_NOT_FOUND: { status: 404, zh: '事件分类不存在', en: 'No such event category' },
  CATEGORY_EXISTS: { status: 409, zh: '该分类编码已存在', en: 'A category with this code already exists' },
  PHOTO_REQUIRED: { status: 400, zh: '该类事件办结时必须上传现场照片', en: 'This category needs a photo of the result' },
  PHOTO_INVALID: {
    status: 400,
    zh: '照片只能是 JPEG、PNG 或 WebP 格式，且单张不超过 5 MB',
    en: 'Photos must be JPEG, PNG or WebP and at most 5 MB each',
  },
  ANONYMOUS_NOT_ALLOWED: { status: 400, zh: '该类事件不接受匿名反映', en: 'This category does not take anonymous reports' },
  DEPARTMENT_INVALID: { status: 400, zh: '请选择本区的职能部门', en: 'Choose departments of this district' },
  RATE_LIMITED: { status: 429, zh: '请求过于频繁，请稍后再试', en: 'Too many requests; try again later' },
  INTERNAL: { status: 500, zh: '服务器内部错误', en: 'Internal server error' },
} satisfies Record<string, Entry>;

export type ErrorCode = keyof typeof ERRORS;

export class AppError extends Error {
  readonly code: ErrorCode;
  readonly status: number;
  readonly details: Record<string, unknown> | undefined;
  constructor(code: ErrorCode, details?: Record<string, unknown>, message?: string) {
    super(message ?? ERRORS[code].en);
    this.code = code;
    this.status = ERRORS[code].status;
    this.details = details;
  }
}

/** zh unless the client clearly prefers another language (Chinese-first product). */
export function preferredLang(acceptLanguage: string | undefined): Lang {
  if (!acceptLanguage) return 'zh';
  const ranked = acceptLanguage
    .split(',')
    .map((part, i) => {
      const [tag, ...params] = part.trim().split(';');
      const q = params.find((p) => p.trim().startsWith('q='));
      return { tag: tag.toLowerCase(), q: q ? Number(q.trim().slice(2)) || 0 : 1, i };
    })
    .filter((x) => x.tag)
    .sort((a, b) => b.q - a.q || a.i - b.i);
  const first = ranked[0]?.tag ?? 'zh';
  return first.startsWith('zh') || first === '*' ? 'zh' : 'en';
}

export function errorBody(code: ErrorCode, lang: Lang, details?: unknown, message?: string) {
  return {
    error: {
      code,
      message: message ?? ERRORS[code][lang],
      details: details ?? {},
    },
  };
}
