/**
 * Two catalogue shapes from the seed reports (MISSION V1): Yinzhou's 5 categories × 36 items and
 * Daoli's 6 categories × 24 items (001: "6大类24个服务项目实行居民在线申请、办理和查询").
 * A district adopts one as its starting catalogue and then edits it. Time limits are in working
 * days; fees are in fen (almost all are free of charge).
 */

export interface ItemSpec {
  name: string;
  description: string;
  eligibility: string;
  materials: { name: string; required: boolean }[];
  timeLimitDays: number;
  feeFen?: number;
  /** The certificate type (certificate-rules.ts) the item ends with, if any. */
  certificateType?: string;
  homeVisit?: boolean;
}

export interface CategorySpec {
  name: string;
  items: ItemSpec[];
}

const ID = { name: '居民身份证', required: true };
const HUKOU = { name: '户口簿', required: true };
const PHOTO = { name: '近期一寸免冠照片', required: false };
const BANK = { name: '本人银行卡（社保卡）', required: true };
const INCOME = { name: '家庭成员收入情况说明', required: true };
const DISABILITY = { name: '第二代残疾人证', required: true };
const m = (...names: string[]) => names.map((name) => ({ name, required: true }));

function item(
  name: string,
  timeLimitDays: number,
  materials: { name: string; required: boolean }[],
  eligibility: string,
  extra: Partial<ItemSpec> = {},
): ItemSpec {
  return { name, timeLimitDays, materials, eligibility, description: extra.description ?? `${name}，社区受理后按时限办结。`, ...extra };
}

