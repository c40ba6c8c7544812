/**
 * The default event category tree (事件分类), loaded by the events migration. Per category: the
 * level expected to close it (721: most things close in the grid), stage limits in working hours
 * / days, the departments a street whistles to (demo department keys: dept:<district>:<key>),
 * whether a result photo is required and whether anonymous reports are taken.
 */
export interface CategorySeed {
  code: string;
  parent?: string;
  name: string;
  nameEn: string;
  closingLevel?: 'grid' | 'community' | 'street';
  acceptHours?: number;
  respondHours?: number;
  handleDays?: number;
  departments?: string[];
  photoRequired?: boolean;
  anonymousAllowed?: boolean;
  autoEscalate?: boolean;
}

export const DEFAULT_CATEGORIES: CategorySeed[] = [
  { code: 'env', name: '市容环境', nameEn: 'City appearance and environment' },
  {
    code: 'env.garbage',
    parent: 'env',
    name: '垃圾堆放',
    nameEn: 'Rubbish dumped',
    handleDays: 1,
    photoRequired: true,
    anonymousAllowed: true,
    departments: ['law-enforcement'],
  },
  {
    code: 'env.stall',
    parent: 'env',
    name: '占道经营',
    nameEn: 'Street stalls blocking the way',
    handleDays: 2,
    photoRequired: true,
    departments: ['law-enforcement', 'market'],
  },
  {
    code: 'env.ad',
    parent: 'env',
    name: '乱张贴小广告',
    nameEn: 'Fly-posting',
    handleDays: 2,
    anonymousAllowed: true,
    departments: ['law-enforcement'],
  },
  { code: 'env.greening', parent: 'env', name: '绿化损毁', nameEn: 'Damaged greenery', handleDays: 5, departments: ['housing'] },

  { code: 'facility', name: '公共设施', nameEn: 'Public facilities' },
  {
    code: 'facility.road',
    parent: 'facility',
    name: '道路破损',
    nameEn: 'Damaged road or pavement',
    closingLevel: 'community',
    handleDays: 5,
    photoRequired: true,
    departments: ['housing'],
  },
  { code: 'facility.light', parent: 'facility', name: '路灯不亮', nameEn: 'Street light out', handleDays: 3, departments: ['housing'] },
  {
    code: 'facility.manhole',
    parent: 'facility',
    name: '井盖缺失',
    nameEn: 'Missing manhole cover',
    acceptHours: 1,
    handleDays: 1,
    photoRequired: true,
    departments: ['housing', 'law-enforcement'],
  },
  {
    code: 'facility.lift',
    parent: 'facility',
    name: '电梯故障',
    nameEn: 'Lift out of order',
    closingLevel: 'community',
    handleDays: 2,
    departments: ['market'],
  },

  { code: 'safety', name: '治安隐患', nameEn: 'Public security hazards' },
  {
    code: 'safety.suspicious',
    parent: 'safety',
    name: '可疑人员',
    nameEn: 'Suspicious person',
    acceptHours: 1,
    handleDays: 1,
    anonymousAllowed: true,
    departments: ['police'],
  },
  {
    code: 'safety.rental',
    parent: 'safety',
    name: '群租房',
    nameEn: 'Overcrowded rental',
    closingLevel: 'community',
    handleDays: 5,
    departments: ['police', 'housing'],
  },

  { code: 'fire', name: '消防隐患', nameEn: 'Fire hazards' },
  {
    code: 'fire.ebike',
    parent: 'fire',
    name: '电动车飞线充电',
    nameEn: 'E-bike charging by trailing cable (飞线充电)',
    acceptHours: 2,
    handleDays: 1,
    photoRequired: true,
    anonymousAllowed: true,
    departments: ['emergency'],
  },
  {
    code: 'fire.passage',
    parent: 'fire',
    name: '消防通道堵塞',
    nameEn: 'Blocked fire lane',
    acceptHours: 2,
    handleDays: 1,
    photoRequired: true,
    departments: ['emergency', 'law-enforcement'],
  },

  {
    code: 'throwing',
    name: '高空抛物',
    nameEn: 'Throwing from height',
    closingLevel: 'community',
    acceptHours: 2,
    handleDays: 3,
    anonymousAllowed: true,
    departments: ['police'],
  },

  { code: 'dispute', name: '矛盾纠纷', nameEn: 'Disputes' },
  {
    code: 'dispute.neighbour',
    parent: 'dispute',
    name: '邻里纠纷',
    nameEn: 'Neighbour dispute',
    closingLevel: 'community',
    handleDays: 7,
    departments: ['civil-affairs'],
  },
  {
    code: 'dispute.property',
    parent: 'dispute',
    name: '物业纠纷',
    nameEn: 'Dispute with the property company',
    closingLevel: 'community',
    handleDays: 10,
    departments: ['housing'],
  },
  {
    code: 'dispute.wages',
    parent: 'dispute',
    name: '劳资纠纷',
    nameEn: 'Unpaid wages',
    closingLevel: 'street',
    handleDays: 10,
    departments: ['civil-affairs'],
  },

  { code: 'livelihood', name: '民生诉求', nameEn: 'Livelihood requests' },
  {
    code: 'livelihood.elderly',
    parent: 'livelihood',
    name: '独居老人帮扶',
    nameEn: 'Help for an elderly person living alone',
    handleDays: 3,
    departments: ['civil-affairs', 'health'],
  },
  {
    code: 'livelihood.noise',
    parent: 'livelihood',
    name: '噪声扰民',
    nameEn: 'Noise nuisance',
    handleDays: 3,
    anonymousAllowed: true,
    departments: ['law-enforcement'],
  },
  {
    code: 'livelihood.water',
    parent: 'livelihood',
    name: '停水漏水',
    nameEn: 'Water cut or leak',
    handleDays: 2,
    departments: ['housing'],
  },

  { code: 'production', name: '安全生产', nameEn: 'Workplace safety' },
  {
    code: 'production.gas',
    parent: 'production',
    name: '燃气隐患',
    nameEn: 'Gas hazard',
    closingLevel: 'street',
    acceptHours: 1,
    respondHours: 2,
    handleDays: 1,
    photoRequired: true,
    departments: ['emergency', 'market'],
  },
  {
    code: 'production.food',
    parent: 'production',
    name: '食品安全',
    nameEn: 'Food safety',
    closingLevel: 'street',
    handleDays: 5,
    photoRequired: true,
    departments: ['market', 'health'],
  },
];