export const YINZHOU_CATALOGUE: CategorySpec[] = [
  {
    name: '民政救助',
    items: [
      item('最低生活保障申请', 20, [ID, HUKOU, INCOME, BANK], '家庭月人均收入低于当地低保标准（鄞州区1181元/月）且符合财产条件的户籍家庭', {
        homeVisit: true,
      }),
      item('特困人员救助供养申请', 20, [ID, HUKOU, INCOME], '无劳动能力、无生活来源、无法定赡养抚养扶养义务人的老年人、残疾人和未成年人', {
        homeVisit: true,
      }),
      item(
        '临时救助申请',
        10,
        [ID, HUKOU, ...m('困难情况说明及相关票据')],
        '因火灾、交通事故、突发重大疾病等导致基本生活暂时出现严重困难的家庭或个人',
      ),
      item('高龄津贴申领', 10, [ID, BANK], '具有本区户籍、年满80周岁的老年人'),
      item('居家养老服务补贴申请', 15, [ID, HUKOU, ...m('老年人能力评估表')], '本区户籍60周岁以上失能、半失能的低保、低边等困难老年人', {
        homeVisit: true,
      }),
      item('困难群众医疗救助申请', 15, [ID, ...m('医疗费用发票', '出院小结')], '低保、特困、低边家庭成员及因病致贫家庭重病患者'),
      item('困难残疾人生活补贴申请', 15, [ID, DISABILITY, BANK], '低保家庭中的残疾人及其他困难残疾人', {
        certificateType: 'disability_living',
      }),
      item('重度残疾人护理补贴申请', 15, [ID, DISABILITY, BANK], '残疾等级为一级、二级且需要长期照护的重度残疾人'),
    ],
  },
  {
    name: '社会保障',
    items: [
      item('城乡居民基本养老保险参保登记', 5, [ID, HUKOU], '年满16周岁（不含在校学生）、未参加职工基本养老保险的本区户籍居民'),
      item('城乡居民基本医疗保险参保登记', 5, [ID, HUKOU], '未参加职工基本医疗保险的本区户籍及持居住证居民'),
      item('灵活就业人员社会保险登记', 5, [ID, ...m('灵活就业情况说明')], '在本区从事灵活就业的劳动者'),
      item('退休人员社会化管理服务登记', 5, [ID, ...m('退休审批表')], '企业退休人员，纳入居住地社区管理'),
      item('医保异地就医备案', 3, [ID, ...m('异地居住证明或转诊材料')], '长期异地居住或需转外就医的参保人员'),
      item('失业登记', 3, [ID, ...m('解除或终止劳动合同证明')], '法定劳动年龄内、有劳动能力和就业要求、处于无业状态的城乡劳动者'),
      item('就业困难人员认定', 10, [ID, HUKOU, ...m('就业困难情况佐证材料')], '大龄、残疾、低保家庭等就业困难的本区户籍失业人员'),
      item('城乡居民养老保险待遇申领', 10, [ID, HUKOU, BANK], '年满60周岁、累计缴费满15年的城乡居民养老保险参保人'),
    ],
  },
  {
    name: '卫健计生',
    items: [
      item('生育登记', 1, [ID, ...m('结婚证')], '在本区生育子女的夫妻（含流动人口）'),
      item('独生子女父母奖励申领', 10, [ID, HUKOU, ...m('独生子女父母光荣证')], '领取《独生子女父母光荣证》的企业退休人员及城乡居民'),
      item(
        '计划生育家庭特别扶助申请',
        15,
        [ID, HUKOU, ...m('子女死亡证明或伤残证明')],
        '独生子女死亡或伤残、未再生育或收养子女的夫妻（失独家庭）',
        {
          homeVisit: true,
        },
      ),
      item('母婴健康手册办理', 1, [ID], '在本社区居住的孕产妇'),
      item('老年人免费健康体检预约', 3, [ID], '辖区65周岁以上常住老年人'),
      item('家庭医生签约服务', 3, [ID, { name: '医保卡', required: false }], '辖区全体常住居民，重点为老年人、慢性病患者、孕产妇和儿童', {
        homeVisit: true,
      }),
      item('流动人口计划生育服务登记', 3, [ID, ...m('居住证或居住登记凭证')], '在本社区居住的流动人口育龄夫妻'),
    ],
  },
  {
    name: '残联优抚',
    items: [
      item('残疾人证申领（初审）', 10, [ID, HUKOU, PHOTO, ...m('残疾评定医院诊断材料')], '本区户籍、符合残疾标准的各类残疾人'),
      item('残疾人辅助器具申请', 10, [ID, DISABILITY], '持证残疾人，按需适配轮椅、助听器、助行器等'),
      item('重度残疾人托养服务申请', 15, [ID, DISABILITY, HUKOU], '一级、二级智力、精神及肢体重度残疾人', { homeVisit: true }),
      item('退役军人信息采集', 3, [ID, ...m('退役证明')], '户籍或居住在本社区的退役军人'),
      item('优抚对象定期抚恤补助申领', 15, [ID, BANK, ...m('优抚对象证件')], '在乡老复员军人、带病回乡退伍军人、烈士遗属等优抚对象'),
      item('退役军人光荣牌悬挂申请', 5, [ID, ...m('退役证明')], '退役军人、烈士遗属、因公牺牲军人遗属、病故军人遗属家庭', {
        homeVisit: true,
      }),
    ],
  },
  {
    name: '综合便民',
    items: [
      item('居住证明开具', 1, [ID, { name: '房产证或租赁合同', required: true }], '在本社区实际居住的居民', {
        certificateType: 'residence',
      }),
      item(
        '居住证申领受理',
        10,
        [ID, PHOTO, { name: '房产证或租赁合同', required: true }],
        '离开常住户口所在地、在本区居住半年以上的流动人口',
      ),
      item('出租房屋登记备案', 3, [ID, ...m('房屋产权证明', '租赁合同')], '在本社区出租房屋的房东'),
      item('老年人优待证办理', 5, [ID, PHOTO], '年满60周岁的本区户籍及常住老年人'),
      item('公共租赁住房申请', 20, [ID, HUKOU, INCOME, ...m('住房情况说明')], '本区户籍中低收入住房困难家庭及新就业无房职工'),
      item('志愿服务记录证明开具', 1, [ID], '在本社区登记的志愿者', { certificateType: 'volunteer_service' }),
      item('社区公共用房（议事厅）预约', 1, m('活动申请表'), '辖区居民、驻区单位和社会组织'),
    ],
  },
];

export const DAOLI_CATALOGUE: CategorySpec[] = [
  {
    name: '社会救助',
    items: [
      item('城乡最低生活保障申请', 20, [ID, HUKOU, INCOME, BANK], '家庭人均收入低于本市低保标准且符合财产规定的户籍家庭', {
        homeVisit: true,
      }),
      item('临时救助申请', 10, [ID, HUKOU, ...m('困难情况说明')], '遭遇突发性、紧迫性、临时性生活困难的家庭或个人'),
      item('特困人员供养申请', 20, [ID, HUKOU], '无劳动能力、无生活来源且无法定义务人的城乡老年人、残疾人、未成年人', { homeVisit: true }),
      item('医疗救助申请', 15, [ID, ...m('医疗费用票据', '诊断证明')], '低保对象、特困人员及低收入家庭重病患者'),
    ],
  },
  {
    name: '养老服务',
    items: [
      item('高龄津贴申领', 10, [ID, BANK], '本市户籍80周岁以上老年人'),
      item('居家养老服务申请', 10, [ID, ...m('老年人能力评估表')], '60周岁以上居家养老的老年人', { homeVisit: true }),
      item('老年人优待证办理', 5, [ID, PHOTO], '60周岁以上老年人'),
      item('老年助餐服务登记', 3, [ID], '辖区60周岁以上独居、空巢及困难老年人'),
    ],
  },
  {
    name: '就业社保',
    items: [
      item('失业登记', 3, [ID, ...m('解除劳动合同证明')], '法定劳动年龄内无业且有就业意愿的城乡劳动者'),
      item('城乡居民养老保险参保', 5, [ID, HUKOU], '未参加职工养老保险的年满16周岁城乡居民'),
      item('城乡居民医疗保险参保', 5, [ID, HUKOU], '未参加职工医保的城乡居民'),
      item('灵活就业人员社保补贴申请', 15, [ID, BANK, ...m('就业困难人员认定材料')], '就业困难人员以灵活方式就业并缴纳社会保险费的'),
    ],
  },
  {
    name: '残疾人服务',
    items: [
      item('残疾人证办理（初审）', 10, [ID, HUKOU, PHOTO], '符合残疾标准的本市户籍居民'),
      item('残疾人两项补贴申请', 15, [ID, DISABILITY, BANK], '困难残疾人和一、二级重度残疾人', { certificateType: 'disability_living' }),
      item('残疾人辅助器具适配', 10, [ID, DISABILITY], '有辅助器具需求的持证残疾人'),
      item('残疾人就业推荐登记', 5, [ID, DISABILITY], '有劳动能力和就业意愿的持证残疾人'),
    ],
  },
  {
    name: '卫健计生',
    items: [
      item('生育服务登记', 1, [ID, ...m('结婚证')], '生育子女的夫妻'),
      item('独生子女父母奖励费申领', 10, [ID, ...m('独生子女父母光荣证')], '持证独生子女父母'),
      item('家庭医生签约', 3, [ID], '辖区常住居民', { homeVisit: true }),
      item('流动人口婚育服务', 3, [ID, ...m('居住登记凭证')], '辖区流动人口育龄群众'),
    ],
  },
  {
    name: '综合事务',
    items: [
      item('居住证明开具', 1, [ID, { name: '房产证或租赁合同', required: true }], '在本社区实际居住的居民', {
        certificateType: 'residence',
      }),
      item('居住证申领', 10, [ID, PHOTO], '在本市居住半年以上的非本市户籍人员'),
      item('房屋租赁登记', 3, [ID, ...m('租赁合同')], '出租房屋的房东和承租人'),
      item('社区公益性岗位申请', 10, [ID, HUKOU], '本社区登记失业的就业困难人员'),
    ],
  },
];

export const CATALOGUE_TEMPLATES = { yinzhou: YINZHOU_CATALOGUE, daoli: DAOLI_CATALOGUE } as const;
export type CatalogueTemplate = keyof typeof CATALOGUE_TEMPLATES;
